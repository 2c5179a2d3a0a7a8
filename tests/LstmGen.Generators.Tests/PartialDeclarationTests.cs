using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// One cell type spread over several partial declarations and files, and names that need care: the generator never
/// throws, reports a second [LstmCell] where it stands, and emits exactly one file per valid cell.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class PartialDeclarationTests
{
    [Test]
    public void LstmCellOnTwoPartialDeclarations_InTwoFiles_ReportsTheSecond_AndEmitsNothing()
    {
        const string first = "using LstmGen; namespace N; [LstmCell(2, 3)] public partial struct Cell;";
        var (second, span) = Markup.Parse("using LstmGen; namespace N; [[|LstmCell|](2, 4)] public partial struct Cell;");

        var run = GeneratorHarness.Run(first, second);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0008" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        var diagnostic = run.GeneratorDiagnostics[0];
        Assert.That(diagnostic.Location.SourceTree, Is.SameAs(run.Input.SyntaxTrees.ElementAt(1)), "On the second declaration");
        Assert.That(diagnostic.Location.SourceSpan, Is.EqualTo(span));
        Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("[LstmCell] is applied to 'Cell' more than once"));
        Assert.That(run.Sources, Is.Empty);
        Assert.That(run.Input.GetDiagnostics().Select(d => d.Id), Does.Contain("CS0579"), "The compiler's own duplicate-attribute error");
    }

    [Test]
    public void LstmCellOnTwoPartialDeclarations_InOneFile_WithTheSameSpec_ReportsTheSecond()
    {
        var (source, span) = Markup.Parse("""
            using LstmGen;
            [LstmCell(2, 3)] public partial struct Cell;
            [[|LstmCell|](2, 3)] public partial struct Cell;
            """);

        var run = GeneratorHarness.Run(source);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0008" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.GeneratorDiagnostics[0].Location.SourceSpan, Is.EqualTo(span));
        Assert.That(run.Sources, Is.Empty);
    }

    [Test]
    public void TwoPartialDeclarationsInOneFile_ReportTypeLevelProblemsOnce()
    {
        var run = GeneratorHarness.Run("""
            using LstmGen;
            [LstmCell(2, 3), Clip(-1)] public partial struct Cell;
            [LstmCell(2, 3)] public partial struct Cell { public static void Forward() { } }
            """);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id), Is.EqualTo(new[] { "LSTM0006", "LSTM0008", "LSTM0010" }),
            GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources, Is.Empty);
    }

    [Test]
    public void ClipOnTwoPartialDeclarations_ReportsTheSecond()
    {
        const string first = "using LstmGen; [LstmCell(2, 3), Clip(0.5)] public partial struct Cell;";
        var (second, span) = Markup.Parse("using LstmGen; [[|Clip|](0.6)] public partial struct Cell;");

        var run = GeneratorHarness.Run(first, second);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0008" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.GeneratorDiagnostics[0].Location.SourceTree, Is.SameAs(run.Input.SyntaxTrees.ElementAt(1)));
        Assert.That(run.GeneratorDiagnostics[0].Location.SourceSpan, Is.EqualTo(span));
        Assert.That(run.Sources, Is.Empty);
    }

    [Test]
    public void VariantOnAnotherPartialDeclaration_IsPartOfTheCell()
    {
        var run = GeneratorHarness.RunForErrors(
            "using LstmGen; namespace N; [LstmCell(2, 3)] public partial struct Cell;",
            "using LstmGen; namespace N; [Clip(0.5), Peephole] public partial struct Cell { public int Tag; }");

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources.Keys, Is.EqualTo(new[] { "N.Cell.g.cs" }));
        Assert.That(run.Sources["N.Cell.g.cs"], Does.Contain("variant: peephole, clip 0.5."));
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void InvalidVariantOnAnotherPartialDeclaration_IsReportedInItsFile()
    {
        var (second, span) = Markup.Parse("using LstmGen; [Clip([|-1|])] public partial struct Cell;");

        var run = GeneratorHarness.Run("using LstmGen; [LstmCell(2, 3)] public partial struct Cell;", second);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0006" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.GeneratorDiagnostics[0].Location.SourceTree, Is.SameAs(run.Input.SyntaxTrees.ElementAt(1)));
        Assert.That(run.GeneratorDiagnostics[0].Location.SourceSpan, Is.EqualTo(span));
        Assert.That(run.Sources, Is.Empty);
    }

    [Test]
    public void StructAndClassOfOneName_DoNotCrash_AndEmitNothing()
    {
        // Two declarations of different kinds (the compiler reports CS0261): never two files for one name.
        var run = GeneratorHarness.Run("""
            using LstmGen;
            [LstmCell(2, 3)] public partial struct Cell;
            [LstmCell(2, 4)] public partial class Cell;
            """);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.Not.Empty.And.All.StartWith("LSTM"), GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources, Is.Empty);
    }

    [Test]
    public void KeywordNames_AreEscaped_AndCompile()
    {
        // 'namespace @event.M', 'class @event', 'struct @class', and a contextual keyword for good measure.
        var run = GeneratorHarness.Run("""
            using LstmGen;
            namespace @event.M
            {
                public partial class @event
                {
                    [LstmCell(2, 3)]
                    public partial struct @class;
                }

                [LstmCell(1, 2)]
                public partial class @record;
            }
            """);

        Assert.That(run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("LSTM", System.StringComparison.Ordinal)), Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources.Keys, Is.EquivalentTo(new[] { "event.M.event.class.g.cs", "event.M.record.g.cs" }));
        Assert.That(run.Sources["event.M.event.class.g.cs"], Does.Contain("namespace @event.M").And.Contain("partial class @event").And.Contain("partial struct @class : global::LstmGen.ILstmCell<global::@event.M.@event.@class>"));
        var problems = run.CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS8860").ToList();
        Assert.That(problems, Is.Empty, GeneratorHarness.Format(problems));
    }

    [Test]
    public void NamesDifferingOnlyInCase_GetDistinctFiles()
    {
        // Roslyn compares hint names ignoring case: two such cells must not collide.
        var run = GeneratorHarness.RunForErrors("""
            using LstmGen;
            namespace N;
            [LstmCell(2, 3)] public partial struct Cell;
            [LstmCell(3, 2)] public partial struct cell;
            """);

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources, Has.Count.EqualTo(2));
        Assert.That(run.Sources.Keys, Has.All.Match("^N\\.[Cc]ell\\.[0-9a-f]{16}\\.g\\.cs$"));
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void NonAsciiName_GetsASanitizedHintName_AndCompiles()
    {
        var run = GeneratorHarness.RunForErrors("""
            using LstmGen;
            namespace Données;
            [LstmCell(2, 3)] public partial struct Cellule\u00E9;
            """);

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources.Keys.Single(), Does.Match("^Donn_es\\.Cellule_\\.[0-9a-f]{16}\\.g\\.cs$"));
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void AbstractClassAndSealedRecord_AreValidCells()
    {
        var run = GeneratorHarness.RunForErrors("""
            using LstmGen;
            namespace K;
            [LstmCell(1, 2)] public abstract partial class AbstractCell;
            [LstmCell(2, 1)] public sealed partial record SealedRecordCell;
            public static partial class Holder { [LstmCell(1, 1)] internal partial struct InStatic; }
            """);

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources.Keys, Is.EquivalentTo(new[] { "K.AbstractCell.g.cs", "K.SealedRecordCell.g.cs", "K.Holder.InStatic.g.cs" }));
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void NestedInRefStructInterfaceAndRecords_Compiles()
    {
        var run = GeneratorHarness.RunForErrors("""
            using LstmGen;
            namespace K;
            public ref partial struct RefOuter { [LstmCell(1, 2)] public partial struct InRef; }
            public partial interface IOuter { [LstmCell(2, 1)] public partial class InInterface; }
            public readonly partial record struct RecordOuter(int A) { [LstmCell(1, 1)] public partial record InRecord; }
            """);

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources, Has.Count.EqualTo(3));
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void ContainingTypeNamedT_Compiles()
    {
        // Only the cell itself may not be named T (CS0694 is about the immediately containing type of Forward<T>).
        var run = GeneratorHarness.RunForErrors("using LstmGen; namespace K; public partial class T { [LstmCell(1, 2)] public partial struct Cell; }");

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void UserImplementsILstmCellMemberExplicitly_ReportsLstm0010()
    {
        var (source, span) = Markup.Parse("""
            using LstmGen;
            namespace K;
            [LstmCell(1, 2)]
            public partial struct Cell : ILstmCell<Cell>
            {
                static int ILstmCell<Cell>.[|InputSize|] => 1;
            }
            """);

        var run = GeneratorHarness.Run(source);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0010" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.GeneratorDiagnostics[0].Location.SourceSpan, Is.EqualTo(span));
        Assert.That(run.Sources, Is.Empty);
    }
}
