using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// Measures (reports, does not assert) the generator on a compilation with 50 cells of assorted sizes and variants:
/// a full run on a fresh driver, and an incremental run after an unrelated edit. The figures go to the test output.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PerformanceTests
{
    private const int Cells = 50;
    private const int Files = 5;

    [Test]
    public void FiftyCells_FullAndIncrementalRun_AreReported()
    {
        var compilation = GeneratorHarness.CreateCompilation(Sources());
        // Like the compiler: no step tracking.
        GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
            new[] { new LstmCellGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions);

        // Warm-up on another compilation, so the figures do not include JIT of the generator and of Roslyn.
        NewDriver().RunGenerators(GeneratorHarness.CreateCompilation("[LstmGen.LstmCell(3, 5), LstmGen.Peephole] partial struct Warm;"));

        var full = new List<double>();
        GeneratorDriver driver = null!;
        for (var i = 0; i < 3; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            driver = NewDriver().RunGenerators(compilation);
            full.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        var result = driver.GetRunResult();
        Assert.That(result.Results.Single().Exception, Is.Null);
        Assert.That(result.GeneratedTrees, Has.Length.EqualTo(Cells));
        var generatedCharacters = result.Results.Single().GeneratedSources.Sum(s => (long)s.SourceText.Length);

        // Unrelated edits: a comment in a file with cells, then a new unrelated file, alternately.
        var incremental = new List<double>();
        Compilation current = compilation;
        for (var i = 0; i < 10; i++)
        {
            Compilation edited;
            if (i % 2 == 0)
            {
                var tree = current.SyntaxTrees.First();
                edited = current.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, $"// edit {i}\n")));
            }
            else
            {
                edited = current.AddSyntaxTrees(GeneratorHarness.Parse($"namespace Other{i}; public static class Unrelated {{ public static int M() => {i}; }}", $"Unrelated{i}.cs"));
            }
            var stopwatch = Stopwatch.StartNew();
            driver = driver.RunGenerators(edited);
            incremental.Add(stopwatch.Elapsed.TotalMilliseconds);
            current = edited;
        }
        Assert.That(driver.GetRunResult().GeneratedTrees, Has.Length.EqualTo(Cells));

        // For scale: what any attribute-driven generator pays after an edit, binding every declared type's attributes in the new compilation.
        var floorCompilation = current.AddSyntaxTrees(GeneratorHarness.Parse("namespace Floor; class Edit { }", "Floor.cs"));
        var floor = Stopwatch.StartNew();
        foreach (var tree in floorCompilation.SyntaxTrees)
        {
            var model = floorCompilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>())
                model.GetDeclaredSymbol(declaration)!.GetAttributes();
        }
        var floorMs = floor.Elapsed.TotalMilliseconds;

        var report = $"""
            Generator, {Cells} cells in {Files} files ({generatedCharacters / 1024 / 1024.0:0.0} MB of generated source):
              full run (fresh driver):           median {Median(full):0} ms   (runs: {string.Join(", ", full.Select(t => t.ToString("0")))})
              incremental run (unrelated edit):  median {Median(incremental):0.0} ms   (runs: {string.Join(", ", incremental.Select(t => t.ToString("0.0")))})
              for scale, binding the attributes of every type of an edited compilation: {floorMs:0.0} ms
            """;
        TestContext.Out.WriteLine(report);
        TestContext.Progress.WriteLine(report);
    }

    /// <summary>50 cells, sizes from 1 to 64 and every variant option, spread over five files with some nesting.</summary>
    private static string[] Sources()
    {
        int[] sizes = { 1, 2, 3, 5, 8, 13, 16, 17, 24, 31, 32, 33, 48, 64 };
        string[] variants = { "", ", Peephole", ", LayerNorm", ", ForgetBias(1.0)", ", CoupledInputForgetGate", ", Clip(3.0)", ", Peephole, LayerNorm(PerGateStatistics = true), Clip(2.0)" };
        var files = new StringBuilder[Files];
        for (var f = 0; f < Files; f++) files[f] = new StringBuilder($"using LstmGen;\nnamespace Perf{f}\n{{\n    public partial class Holder\n    {{\n");
        for (var i = 0; i < Cells; i++)
        {
            int d = sizes[i % sizes.Length], h = sizes[(i * 5 + 3) % sizes.Length];
            files[i % Files].Append($"        [LstmCell({d}, {h}){variants[i % variants.Length]}] public partial struct Cell{i};\n");
        }
        return files.Select(file => file.Append("    }\n}\n").ToString()).ToArray();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }
}
