using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace LstmGen.Generators.Models;

/// <summary>
/// A diagnostic to report later, kept as values: descriptor, tree and span (so #pragma suppression works) and arguments.
/// The tree is compared by reference, which is stable while the file is unchanged.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, SyntaxTree SyntaxTree, TextSpan Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxNodeOrToken target, params string[] arguments)
        => new(descriptor, target.SyntaxTree!, target.Span, new EquatableArray<string>(arguments));

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxTree tree, TextSpan span, params string[] arguments)
        => new(descriptor, tree, span, new EquatableArray<string>(arguments));

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(Descriptor, Location.Create(SyntaxTree, Span), Arguments.ToArrayOrEmpty());
}

internal static class EquatableArrayExtensions
{
    public static object[] ToArrayOrEmpty(this EquatableArray<string> array)
    {
        var result = new object[array.Count];
        for (var i = 0; i < result.Length; i++) result[i] = array[i];
        return result;
    }
}
