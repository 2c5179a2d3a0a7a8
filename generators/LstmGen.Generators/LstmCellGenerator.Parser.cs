using System.Collections.Generic;
using System.Threading;
using LstmGen.Generators.Diagnostics;
using LstmGen.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Generators;

public sealed partial class LstmCellGenerator
{
    /// <summary>Symbols → <see cref="LstmCellInfo"/>: validates the declaration and the attribute arguments.</summary>
    internal static class Parser
    {
        /// <summary>Largest accepted D or H; equals <c>LstmCellAttribute.MaxSize</c>.</summary>
        public const int MaxSize = 4096;

        public static Result<LstmCellInfo?> Parse(GeneratorAttributeSyntaxContext context, CancellationToken token)
        {
            var declaration = (TypeDeclarationSyntax)context.TargetNode;
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var diagnostics = new List<DiagnosticInfo>();

            CheckDeclaration(declaration, symbol, diagnostics);
            token.ThrowIfCancellationRequested();

            var sizes = ParseSizes(context.Attributes[0], symbol, diagnostics, token);
            token.ThrowIfCancellationRequested();

            if (diagnostics.Count > 0 || sizes is null)
                return new Result<LstmCellInfo?>(null, diagnostics.ToEquatableArray());
            var hierarchy = BuildHierarchy(symbol);
            return new Result<LstmCellInfo?>(new LstmCellInfo(hierarchy, sizes.Value.Input, sizes.Value.Hidden), EquatableArray<DiagnosticInfo>.Empty);
        }

        private static void CheckDeclaration(TypeDeclarationSyntax declaration, INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics)
        {
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, declaration.Identifier, symbol.Name));

            for (var parent = declaration.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
            {
                if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, parent.Identifier, parent.Identifier.ValueText, symbol.Name));
            }

            for (var type = symbol; type is not null; type = type.ContainingType)
            {
                if (type.IsGenericType)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericType, declaration.Identifier, symbol.Name));
                    break;
                }
            }
        }

        private static (int Input, int Hidden)? ParseSizes(AttributeData attribute, INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(token) as AttributeSyntax;
            var arguments = attribute.ConstructorArguments;
            int? input = ReadSize(arguments, 0, "inputSize", syntax, diagnostics);
            int? hidden = ReadSize(arguments, 1, "hiddenSize", syntax, diagnostics);
            return input is null || hidden is null ? null : (input.Value, hidden.Value);
        }

        private static int? ReadSize(System.Collections.Immutable.ImmutableArray<TypedConstant> arguments, int index, string name, AttributeSyntax? syntax, List<DiagnosticInfo> diagnostics)
        {
            SyntaxNodeOrToken location = syntax?.ArgumentList is { } list && list.Arguments.Count > index
                ? list.Arguments[index]
                : syntax is not null ? syntax : default;
            if (arguments.Length <= index || arguments[index].Kind != TypedConstantKind.Primitive || arguments[index].Value is not int value)
            {
                if (location.SyntaxTree is not null)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location, name, "LstmCell", "int"));
                return null;
            }
            if (value < 1 || value > MaxSize)
            {
                if (location.SyntaxTree is not null)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeOutOfRange, location, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture), MaxSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return null;
            }
            return value;
        }

        private static HierarchyInfo BuildHierarchy(INamedTypeSymbol symbol)
        {
            var levels = new List<TypeLevel>();
            for (var type = symbol; type is not null; type = type.ContainingType)
                levels.Insert(0, new TypeLevel(Keyword(type), type.Name));
            var ns = symbol.ContainingNamespace.IsGlobalNamespace ? string.Empty : symbol.ContainingNamespace.ToDisplayString();
            var fullyQualified = symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var metadataName = (ns.Length == 0 ? string.Empty : ns + ".") + string.Join(".", levels.ConvertAll(l => l.Name));
            return new HierarchyInfo(ns, levels.ToEquatableArray(), fullyQualified, metadataName);
        }

        private static string Keyword(INamedTypeSymbol type) => (type.IsRecord, type.IsValueType) switch
        {
            (true, true) => "record struct",
            (true, false) => "record",
            (false, true) => "struct",
            _ => type.TypeKind == TypeKind.Interface ? "interface" : "class",
        };
    }
}
