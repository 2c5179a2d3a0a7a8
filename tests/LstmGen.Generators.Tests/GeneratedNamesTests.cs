using System.Linq;
using LstmGen.Generators.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// The parser's list of generated member names (for LSTM0010) covers everything the emitter declares, and every private
/// helper the emitter declares is called (no dead code). Syntax only: nothing is compiled.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class GeneratedNamesTests
{
    // Sizes with Vector512, Vector256 and scalar paths and tails in both precisions; every variant option across the two.
    [TestCase("[LstmCell(17, 33), Peephole, LayerNorm, ForgetBias(1.0), Clip(3.0)]")]
    [TestCase("[LstmCell(5, 9), CoupledInputForgetGate, LayerNorm(PerGateStatistics = true), Peephole]")]
    [TestCase("[LstmCell(64, 128)]")]
    [TestCase("[LstmCell(1, 1)]")]
    public void EveryEmittedMember_IsAGeneratedName_AndEveryPrivateHelperIsCalled(string attributes)
    {
        var run = GeneratorHarness.Run($"using LstmGen; namespace N; {attributes} public partial struct Cell;");
        var root = CSharpSyntaxTree.ParseText(run.Sources.Single().Value).GetRoot();
        var cell = root.DescendantNodes().OfType<StructDeclarationSyntax>().Single();
        var members = cell.Members.ToList();

        var names = members.Select(NameOf).Where(name => name is not null).Select(name => name!).Distinct().ToList();
        Assert.That(names, Is.Not.Empty);
        Assert.That(names.Where(name => !GeneratedNames.IsGenerated(name)), Is.Empty,
            "Members emitted into the cell but missing from GeneratedNames.Public (kernels belong in the kernels class)");

        // The kernels: a file-local class in LstmGen.Generated, and every method of it is called.
        var kernels = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
        Assert.That(kernels.Identifier.ValueText, Is.EqualTo("CellKernels"));
        Assert.That(kernels.Modifiers.Any(SyntaxKind.FileKeyword), "file-local");
        Assert.That((kernels.Parent as NamespaceDeclarationSyntax)?.Name.ToString(), Is.EqualTo("LstmGen.Generated"));
        var called = root.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(invocation => invocation.Expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                GenericNameSyntax generic => generic.Identifier.ValueText,
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                _ => null,
            })
            .ToHashSet();
        var helpers = kernels.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText).Distinct().ToList();
        Assert.That(helpers, Is.Not.Empty);
        Assert.That(helpers.Where(name => !called.Contains(name)), Is.Empty, "Kernels that nothing calls");
    }

    private static string? NameOf(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } m => m.Identifier.ValueText,
        PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } p => p.Identifier.ValueText,
        FieldDeclarationSyntax f => f.Declaration.Variables.First().Identifier.ValueText,
        BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
        _ => null,
    };
}
