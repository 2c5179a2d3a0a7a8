using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// Invalid cells: the generator reports one diagnostic at the offending syntax, emits nothing for that type,
/// and adds no errors of its own to the compilation.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class DiagnosticsTests
{
    public static IEnumerable<TestCaseData> InvalidDeclarations()
    {
        yield return Case("LSTM0001", "NotPartial", """
            using LstmGen;
            namespace N;
            [LstmCell(2, 3)]
            public struct [|Cell|];
            """);
        yield return Case("LSTM0001", "NotPartialClass", """
            using LstmGen;
            namespace N;
            [LstmCell(2, 3)]
            public sealed class [|Cell|] { }
            """);
        yield return Case("LSTM0002", "ContainingTypeNotPartial", """
            using LstmGen;
            namespace N;
            public class [|Outer|]
            {
                [LstmCell(2, 3)]
                public partial struct Cell;
            }
            """);
        yield return Case("LSTM0002", "MiddleContainingTypeNotPartial", """
            using LstmGen;
            namespace N;
            public partial class Outer
            {
                internal static class [|Middle|]
                {
                    [LstmCell(2, 3)]
                    public partial struct Cell;
                }
            }
            """);
        yield return Case("LSTM0003", "GenericType", """
            using LstmGen;
            namespace N;
            [LstmCell(2, 3)]
            public partial struct [|Cell|]<T>;
            """);
        yield return Case("LSTM0003", "NestedInGenericType", """
            using LstmGen;
            namespace N;
            public partial class Outer<T>
            {
                [LstmCell(2, 3)]
                public partial struct [|Cell|];
            }
            """);
        yield return Case("LSTM0003", "NestedTwoLevelsInGenericType", """
            using LstmGen;
            namespace N;
            public partial class Outer<T>
            {
                public partial class Middle
                {
                    [LstmCell(2, 3)]
                    public partial class [|Cell|];
                }
            }
            """);
        foreach (var (arguments, name) in new[]
        {
            ("[|0|], 3", "InputZero"),
            ("2, [|0|]", "HiddenZero"),
            ("[|-1|], 3", "InputNegative"),
            ("2, [|-1|]", "HiddenNegative"),
            ("[|4097|], 3", "InputTooLarge"),
            ("2, [|4097|]", "HiddenTooLarge"),
            ("inputSize: 2, [|hiddenSize: 4097|]", "NamedHiddenTooLarge"),
        })
        {
            yield return Case("LSTM0004", name, $$"""
                using LstmGen;
                namespace N;
                [LstmCell({{arguments}})]
                public partial struct Cell;
                """);
        }

        foreach (var (id, name, attributes) in new[]
        {
            // Sizes matched to parameters by name, not position.
            ("LSTM0004", "NamedReversedInputZero", "LstmCell(hiddenSize: 3, [|inputSize: 0|])"),
            ("LSTM0004", "NamedReversedHiddenTooLarge", "LstmCell([|hiddenSize: 5000|], inputSize: 3)"),
            // Only the bad argument is reported, also when the compiler could not bind the constructor.
            ("LSTM0005", "StringSize", "LstmCell([|\"two\"|], 3)"),
            ("LSTM0005", "DoubleSize", "LstmCell(2, [|2.5|])"),
            ("LSTM0005", "LongSize", "LstmCell([|2L|], 3)"),
            ("LSTM0005", "MissingHiddenSize", "[|LstmCell|](2)"),
            ("LSTM0005", "ExtraSize", "LstmCell(2, 3, [|4|])"),
            ("LSTM0005", "ClipString", "LstmCell(2, 3), Clip([|\"x\"|])"),
            ("LSTM0005", "ClipBool", "LstmCell(2, 3), Clip([|true|])"),
            ("LSTM0005", "ForgetBiasMissing", "LstmCell(2, 3), [|ForgetBias|]"),
            ("LSTM0005", "EpsilonString", "LstmCell(2, 3), LayerNorm([|Epsilon = \"x\"|])"),
            ("LSTM0005", "PerGateNotBool", "LstmCell(2, 3), LayerNorm([|PerGateStatistics = 1|])"),
            ("LSTM0005", "LayerNormPositional", "LstmCell(2, 3), LayerNorm([|1e-5|])"),
            ("LSTM0005", "LayerNormUnknownProperty", "LstmCell(2, 3), LayerNorm([|Gain = 1.0|])"),
            ("LSTM0005", "PeepholeArgument", "LstmCell(2, 3), Peephole([|1|])"),
            ("LSTM0005", "SizePropertySet", "LstmCell(2, 3, [|InputSize = 5|])"),
            ("LSTM0005", "ClipPropertySet", "LstmCell(2, 3), Clip(1.0, [|Threshold = 2.0|])"),
            // Out-of-range variant values, on the argument.
            ("LSTM0006", "EpsilonZero", "LstmCell(2, 3), LayerNorm([|Epsilon = 0|])"),
            ("LSTM0006", "EpsilonNegative", "LstmCell(2, 3), LayerNorm([|Epsilon = -1e-5|])"),
            ("LSTM0006", "EpsilonNaN", "LstmCell(2, 3), LayerNorm([|Epsilon = double.NaN|])"),
            ("LSTM0006", "EpsilonInfinity", "LstmCell(2, 3), LayerNorm([|Epsilon = double.PositiveInfinity|])"),
            ("LSTM0006", "EpsilonZeroInFloat", "LstmCell(2, 3), LayerNorm([|Epsilon = 1e-50|])"),
            ("LSTM0006", "ClipZero", "LstmCell(2, 3), Clip([|0|])"),
            ("LSTM0006", "ClipNegative", "LstmCell(2, 3), Clip([|-1.5|])"),
            ("LSTM0006", "ClipNaN", "LstmCell(2, 3), Clip([|double.NaN|])"),
            ("LSTM0006", "ClipInfinity", "LstmCell(2, 3), Clip([|double.PositiveInfinity|])"),
            ("LSTM0006", "ClipBeyondFloat", "LstmCell(2, 3), Clip([|1e39|])"),
            ("LSTM0006", "ForgetBiasNaN", "LstmCell(2, 3), ForgetBias([|double.NaN|])"),
            ("LSTM0006", "ForgetBiasNegativeInfinity", "LstmCell(2, 3), ForgetBias([|double.NegativeInfinity|])"),
            ("LSTM0006", "ForgetBiasBeyondFloat", "LstmCell(2, 3), ForgetBias([|-1e300|])"),
            ("LSTM0007", "ForgetBiasWithCifg", "LstmCell(2, 3), CoupledInputForgetGate, [|ForgetBias(1.0)|]"),
            // The same attribute twice on one declaration (the compiler's CS0579 says so too).
            ("LSTM0008", "LstmCellTwice", "LstmCell(2, 3)][[|LstmCell|](2, 4)"),
            ("LSTM0008", "ClipTwice", "LstmCell(2, 3), Clip(1), [|Clip|](2)"),
        })
        {
            yield return Case(id, name, $$"""
                using LstmGen;
                namespace N;
                [{{attributes}}]
                public partial struct Cell;
                """);
        }

        // Kinds that cannot be a cell.
        yield return Case("LSTM0009", "StaticClass", "using LstmGen; [LstmCell(2, 3)] public static partial class [|Cell|] { }");
        yield return Case("LSTM0009", "RefStruct", "using LstmGen; [LstmCell(2, 3)] public ref partial struct [|Cell|] { }");
        yield return Case("LSTM0009", "Interface", "using LstmGen; [LstmCell(2, 3)] public partial interface [|ICell|] { }");
        yield return Case("LSTM0009", "FileLocal", "using LstmGen; [LstmCell(2, 3)] file partial struct [|Cell|] { }");
        yield return Case("LSTM0009", "NestedInFileLocal", "using LstmGen; file partial class Outer { [LstmCell(2, 3)] public partial struct [|Cell|] { } }");

        // Names the generator would declare.
        yield return Case("LSTM0010", "ConstInputSize", "using LstmGen; [LstmCell(2, 3)] public partial struct Cell { public const int [|InputSize|] = 2; }");
        yield return Case("LSTM0010", "MethodForward", "using LstmGen; [LstmCell(2, 3)] public partial struct Cell { public static void [|Forward|]() { } }");
        yield return Case("LSTM0010", "NestedTypeLayout", "using LstmGen; [LstmCell(2, 3)] public partial class Cell { public sealed class [|Layout|] { } }");
        yield return Case("LSTM0010", "RecordParameter", "using LstmGen; [LstmCell(2, 3)] public partial record struct Cell(int [|HiddenSize|]);");
        yield return Case("LSTM0010", "CellNamedForward", "using LstmGen; [LstmCell(2, 3)] public partial struct [|Forward|];");
        yield return Case("LSTM0010", "CellNamedT", "using LstmGen; [LstmCell(2, 3)] public partial struct [|T|];");
        yield return Case("LSTM0010", "InheritedMember", """
            using LstmGen;
            public class Base { public static long CacheLength(int steps, int batch) => 0; }
            [LstmCell(2, 3)] public partial class [|Cell|] : Base;
            """);
    }

    public static IEnumerable<TestCaseData> OrphanVariants()
    {
        // A variant attribute on a type without [LstmCell] would do nothing: reported at the attribute.
        yield return Case("LSTM0013", "PeepholeAlone", "using LstmGen; [[|Peephole|]] public partial struct Cell;");
        yield return Case("LSTM0013", "LayerNormOnClass", "using LstmGen; [[|LayerNorm(Epsilon = 1e-3)|]] public class Cell { }");
        yield return Case("LSTM0013", "ClipOnRecord", "using LstmGen; [[|Clip(2.0)|]] public record Cell;");
        yield return Case("LSTM0013", "CifgAndOtherAttribute", "using LstmGen; [System.Obsolete, [|CoupledInputForgetGate|]] public partial struct Cell;");
        yield return Case("LSTM0013", "ForgetBiasFullName", "[[|LstmGen.ForgetBiasAttribute(1.0)|]] public partial struct Cell;");
    }

    [TestCaseSource(nameof(OrphanVariants))]
    public void VariantWithoutCell_ReportsDiagnosticAtAttribute(string id, string markup)
    {
        var (source, span) = Markup.Parse(markup);
        var run = GeneratorHarness.Run(source);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { id }), "Generator diagnostics:" + GeneratorHarness.Format(run.GeneratorDiagnostics));
        var diagnostic = run.GeneratorDiagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Error));
            Assert.That(diagnostic.Location.SourceSpan, Is.EqualTo(span), $"Located on '{source.Substring(span.Start, span.Length)}'");
            Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("on 'Cell' has no effect").And.Contain("add [LstmCell] to 'Cell'"));
            Assert.That(run.Sources, Is.Empty);
            AssertNoNewErrors(run);
        });
    }

    [Test]
    public void VariantOnAnotherPartialDeclarationOfACell_IsFine()
    {
        var run = GeneratorHarness.Run("""
            using LstmGen;
            [Peephole] public partial struct Cell;
            [LstmCell(2, 3), LayerNorm] public partial struct Cell;
            """);

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources, Has.Count.EqualTo(1));
    }

    private static TestCaseData Case(string id, string name, string markup)
        => new TestCaseData(id, markup).SetArgDisplayNames(id, name);

    [TestCaseSource(nameof(InvalidDeclarations))]
    public void InvalidDeclaration_ReportsDiagnosticAtSyntax_AndEmitsNothing(string id, string markup)
    {
        var (source, span) = Markup.Parse(markup);
        var run = GeneratorHarness.Run(source);
        var inputTree = run.Input.SyntaxTrees.Single();

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { id }), "Generator diagnostics:" + GeneratorHarness.Format(run.GeneratorDiagnostics));
        var diagnostic = run.GeneratorDiagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Error));
            Assert.That(diagnostic.Location.SourceTree, Is.SameAs(inputTree), "Located in the user's tree (so #pragma can suppress it)");
            Assert.That(diagnostic.Location.SourceSpan, Is.EqualTo(span),
                $"Located on '{source.Substring(span.Start, span.Length)}', not on '{inputTree.GetText().ToString(diagnostic.Location.SourceSpan)}'");
            Assert.That(run.Sources, Is.Empty, "No source for an invalid cell");
            Assert.That(run.DiagnosticsInGeneratedTrees, Is.Empty);
            AssertNoNewErrors(run);
        });
    }

    [TestCase("0, 3", "inputSize is 0")]
    [TestCase("2, 4097", "hiddenSize is 4097")]
    [TestCase("-1, 3", "inputSize is -1")]
    public void SizeOutOfRange_MessageNamesArgumentValueAndLimit(string arguments, string expected)
    {
        var run = GeneratorHarness.Run($"[LstmGen.LstmCell({arguments})] partial struct Cell;");

        var message = run.GeneratorDiagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(message, Does.StartWith(expected + ", but it must be between 1 and 4096"));
    }

    [Test]
    public void BothSizesOutOfRange_ReportsEach()
    {
        var run = GeneratorHarness.Run("[LstmGen.LstmCell(0, 5000)] partial struct Cell;");

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0004", "LSTM0004" }));
        Assert.That(run.Sources, Is.Empty);
    }

    [Test]
    public void SizesAtLimits_AreAccepted()
    {
        // Only the parser's range check is under test: the pipeline model is read before anything is compiled.
        var run = GeneratorHarness.Run("[LstmGen.LstmCell(1, 1)] partial struct Low; [LstmGen.LstmCell(4096, 1)] partial struct High;");

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources.Keys, Is.EqualTo(new[] { "High.g.cs", "Low.g.cs" }));
    }

    [Test]
    public void NonConstantArgument_ReportsLstm0005()
    {
        var (source, span) = Markup.Parse("""
            [LstmGen.LstmCell([|Sizes.Input|], 3)]
            partial struct Cell;
            static class Sizes { public static readonly int Input = 2; }
            """);
        var run = GeneratorHarness.Run(source);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0005" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.GeneratorDiagnostics[0].Location.SourceSpan, Is.EqualTo(span));
        Assert.That(run.Sources, Is.Empty);
        Assert.That(run.Input.GetDiagnostics().Select(d => d.Id), Does.Contain("CS0182"), "The user's own error");
        AssertNoNewErrors(run);
    }

    [Test]
    public void ValidAndInvalidCells_OnlyValidIsEmitted()
    {
        const string source = """
            using LstmGen;
            namespace N;
            [LstmCell(2, 3)] public partial struct Good;
            [LstmCell(2, 0)] public partial struct BadSize;
            [LstmCell(2, 3)] public struct NotPartial;
            public partial class Box<T> { [LstmCell(2, 3)] public partial struct InGeneric; }
            """;
        var run = GeneratorHarness.Run(source);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id), Is.EqualTo(new[] { "LSTM0001", "LSTM0003", "LSTM0004" }),
            GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources.Keys, Is.EqualTo(new[] { "N.Good.g.cs" }));
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    public static IEnumerable<TestCaseData> OddSources()
    {
        yield return new TestCaseData("[LstmGen.LstmCell] partial struct C;").SetArgDisplayNames("NoArguments");
        yield return new TestCaseData("[LstmGen.LstmCell(1)] partial struct C;").SetArgDisplayNames("OneArgument");
        yield return new TestCaseData("[LstmGen.LstmCell(1, 2, 3)] partial struct C;").SetArgDisplayNames("ThreeArguments");
        yield return new TestCaseData("[LstmGen.LstmCell(int.MaxValue, int.MinValue)] partial struct C;").SetArgDisplayNames("Extremes");
        yield return new TestCaseData("[LstmGen.LstmCell(1, 1)] partial interface I;").SetArgDisplayNames("Interface");
        yield return new TestCaseData("[LstmGen.LstmCell(1, 1)] enum E { A }").SetArgDisplayNames("Enum");
        yield return new TestCaseData("[LstmGen.LstmCell(1, 1)] partial struct C").SetArgDisplayNames("Unterminated");
        yield return new TestCaseData("class X { [LstmGen.LstmCell(1, 1)] void M() { } }").SetArgDisplayNames("Method");
    }

    [TestCaseSource(nameof(OddSources))]
    public void OddSource_GeneratorDoesNotThrow(string source)
    {
        // GeneratorHarness.Run asserts that GeneratorRunResult.Exception is null and that there is no CS8784/CS8785.
        var run = GeneratorHarness.Run(source);

        Assert.That(run.Result.Exception, Is.Null);
        Assert.That(run.GeneratorDiagnostics.Where(d => d.Id is "CS8784" or "CS8785"), Is.Empty);
    }

    /// <summary>Every error of the output compilation was already in the input: the generator caused none.</summary>
    private static void AssertNoNewErrors(GeneratorRun run)
    {
        var before = run.Input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        var after = run.CompilationErrors.Select(d => d.ToString()).ToList();
        Assert.That(after, Is.EquivalentTo(before), "Errors of the output compilation compared with the input's");
    }
}
