using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>The generated file of every kind of valid cell compiles cleanly as C# 12, with no warnings even under its own pragma.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class GeneratedSourceTests
{
    /// <summary>A cell declaration, the hint name it must produce and the metadata name of the cell type.</summary>
    public sealed record CellCase(string Name, string Source, string HintName, string MetadataName, int InputSize, int HiddenSize)
    {
        public override string ToString() => Name;
    }

    private static CellCase Sized(int d, int h) => new(
        $"{d}x{h}",
        $$"""
        using LstmGen;

        namespace Sizes;

        [LstmCell({{d}}, {{h}})]
        public partial struct Cell{{d}}x{{h}};
        """,
        $"Sizes.Cell{d}x{h}.g.cs", $"Sizes.Cell{d}x{h}", d, h);

    public static IEnumerable<TestCaseData> Cells()
    {
        var cases = new List<CellCase>
        {
            Sized(1, 1),
            Sized(2, 3),
            Sized(3, 5),
            Sized(16, 32),
            Sized(17, 33),
            Sized(64, 128), // gate kernels exceed the unroll budget: loops with constant trip counts
            Sized(1, 1025), // scratch exceeds the stack limit: rented from the array pool
            new("NestedInNamespace",
                """
                namespace Outer.Inner
                {
                    public partial class Model
                    {
                        [global::LstmGen.LstmCell(4, 6)]
                        internal partial struct Cell;
                    }
                }
                """,
                "Outer.Inner.Model.Cell.g.cs", "Outer.Inner.Model+Cell", 4, 6),
            new("GlobalNamespace",
                """
                using LstmGen;

                [LstmCell(3, 2)]
                public partial struct GlobalCell;
                """,
                "GlobalCell.g.cs", "GlobalCell", 3, 2),
            new("PartialClass",
                """
                using LstmGen;

                namespace Kinds;

                [LstmCell(5, 4)]
                public sealed partial class ClassCell
                {
                    public int Tag { get; set; }
                }
                """,
                "Kinds.ClassCell.g.cs", "Kinds.ClassCell", 5, 4),
            new("PartialRecordStruct",
                """
                using LstmGen;

                namespace Kinds;

                [LstmCell(2, 7)]
                public readonly partial record struct RecordCell(int Tag);
                """,
                "Kinds.RecordCell.g.cs", "Kinds.RecordCell", 2, 7),
        };
        return cases.Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));
    }

    [TestCaseSource(nameof(Cells))]
    public void GeneratedSource_CompilesWithoutWarnings(CellCase cell)
    {
        var run = GeneratorHarness.Run(cell.Source);

        Assert.That(run.GeneratorDiagnostics, Is.Empty, "Generator diagnostics:" + GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources.Keys, Is.EqualTo(new[] { cell.HintName }), "Hint names");
        var problems = run.CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.That(problems, Is.Empty, "Warnings and errors in the output compilation:" + GeneratorHarness.Format(problems));
    }

    [TestCaseSource(nameof(Cells))]
    public void GeneratedType_ImplementsILstmCellWithDeclaredSizes(CellCase cell)
    {
        var run = GeneratorHarness.Run(cell.Source);
        var type = run.Output.GetTypeByMetadataName(cell.MetadataName);
        var contract = run.Output.GetTypeByMetadataName(KnownTypeNames.ILstmCell);

        Assert.That(type, Is.Not.Null, cell.MetadataName);
        Assert.That(contract, Is.Not.Null, KnownTypeNames.ILstmCell);
        Assert.Multiple(() =>
        {
            Assert.That(type!.AllInterfaces, Has.Some.Matches<INamedTypeSymbol>(
                i => SymbolEqualityComparer.Default.Equals(i, contract!.Construct(type))), "implements ILstmCell<Self>");
            Assert.That(ConstantOf(type, "InputSize"), Is.EqualTo(cell.InputSize), "InputSize");
            Assert.That(ConstantOf(type, "HiddenSize"), Is.EqualTo(cell.HiddenSize), "HiddenSize");
            var h = cell.HiddenSize;
            Assert.That(ConstantOf(type, "ParameterCount"), Is.EqualTo(4 * h * (cell.InputSize + h + 2)), "ParameterCount");
        });
    }

    [TestCaseSource(nameof(Cells))]
    public void GeneratedFile_FollowsConventions(CellCase cell)
    {
        var run = GeneratorHarness.Run(cell.Source);
        var text = run.Sources[cell.HintName];
        var root = run.Output.SyntaxTrees.Single(t => t.FilePath.EndsWith(cell.HintName, System.StringComparison.Ordinal)).GetRoot();

        Assert.That(text, Does.StartWith("// <auto-generated/>\n"));
        Assert.That(text.Split('\n'), Does.Contain("#nullable enable").And.Contain("#pragma warning disable"));

        // Every namespace reached from the generated code is spelled from global::, so user namespaces cannot capture it.
        var rootNamespaces = run.Output.GlobalNamespace.GetNamespaceMembers().Select(n => n.Name).ToHashSet();
        Assert.That(rootNamespaces, Does.Contain("System").And.Contain("LstmGen"));
        var unqualified = UnqualifiedNamespaceReferences(root, rootNamespaces);
        Assert.That(unqualified, Is.Empty, "Namespace names not qualified with global::");

        // Every generated member carries [GeneratedCode("LstmGen", version)].
        var members = root.DescendantNodes().OfType<MemberDeclarationSyntax>()
            .Where(m => m is not BaseNamespaceDeclarationSyntax and not TypeDeclarationSyntax)
            .ToList();
        Assert.That(members, Is.Not.Empty);
        var expectedAttribute = $"global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{LstmCellGenerator.Emitter.Version}\")";
        // The kernels' file imports System.CodeDom.Compiler (with global::), so there the attribute is written short.
        var shortAttribute = expectedAttribute.Replace("global::System.CodeDom.Compiler.", "");
        var unmarked = members
            .Where(m => !m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.ToString() == expectedAttribute || a.ToString() == shortAttribute))
            .Select(m => $"line {m.GetLocation().GetLineSpan().StartLinePosition.Line + 1}")
            .ToList();
        Assert.That(unmarked, Is.Empty, "Members without " + expectedAttribute);
    }

    [Test]
    public void UnqualifiedNamespaceReferences_FindsNamesWithoutGlobal()
    {
        var root = GeneratorHarness.Parse("""
            namespace System.Mine;
            class C
            {
                global::System.Span<int> Ok;
                System.Span<int> Field;
                int M() => LstmGen.LstmCellAttribute.MaxSize + global::LstmGen.LstmCellAttribute.MaxSize;
            }
            """).GetRoot();

        var found = UnqualifiedNamespaceReferences(root, new HashSet<string> { "System", "LstmGen" });

        Assert.That(found, Has.Count.EqualTo(2), string.Join("\n", found));
        Assert.That(found[0], Does.Contain("System.Span<int>"));
        Assert.That(found[1], Does.Contain("LstmGen.LstmCellAttribute"));
    }

    /// <summary>
    /// Leftmost identifiers of qualified names and member accesses that name a root namespace without <c>global::</c>.
    /// Checked by name rather than by binding, which would cost as much as compiling the kernels again.
    /// </summary>
    private static List<string> UnqualifiedNamespaceReferences(SyntaxNode root, ISet<string> rootNamespaces)
        => root.DescendantNodes()
            .OfType<IdentifierNameSyntax>()
            .Where(name => (name.Parent is QualifiedNameSyntax q && q.Left == name)
                || (name.Parent is MemberAccessExpressionSyntax m && m.Expression == name))
            .Where(name => !name.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Any(ns => ns.Name.Span.Contains(name.Span)))
            .Where(name => rootNamespaces.Contains(name.Identifier.ValueText))
            .Select(name => $"line {name.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {name.Parent}")
            .ToList();

    private static object? ConstantOf(INamedTypeSymbol type, string name)
        => type.GetMembers(name).OfType<IFieldSymbol>().SingleOrDefault(f => f.IsConst)?.ConstantValue;
}
