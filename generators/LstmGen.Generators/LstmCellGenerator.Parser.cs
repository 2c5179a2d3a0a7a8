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
            var variant = ParseVariant(symbol, diagnostics, token);
            token.ThrowIfCancellationRequested();

            if (diagnostics.Count > 0 || sizes is null)
                return new Result<LstmCellInfo?>(null, diagnostics.ToEquatableArray());
            var hierarchy = BuildHierarchy(symbol);
            return new Result<LstmCellInfo?>(new LstmCellInfo(hierarchy, sizes.Value.Input, sizes.Value.Hidden, variant), EquatableArray<DiagnosticInfo>.Empty);
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

        /// <summary>Reads [Peephole], [LayerNorm], [ForgetBias], [CoupledInputForgetGate] and [Clip] from any partial declaration.</summary>
        private static LstmVariant ParseVariant(INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            bool peephole = false, layerNorm = false, perGate = false, cifg = false;
            double epsilon = 1e-5, forgetBias = 0;
            double? clip = null;
            AttributeData? forgetBiasAttribute = null, cifgAttribute = null;
            foreach (var attribute in symbol.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case KnownTypeNames.PeepholeAttribute:
                        peephole = true;
                        break;
                    case KnownTypeNames.LayerNormAttribute:
                        layerNorm = true;
                        foreach (var named in attribute.NamedArguments)
                        {
                            if (named.Key == "Epsilon" && named.Value.Value is double e)
                            {
                                epsilon = e;
                                if (!(e > 0) || double.IsInfinity(e))
                                    Report(diagnostics, DiagnosticDescriptors.InvalidVariantValue, attribute, token, "Epsilon", "LayerNorm", Format(e), "positive and finite");
                            }
                            else if (named.Key == "PerGateStatistics" && named.Value.Value is bool b)
                            {
                                perGate = b;
                            }
                        }
                        break;
                    case KnownTypeNames.ForgetBiasAttribute:
                        forgetBiasAttribute = attribute;
                        if (ConstantArgument<double>(attribute, 0, "value", "ForgetBias", "double", diagnostics, token) is { } phi)
                        {
                            forgetBias = phi;
                            if (double.IsNaN(phi) || double.IsInfinity(phi))
                                Report(diagnostics, DiagnosticDescriptors.InvalidVariantValue, attribute, token, "value", "ForgetBias", Format(phi), "finite");
                        }
                        break;
                    case KnownTypeNames.CoupledInputForgetGateAttribute:
                        cifg = true;
                        cifgAttribute = attribute;
                        break;
                    case KnownTypeNames.ClipAttribute:
                        if (ConstantArgument<double>(attribute, 0, "threshold", "Clip", "double", diagnostics, token) is { } kappa)
                        {
                            clip = kappa;
                            if (!(kappa > 0) || double.IsInfinity(kappa))
                                Report(diagnostics, DiagnosticDescriptors.InvalidVariantValue, attribute, token, "threshold", "Clip", Format(kappa), "positive and finite");
                        }
                        break;
                }
            }
            if (forgetBiasAttribute is not null && cifgAttribute is not null)
                Report(diagnostics, DiagnosticDescriptors.ConflictingVariants, forgetBiasAttribute, token, "ForgetBias", "CoupledInputForgetGate",
                    "the forget pre-activation is unused when f = 1 - i; remove one of them");
            return new LstmVariant(peephole, layerNorm, epsilon, layerNorm && perGate, forgetBias, cifg, clip);
        }

        private static T? ConstantArgument<T>(AttributeData attribute, int index, string name, string attributeName, string typeName,
            List<DiagnosticInfo> diagnostics, CancellationToken token) where T : struct
        {
            var arguments = attribute.ConstructorArguments;
            if (arguments.Length > index && arguments[index].Kind == TypedConstantKind.Primitive && arguments[index].Value is T value)
                return value;
            Report(diagnostics, DiagnosticDescriptors.InvalidArgument, attribute, token, name, attributeName, typeName);
            return null;
        }

        private static void Report(List<DiagnosticInfo> diagnostics, Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, AttributeData attribute,
            CancellationToken token, params string[] arguments)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(token) is { } syntax)
                diagnostics.Add(DiagnosticInfo.Create(descriptor, syntax, arguments));
        }

        private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

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
