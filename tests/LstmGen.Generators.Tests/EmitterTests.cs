using System;
using System.Globalization;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using LstmGen.Generators.Models;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>The emitter is a pure, culture-independent function of the model.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class EmitterTests
{
    private const string TwoCells = """
        using LstmGen;

        namespace Det
        {
            [LstmCell(3, 5)]
            public partial struct Small;

            public partial class Holder
            {
                [LstmCell(17, 9)]
                public partial class Nested;
            }
        }
        """;

    private const string GlobalCell = """
        [LstmGen.LstmCell(8, 16)]
        partial record struct GlobalCell;
        """;

    [TestCase(TwoCells, "fr-FR")]
    [TestCase(GlobalCell, "ar-SA")]
    public void Emitter_IsDeterministic(string source, string otherCulture)
    {
        var first = GeneratorHarness.Run(source);
        GeneratorRun second;
        var saved = CultureInfo.CurrentCulture;
        try
        {
            // Formatting must not depend on the machine's culture (decimal separators, digits, minus signs).
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(otherCulture);
            second = GeneratorHarness.Run(source);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.That(first.Sources, Is.Not.Empty);
        Assert.That(second.Sources.Keys, Is.EqualTo(first.Sources.Keys), "Hint names");
        foreach (var (hintName, text) in first.Sources)
            Assert.That(second.Sources[hintName], Is.EqualTo(text), hintName);
    }

    [Test]
    public void Emit_OfPipelineModel_EqualsGeneratedSource()
    {
        var run = GeneratorHarness.Run(TwoCells);
        var models = run.StepOutputs(TrackingNames.Output).Select(o => o.Value).Cast<LstmCellInfo>().ToList();

        Assert.That(models.Select(m => m.Hierarchy.MetadataName), Is.EquivalentTo(new[] { "Det.Small", "Det.Holder+Nested" }));
        Assert.That(models.Select(m => m.Hierarchy.HintName), Is.EquivalentTo(new[] { "Det.Small.g.cs", "Det.Holder.Nested.g.cs" }));
        foreach (var model in models)
        {
            var text = LstmCellGenerator.Emitter.Emit(model);
            Assert.That(text, Is.EqualTo(run.Sources[model.Hierarchy.HintName]), model.Hierarchy.MetadataName);
            Assert.That(text, Does.Not.Contain("\r"), "Generated text uses '\\n' line endings on every OS");
        }
    }

    /// <summary>
    /// For random sizes up to 32 × 32: emitting the same model twice gives the same text, and that text compiles.
    /// Each case binds a whole generated kernel file (up to about 1 MB), so the upper bound grows with FsCheck's size
    /// (1 → 32 over the 15 cases): early cases are cheap and the last ones reach the full range.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 15, StartSize = 1, EndSize = 32, QuietOnSuccess = true, Parallelism = 2)]
    public Property EmittedText_IsDeterministicAndCompiles()
    {
        var sizes = Gen.Sized(size => Gen.Choose(1, Math.Clamp(size, 1, 32))).Two().ToArbitrary();
        return Prop.ForAll(sizes, ((int D, int H) cell) =>
        {
            var (d, h) = cell;
            TestContext.Progress.WriteLine($"EmittedText_IsDeterministicAndCompiles: {d}x{h}");
            var run = GeneratorHarness.RunForErrors($"namespace Prop; [LstmGen.LstmCell({d}, {h})] public partial struct Cell;");
            var model = run.StepOutputs(TrackingNames.Output).Select(o => o.Value).Cast<LstmCellInfo>().Single();

            var once = LstmCellGenerator.Emitter.Emit(model);
            var twice = LstmCellGenerator.Emitter.Emit(model with { });
            Assert.That(twice, Is.EqualTo(once), $"{d}x{h}: emitting the same model twice");
            Assert.That(run.Sources["Prop.Cell.g.cs"], Is.EqualTo(once), $"{d}x{h}: generated source");
            var errors = run.CompilationErrors.ToList();
            Assert.That(errors, Is.Empty, $"{d}x{h}: errors" + GeneratorHarness.Format(errors));
        });
    }
}
