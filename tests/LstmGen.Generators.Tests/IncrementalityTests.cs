using System.Collections.Generic;
using System.Linq;
using LstmGen.Generators.Models;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// The pipeline caches: edits that do not change a cell's model leave its Execute and Output steps Cached or Unchanged,
/// and a size change modifies exactly that cell.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class IncrementalityTests
{
    private const string TwoCells = """
        using LstmGen;

        namespace Inc
        {
            [LstmCell(3, 4)]
            public partial struct First;

            public partial class Holder
            {
                [LstmCell(5, 6)]
                public partial struct Second;
            }
        }
        """;

    private static readonly IncrementalStepRunReason[] CachedOrUnchanged = { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged };

    [Test]
    public void AddedComment_DoesNotModifyOutput()
    {
        var first = GeneratorHarness.Run(TwoCells);
        var tree = first.Input.SyntaxTrees.Single();
        var edited = first.Input.ReplaceSyntaxTree(tree, GeneratorHarness.Parse("// A comment that moves every span.\n" + TwoCells, tree.FilePath));

        var second = GeneratorHarness.Run(first.Driver, edited);

        AssertOnlyCachedOrUnchanged(second, expectedCells: 2);
        Assert.That(second.Sources, Is.EqualTo(first.Sources));
    }

    [Test]
    public void AddedUnrelatedTree_DoesNotModifyOutput()
    {
        var first = GeneratorHarness.Run(TwoCells);
        var edited = first.Input.AddSyntaxTrees(GeneratorHarness.Parse("namespace Other; public class Unrelated { public int Value; }", "Unrelated.cs"));

        var second = GeneratorHarness.Run(first.Driver, edited);

        AssertOnlyCachedOrUnchanged(second, expectedCells: 2);
        Assert.That(second.Sources, Is.EqualTo(first.Sources));
    }

    [Test]
    public void ClonedCompilation_DoesNotModifyOutput()
    {
        var first = GeneratorHarness.Run(TwoCells);

        var second = GeneratorHarness.Run(first.Driver, first.Input.Clone());

        AssertOnlyCachedOrUnchanged(second, expectedCells: 2);
        Assert.That(second.Sources, Is.EqualTo(first.Sources));
    }

    [Test]
    public void AddedComment_NextToInvalidCell_DoesNotModifyValidOutput()
    {
        // The invalid cell's diagnostics hold its tree, so they may be recomputed; the valid cell's output stays cached.
        const string source = """
            [LstmGen.LstmCell(2, 3)] partial struct Valid;
            [LstmGen.LstmCell(0, 3)] partial struct Invalid;
            """;
        var first = GeneratorHarness.Run(source);
        var tree = first.Input.SyntaxTrees.Single();
        var second = GeneratorHarness.Run(first.Driver, first.Input.ReplaceSyntaxTree(tree, GeneratorHarness.Parse("// edit\n" + source, tree.FilePath)));

        var outputs = second.StepOutputs(TrackingNames.Output).ToList();
        Assert.That(outputs, Has.Count.EqualTo(1));
        Assert.That(outputs.Select(o => o.Reason), Is.All.AnyOf(CachedOrUnchanged), Describe(outputs));
        Assert.That(second.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0004" }));
        Assert.That(second.GeneratorDiagnostics[0].Location.SourceTree, Is.SameAs(second.Input.SyntaxTrees.Single()), "Diagnostic points into the edited tree");
    }

    [Test]
    public void ChangedHiddenSize_ModifiesOnlyThatCell()
    {
        var first = GeneratorHarness.Run(TwoCells);
        var tree = first.Input.SyntaxTrees.Single();
        var changedSource = TwoCells.Replace("[LstmCell(5, 6)]", "[LstmCell(5, 7)]", System.StringComparison.Ordinal);
        Assert.That(changedSource, Is.Not.EqualTo(TwoCells));

        var second = GeneratorHarness.Run(first.Driver, first.Input.ReplaceSyntaxTree(tree, GeneratorHarness.Parse(changedSource, tree.FilePath)));

        foreach (var step in new[] { TrackingNames.Execute, TrackingNames.Output })
        {
            var reasons = second.StepOutputs(step)
                .Select(o => (Name: CellName(o.Value), o.Reason))
                .Where(o => o.Name is not null)
                .ToDictionary(o => o.Name!, o => o.Reason);
            Assert.That(reasons.Keys, Is.EquivalentTo(new[] { "First", "Second" }), step);
            Assert.That(reasons["Second"], Is.EqualTo(IncrementalStepRunReason.Modified), $"{step}: the resized cell");
            Assert.That(reasons["First"], Is.AnyOf(CachedOrUnchanged), $"{step}: the other cell");
        }
        Assert.That(second.Sources["Inc.First.g.cs"], Is.EqualTo(first.Sources["Inc.First.g.cs"]));
        Assert.That(second.Sources["Inc.Holder.Second.g.cs"], Is.Not.EqualTo(first.Sources["Inc.Holder.Second.g.cs"]));
        Assert.That(second.Sources["Inc.Holder.Second.g.cs"], Does.Contain("public const int HiddenSize = 7;"));
    }

    [Test]
    public void AddedUnrelatedMethodInTheCellsFile_DoesNotModifyOutput()
    {
        var first = GeneratorHarness.Run(TwoCells);
        var tree = first.Input.SyntaxTrees.Single();
        var edited = first.Input.ReplaceSyntaxTree(tree, GeneratorHarness.Parse(TwoCells + "\nnamespace Inc { public static class Helpers { public static int Twice(int x) => 2 * x; } }\n", tree.FilePath));

        var second = GeneratorHarness.Run(first.Driver, edited);

        AssertOnlyCachedOrUnchanged(second, expectedCells: 2);
        Assert.That(second.Sources, Is.EqualTo(first.Sources));
    }

    [TestCase("[LstmCell(5, 7), Clip(0.5)]", "public const int HiddenSize = 7;")]
    [TestCase("[LstmCell(5, 6), Clip(0.6)]", "variant: clip 0.6.")]
    [TestCase("[LstmCell(5, 6), Clip(0.5), Peephole]", "variant: peephole, clip 0.5.")]
    public void ChangedSpec_ModifiesOnlyThatCell(string after, string expectedText)
    {
        var source = TwoCells.Replace("[LstmCell(5, 6)]", "[LstmCell(5, 6), Clip(0.5)]", System.StringComparison.Ordinal);
        var changed = source.Replace("[LstmCell(5, 6), Clip(0.5)]", after, System.StringComparison.Ordinal);
        Assert.That(source, Is.Not.EqualTo(TwoCells));
        Assert.That(changed, Is.Not.EqualTo(source));

        var first = GeneratorHarness.Run(source);
        var tree = first.Input.SyntaxTrees.Single();
        var second = GeneratorHarness.Run(first.Driver, first.Input.ReplaceSyntaxTree(tree, GeneratorHarness.Parse(changed, tree.FilePath)));

        foreach (var step in new[] { TrackingNames.Execute, TrackingNames.Output })
        {
            var reasons = second.StepOutputs(step)
                .Select(o => (Name: CellName(o.Value), o.Reason))
                .Where(o => o.Name is not null)
                .ToDictionary(o => o.Name!, o => o.Reason);
            Assert.That(reasons["Second"], Is.EqualTo(IncrementalStepRunReason.Modified), $"{step}: the changed cell");
            Assert.That(reasons["First"], Is.AnyOf(CachedOrUnchanged), $"{step}: the other cell");
        }
        foreach (var step in new[] { TrackingNames.Target, TrackingNames.HintNames })
            Assert.That(second.StepOutputs(step).Select(o => o.Reason), Is.All.AnyOf(CachedOrUnchanged), step);
        var sourceOutputs = second.Result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).ToList();
        Assert.That(sourceOutputs.Count(o => o.Reason == IncrementalStepRunReason.Modified), Is.EqualTo(1), "One re-emitted file: " + Describe(sourceOutputs));
        Assert.That(second.Sources["Inc.First.g.cs"], Is.EqualTo(first.Sources["Inc.First.g.cs"]));
        Assert.That(second.Sources["Inc.Holder.Second.g.cs"], Does.Contain(expectedText));
    }

    [Test]
    public void OutputModels_HoldNoRoslynObjects()
    {
        const string source = """
            using LstmGen;
            namespace Walk.Deep;
            public partial class A { public partial record B { [LstmCell(2, 3)] internal partial record struct Cell; } }
            [LstmCell(1, 1)] public partial class Plain;
            """;
        var run = GeneratorHarness.Run(source);
        var values = run.StepOutputs(TrackingNames.Output).Select(o => o.Value).ToList();

        Assert.That(values, Has.Count.EqualTo(2));
        Assert.That(values, Is.All.InstanceOf<LstmCellInfo>());
        // The compilation-wide values that are Combine'd with every cell must be plain values too.
        var shared = new[] { TrackingNames.Target, TrackingNames.HintNames }.SelectMany(step => run.StepOutputs(step).Select(o => o.Value)).ToList();
        Assert.That(shared, Has.Count.EqualTo(2));
        values.AddRange(shared);
        var (violations, visited) = ModelGraph.Walk(values, "Output");
        Assert.That(violations, Is.Empty, string.Join("\n", violations));
        Assert.That(visited, Is.GreaterThan(2 * 4), "The walk reached the hierarchy and its levels");
    }

    [Test]
    public void ModelGraph_FindsRoslynObjects()
    {
        // The walker itself must be able to fail: hide a syntax tree and a symbol inside model-like values.
        var compilation = GeneratorHarness.CreateCompilation("class C { }");
        var tree = compilation.SyntaxTrees.Single();
        var symbol = compilation.GetTypeByMetadataName("C")!;
        var hidden = new object[]
        {
            new Result<LstmCellInfo?>(null, new[] { new DiagnosticInfo(
                Diagnostics.DiagnosticDescriptors.TypeNotPartial, tree, default, EquatableArray<string>.Empty) }.ToEquatableArray()),
            new List<object> { (1, new KeyValuePair<string, object>("symbol", symbol)) },
            tree.GetRoot().GetLocation(),
        };

        var (violations, _) = ModelGraph.Walk(hidden, "hidden");

        Assert.That(violations, Has.Count.EqualTo(3), string.Join("\n", violations));
        Assert.That(violations, Has.Some.Contains("SyntaxTree"));
        Assert.That(violations, Has.Some.Contains("Symbol"));
        Assert.That(violations, Has.Some.Contains("Location"));
    }

    /// <summary>Every step the generator names (each constant of <see cref="TrackingNames"/>).</summary>
    private static readonly string[] AllSteps = typeof(TrackingNames)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private static void AssertOnlyCachedOrUnchanged(GeneratorRun run, int expectedCells)
    {
        Assert.That(AllSteps, Is.SupersetOf(new[] { TrackingNames.Execute, TrackingNames.Output, TrackingNames.Target, TrackingNames.HintNames }));
        foreach (var step in new[] { TrackingNames.Execute, TrackingNames.Output })
        {
            var outputs = run.StepOutputs(step).ToList();
            Assert.That(outputs.Count(o => CellName(o.Value) is not null), Is.EqualTo(expectedCells), $"{step}: tracked cells");
        }
        foreach (var step in AllSteps)
        {
            var outputs = run.StepOutputs(step).ToList();
            Assert.That(outputs, Is.Not.Empty, $"{step} ran");
            Assert.That(outputs.Select(o => o.Reason), Is.All.AnyOf(CachedOrUnchanged), $"{step}: {Describe(outputs)}");
        }
        var sourceOutputs = run.Result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).ToList();
        Assert.That(sourceOutputs, Is.Not.Empty, "Tracked source outputs");
        Assert.That(sourceOutputs.Select(o => o.Reason), Is.All.AnyOf(CachedOrUnchanged), "Source outputs: " + Describe(sourceOutputs));
    }

    private static string? CellName(object value) => value switch
    {
        LstmCellInfo cell => cell.Hierarchy.Cell.Name,
        Result<LstmCellInfo?> { Value: { } cell } => cell.Hierarchy.Cell.Name,
        _ => null,
    };

    private static string Describe(IEnumerable<(object Value, IncrementalStepRunReason Reason)> outputs)
        => string.Join(", ", outputs.Select(o => $"{CellName(o.Value) ?? o.Value?.GetType().Name ?? "null"}={o.Reason}"));
}
