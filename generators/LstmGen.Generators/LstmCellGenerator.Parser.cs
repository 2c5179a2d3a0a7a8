using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using LstmGen.Generators.Diagnostics;
using LstmGen.Generators.Helpers;
using LstmGen.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Generators;

public sealed partial class LstmCellGenerator
{
    /// <summary>
    /// Symbols → <see cref="LstmCellInfo"/>: validates the declaration and the attribute arguments. Every problem becomes
    /// a diagnostic on the offending argument, attribute or type name, and then the model is null (nothing is emitted);
    /// the parser never throws on any input the compiler can bind.
    /// </summary>
    internal static class Parser
    {
        /// <summary>Largest accepted D or H; equals <c>LstmCellAttribute.MaxSize</c>.</summary>
        public const int MaxSize = 4096;

        private static readonly Parameter[] SizeParameters = { new("inputSize", SpecialType.System_Int32), new("hiddenSize", SpecialType.System_Int32) };
        private static readonly Parameter[] NoParameters = { };
        private static readonly Parameter[] ForgetBiasParameters = { new("value", SpecialType.System_Double) };
        private static readonly Parameter[] ClipParameters = { new("threshold", SpecialType.System_Double) };
        private static readonly Parameter[] LayerNormProperties = { new("Epsilon", SpecialType.System_Double), new("PerGateStatistics", SpecialType.System_Boolean) };

        /// <summary>A constructor parameter or settable property of one of our attributes.</summary>
        private sealed record Parameter(string Name, SpecialType Type)
        {
            public string TypeName => Type switch
            {
                SpecialType.System_Int32 => "int",
                SpecialType.System_Double => "double",
                _ => "bool",
            };
        }

        public static Result<LstmCellInfo?> Parse(GeneratorAttributeSyntaxContext context, CancellationToken token)
        {
            var declaration = (TypeDeclarationSyntax)context.TargetNode;
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var diagnostics = new List<DiagnosticInfo>();

            // [LstmCell] on several partial declarations (or twice on one): only the first one in declaration order is
            // parsed; every other one is reported where it stands, and the type gets no code.
            var cellAttributes = CellAttributes(symbol);
            var first = cellAttributes.Length > 0 ? cellAttributes[0] : context.Attributes[0];
            foreach (var attribute in context.Attributes)
            {
                if (!SameApplication(attribute, first) && Syntax(attribute, token) is { } duplicate && IsOn(declaration, duplicate))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateAttribute, duplicate.Name, "LstmCell", symbol.Name));
            }
            // FAWMN hands every declaration the matching attributes of its whole tree: the one holding the first parses the type.
            if (Syntax(first, token) is { } firstSyntax && !IsOn(declaration, firstSyntax))
                return Invalid(diagnostics);

            CheckDeclaration(declaration, symbol, diagnostics);
            CheckKind(declaration, symbol, diagnostics);
            token.ThrowIfCancellationRequested();

            var sizes = ReadArguments(first, "LstmCell", SizeParameters, context.SemanticModel, diagnostics, token);
            int? input = CheckSize(sizes, 0, diagnostics), hidden = CheckSize(sizes, 1, diagnostics);
            token.ThrowIfCancellationRequested();

            var variant = ParseVariant(symbol, context.SemanticModel, diagnostics, token);
            token.ThrowIfCancellationRequested();

            CheckNames(declaration, symbol, diagnostics, token);

            if (diagnostics.Count > 0 || cellAttributes.Length > 1 || input is null || hidden is null)
                return Invalid(diagnostics);
            var hierarchy = BuildHierarchy(symbol);
            return new Result<LstmCellInfo?>(new LstmCellInfo(hierarchy, input.Value, hidden.Value, variant), EquatableArray<DiagnosticInfo>.Empty);
        }

        /// <summary>Whether <paramref name="attribute"/> is written on <paramref name="declaration"/> itself (not on another partial one).</summary>
        private static bool IsOn(TypeDeclarationSyntax declaration, AttributeSyntax attribute)
            => attribute.Parent is AttributeListSyntax { Parent: var owner } && owner == declaration;

        private static Result<LstmCellInfo?> Invalid(List<DiagnosticInfo> diagnostics) => new(null, diagnostics.ToEquatableArray());

        // ---------------------------------------------------------------- the declaration

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

        /// <summary>Kinds that cannot implement ILstmCell&lt;T&gt;, be a type argument, or be reopened from another file.</summary>
        private static void CheckKind(TypeDeclarationSyntax declaration, INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics)
        {
            string? reason = null;
            if (symbol.TypeKind == TypeKind.Interface) reason = "an interface";
            else if (symbol.IsStatic) reason = "a static class";
            else if (symbol.IsRefLikeType) reason = "a ref struct";
            else
            {
                for (var type = symbol; type is not null; type = type.ContainingType)
                {
                    if (type.IsFileLocal)
                    {
                        reason = type.Equals(symbol, SymbolEqualityComparer.Default)
                            ? "a file-local type ('file' types cannot be extended by a generated file)"
                            : $"nested in the file-local type '{type.Name}' ('file' types cannot be extended by a generated file)";
                        break;
                    }
                }
            }
            if (reason is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedTypeKind, declaration.Identifier, symbol.Name, reason));

            // Two distinct types with one metadata name (e.g. 'partial struct C' and 'partial class C'): the compiler
            // reports them; the generator must not emit two files for one name.
            var siblings = symbol.ContainingType is { } outer
                ? outer.GetTypeMembers(symbol.Name, symbol.Arity)
                : symbol.ContainingNamespace.GetTypeMembers(symbol.Name, symbol.Arity);
            if (siblings.Length > 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateAttribute, declaration.Identifier, "LstmCell", symbol.Name));
        }

        /// <summary>Members the user declared (or inherited) with a name the emitter uses; the cell's own name too.</summary>
        private static void CheckNames(TypeDeclarationSyntax declaration, INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            if (GeneratedNames.IsGenerated(symbol.Name))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision, declaration.Identifier, symbol.Name, symbol.Name,
                    "a member cannot have the name of its type (CS0542)"));
            else if (symbol.Name == GeneratedNames.TypeParameter)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision, declaration.Identifier, symbol.Name, symbol.Name,
                    "it is the type parameter of the generated Forward<T> and Backward<T> (CS0694)"));

            // Members of every partial declaration, nested types and record parameters included (cells are usually empty markers).
            var reported = new HashSet<string>();
            foreach (var member in symbol.GetMembers())
            {
                token.ThrowIfCancellationRequested();
                if (member is IMethodSymbol { AssociatedSymbol: not null }) continue; // accessors: their property is checked
                var explicitName = ExplicitLstmCellMember(member);
                var name = explicitName ?? member.Name;
                if (explicitName is null && !GeneratedNames.IsGenerated(name)) continue;
                if (!reported.Add(name)) continue;
                var detail = explicitName is not null ? "the generated code implements that ILstmCell member itself" : "the generated member would clash with it";
                if (FirstSourceLocation(member) is { } location)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision, location.SourceTree!, location.SourceSpan, symbol.Name, name, detail));
                else
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision, declaration.Identifier, symbol.Name, name, detail));
            }

            for (var baseType = symbol.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
            {
                foreach (var name in baseType.MemberNames)
                {
                    if (!GeneratedNames.IsGenerated(name)) continue;
                    foreach (var member in baseType.GetMembers(name))
                    {
                        if (member.DeclaredAccessibility == Accessibility.Private) continue;
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision, declaration.Identifier, symbol.Name, $"{baseType.Name}.{name}",
                            "the generated member would hide the inherited one"));
                        break;
                    }
                }
            }
        }

        /// <summary>The ILstmCell member a user member implements explicitly (<c>static int ILstmCell&lt;C&gt;.InputSize</c>), if any.</summary>
        private static string? ExplicitLstmCellMember(ISymbol member)
        {
            var implemented = member switch
            {
                IMethodSymbol method => method.ExplicitInterfaceImplementations.CastArray<ISymbol>(),
                IPropertySymbol property => property.ExplicitInterfaceImplementations.CastArray<ISymbol>(),
                _ => ImmutableArray<ISymbol>.Empty,
            };
            foreach (var target in implemented)
            {
                if (target.ContainingType is { MetadataName: "ILstmCell`1", ContainingNamespace: { Name: "LstmGen", ContainingNamespace.IsGlobalNamespace: true } })
                    return target.Name;
            }
            return null;
        }

        private static Location? FirstSourceLocation(ISymbol symbol)
        {
            foreach (var location in symbol.Locations)
            {
                if (location.IsInSource) return location;
            }
            return null;
        }

        // ---------------------------------------------------------------- attribute arguments

        /// <summary>
        /// The values of <paramref name="parameters"/> for one attribute application, in parameter order (null where
        /// missing or invalid), with LSTM0005 on each bad argument. When the compiler bound the constructor the values
        /// come from it; otherwise (a wrong type, a missing or extra argument) each argument is checked on its own, so
        /// only the bad one is reported.
        /// </summary>
        private static TypedValue?[] ReadArguments(AttributeData attribute, string attributeName, Parameter[] parameters, SemanticModel semanticModel,
            List<DiagnosticInfo> diagnostics, CancellationToken token, bool hasProperties = false)
        {
            var values = new TypedValue?[parameters.Length];
            var syntax = Syntax(attribute, token);
            var arguments = syntax?.ArgumentList?.Arguments ?? default;
            if (!hasProperties)
            {
                // 'InputSize = 5' on an attribute without settable properties (the compiler reports it too).
                foreach (var argument in arguments)
                {
                    if (argument.NameEquals is { } nameEquals)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, argument, nameEquals.Name.Identifier.ValueText, attributeName,
                            $"cannot be set: [{attributeName}] has no settable properties; it takes {Describe(parameters)}"));
                }
            }
            var bound = attribute.AttributeConstructor is not null && attribute.ConstructorArguments.Length == parameters.Length;
            if (bound)
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    var constant = attribute.ConstructorArguments[i];
                    var location = ArgumentFor(arguments, parameters, i);
                    var value = constant.Kind == TypedConstantKind.Primitive ? TypedValue.From(constant.Value, parameters[i].Type) : null;
                    if (value is null)
                        Report(diagnostics, DiagnosticDescriptors.InvalidArgument, location, syntax, parameters[i].Name, attributeName, $"must be a compile-time constant of type {parameters[i].TypeName}");
                    else
                        values[i] = value with { Syntax = location };
                }
                return values;
            }

            if (syntax is null) return values;
            var reported = diagnostics.Count;
            var seen = new bool[parameters.Length];
            var position = 0;
            foreach (var argument in arguments)
            {
                token.ThrowIfCancellationRequested();
                if (argument.NameEquals is not null) continue; // a property: checked by the caller
                var index = argument.NameColon is { } nameColon
                    ? System.Array.FindIndex(parameters, p => p.Name == nameColon.Name.Identifier.ValueText)
                    : position < parameters.Length ? position : -1;
                position++;
                if (index < 0)
                {
                    var text = argument.NameColon?.Name.Identifier.ValueText ?? Shorten(argument.ToString());
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, argument, text, attributeName, argument.NameColon is null
                        ? $"is not expected: [{attributeName}] takes {Describe(parameters)}"
                        : $"does not exist: [{attributeName}] takes {Describe(parameters)}"));
                    continue;
                }
                seen[index] = true;
                var value = Evaluate(argument.Expression, parameters[index].Type, semanticModel, token);
                if (value is null)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, argument, parameters[index].Name, attributeName, $"must be a compile-time constant of type {parameters[index].TypeName}"));
                else
                    values[index] = value with { Syntax = argument };
            }
            for (var i = 0; i < parameters.Length; i++)
            {
                if (!seen[i])
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, syntax.Name, parameters[i].Name, attributeName, $"is missing: [{attributeName}] takes {Describe(parameters)}"));
            }
            if (diagnostics.Count == reported)
            {
                // The compiler rejected the attribute for a reason not tied to one argument (e.g. an ambiguous overload).
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, syntax, Shorten(syntax.ToString()), attributeName, $"does not bind: [{attributeName}] takes {Describe(parameters)}"));
            }
            return values;
        }

        /// <summary>Named property arguments (<c>Epsilon = …</c>): each must be one of <paramref name="properties"/> with a constant of its type.</summary>
        private static TypedValue?[] ReadProperties(AttributeData attribute, string attributeName, Parameter[] properties, SemanticModel semanticModel,
            List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            var values = new TypedValue?[properties.Length];
            if (Syntax(attribute, token) is not { ArgumentList: { } list }) return values;
            foreach (var argument in list.Arguments)
            {
                if (argument.NameEquals is not { } nameEquals) continue;
                var name = nameEquals.Name.Identifier.ValueText;
                var index = System.Array.FindIndex(properties, p => p.Name == name);
                if (index < 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, argument, name, attributeName, $"does not exist: [{attributeName}] has {Describe(properties)}"));
                    continue;
                }
                var value = Evaluate(argument.Expression, properties[index].Type, semanticModel, token);
                if (value is null)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, argument, name, attributeName, $"must be a compile-time constant of type {properties[index].TypeName}"));
                else
                    values[index] = value with { Syntax = argument };
            }
            return values;
        }

        /// <summary>The constant value of <paramref name="expression"/> if it converts implicitly to <paramref name="type"/>.</summary>
        private static TypedValue? Evaluate(ExpressionSyntax expression, SpecialType type, SemanticModel semanticModel, CancellationToken token)
        {
            // The attribute may sit on another partial declaration, in another tree.
            var model = expression.SyntaxTree == semanticModel.SyntaxTree ? semanticModel : semanticModel.Compilation.GetSemanticModel(expression.SyntaxTree);
            var constant = model.GetConstantValue(expression, token);
            if (!constant.HasValue) return null;
            var target = model.Compilation.GetSpecialType(type);
            var conversion = model.ClassifyConversion(expression, target);
            if (!conversion.Exists || !conversion.IsImplicit) return null;
            return TypedValue.From(constant.Value, type);
        }

        private static SyntaxNode? ArgumentFor(SeparatedSyntaxList<AttributeArgumentSyntax> arguments, Parameter[] parameters, int index)
        {
            var position = 0;
            foreach (var argument in arguments)
            {
                if (argument.NameEquals is not null) continue;
                if (argument.NameColon is { } nameColon ? nameColon.Name.Identifier.ValueText == parameters[index].Name : position == index)
                    return argument;
                position++;
            }
            return null;
        }

        private static string Describe(Parameter[] parameters)
            => parameters.Length == 0 ? "no arguments" : string.Join(" and ", System.Array.ConvertAll(parameters, p => $"{p.Name} ({p.TypeName})"));

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 37) + "...";

        private static int? CheckSize(TypedValue?[] sizes, int index, List<DiagnosticInfo> diagnostics)
        {
            if (sizes[index] is not { } size) return null;
            var value = size.Int;
            if (value >= 1 && value <= MaxSize) return value;
            if (size.Syntax is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SizeOutOfRange, size.Syntax, SizeParameters[index].Name,
                    value.ToString(CultureInfo.InvariantCulture), MaxSize.ToString(CultureInfo.InvariantCulture)));
            return null;
        }

        // ---------------------------------------------------------------- variants

        /// <summary>Reads [Peephole], [LayerNorm], [ForgetBias], [CoupledInputForgetGate] and [Clip] from any partial declaration.</summary>
        private static LstmVariant ParseVariant(INamedTypeSymbol symbol, SemanticModel semanticModel, List<DiagnosticInfo> diagnostics, CancellationToken token)
        {
            bool peephole = false, layerNorm = false, perGate = false, cifg = false;
            double epsilon = 1e-5, forgetBias = 0;
            double? clip = null;
            AttributeData? forgetBiasAttribute = null;
            var seen = new HashSet<string>();
            foreach (var attribute in symbol.GetAttributes())
            {
                token.ThrowIfCancellationRequested();
                var name = attribute.AttributeClass?.ToDisplayString();
                var shortName = name switch
                {
                    KnownTypeNames.PeepholeAttribute => "Peephole",
                    KnownTypeNames.LayerNormAttribute => "LayerNorm",
                    KnownTypeNames.ForgetBiasAttribute => "ForgetBias",
                    KnownTypeNames.CoupledInputForgetGateAttribute => "CoupledInputForgetGate",
                    KnownTypeNames.ClipAttribute => "Clip",
                    _ => null,
                };
                if (shortName is null) continue;
                if (!seen.Add(shortName))
                {
                    if (Syntax(attribute, token) is { } duplicate)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateAttribute, duplicate.Name, shortName, symbol.Name));
                    continue;
                }
                switch (shortName)
                {
                    case "Peephole":
                        ReadArguments(attribute, shortName, NoParameters, semanticModel, diagnostics, token);
                        peephole = true;
                        break;
                    case "CoupledInputForgetGate":
                        ReadArguments(attribute, shortName, NoParameters, semanticModel, diagnostics, token);
                        cifg = true;
                        break;
                    case "LayerNorm":
                        ReadArguments(attribute, shortName, NoParameters, semanticModel, diagnostics, token, hasProperties: true);
                        layerNorm = true;
                        var properties = ReadProperties(attribute, shortName, LayerNormProperties, semanticModel, diagnostics, token);
                        if (properties[0] is { } e)
                        {
                            epsilon = e.Double;
                            CheckPositiveFinite(e, "Epsilon", shortName, diagnostics);
                        }
                        if (properties[1] is { } perGateValue) perGate = perGateValue.Bool;
                        break;
                    case "ForgetBias":
                        forgetBiasAttribute = attribute;
                        if (ReadArguments(attribute, shortName, ForgetBiasParameters, semanticModel, diagnostics, token)[0] is { } phi)
                        {
                            forgetBias = phi.Double;
                            if (!IsFiniteInBothPrecisions(phi.Double) && phi.Syntax is not null)
                                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidVariantValue, phi.Syntax, "value", shortName, Format(phi.Double),
                                    $"finite in float and double (|value| <= {Format(float.MaxValue)})"));
                        }
                        break;
                    case "Clip":
                        if (ReadArguments(attribute, shortName, ClipParameters, semanticModel, diagnostics, token)[0] is { } kappa)
                        {
                            clip = kappa.Double;
                            CheckPositiveFinite(kappa, "threshold", shortName, diagnostics);
                        }
                        break;
                }
            }
            if (forgetBiasAttribute is not null && cifg && Syntax(forgetBiasAttribute, token) is { } forgetBiasSyntax)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingVariants, forgetBiasSyntax, "ForgetBias", "CoupledInputForgetGate",
                    "the forget pre-activation is unused when f = 1 - i; remove one of them"));
            return new LstmVariant(peephole, layerNorm, epsilon, layerNorm && perGate, forgetBias, cifg, clip);
        }

        /// <summary>ε and κ are written into both kernels, so they must stay positive and finite when rounded to float.</summary>
        private static void CheckPositiveFinite(TypedValue value, string name, string attributeName, List<DiagnosticInfo> diagnostics)
        {
            var x = value.Double;
            if (x > 0 && IsFiniteInBothPrecisions(x) && (float)x > 0) return;
            if (value.Syntax is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidVariantValue, value.Syntax, name, attributeName, Format(x),
                    $"positive and finite in float and double (between {Format(float.Epsilon)} and {Format(float.MaxValue)})"));
        }

        private static bool IsFiniteInBothPrecisions(double x) => !double.IsNaN(x) && !double.IsInfinity(x) && !float.IsInfinity((float)x);

        private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static string Format(float value) => ((double)value).ToString("R", CultureInfo.InvariantCulture);

        // ---------------------------------------------------------------- attribute helpers

        private static ImmutableArray<AttributeData> CellAttributes(INamedTypeSymbol symbol)
        {
            var builder = ImmutableArray.CreateBuilder<AttributeData>();
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == KnownTypeNames.LstmCellAttribute)
                    builder.Add(attribute);
            }
            return builder.ToImmutable();
        }

        private static bool SameApplication(AttributeData a, AttributeData b)
            => ReferenceEquals(a, b)
                || (a.ApplicationSyntaxReference is { } x && b.ApplicationSyntaxReference is { } y && x.SyntaxTree == y.SyntaxTree && x.Span == y.Span);

        private static AttributeSyntax? Syntax(AttributeData attribute, CancellationToken token)
            => attribute.ApplicationSyntaxReference?.GetSyntax(token) as AttributeSyntax;

        private static void Report(List<DiagnosticInfo> diagnostics, DiagnosticDescriptor descriptor, SyntaxNode? location, AttributeSyntax? fallback, params string[] arguments)
        {
            if ((location ?? fallback) is { } node)
                diagnostics.Add(DiagnosticInfo.Create(descriptor, node, arguments));
        }

        // ---------------------------------------------------------------- the model

        private static HierarchyInfo BuildHierarchy(INamedTypeSymbol symbol)
        {
            var levels = new List<TypeLevel>();
            var names = new List<string>();
            for (var type = symbol; type is not null; type = type.ContainingType)
            {
                levels.Insert(0, new TypeLevel(Keyword(type), Escape(type.Name)));
                names.Insert(0, type.Name);
            }
            var namespaces = new List<string>();
            for (var ns = symbol.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
                namespaces.Insert(0, ns.Name);
            var escapedNamespace = string.Join(".", namespaces.ConvertAll(Escape));
            var fullyQualified = "global::" + (escapedNamespace.Length == 0 ? "" : escapedNamespace + ".") + string.Join(".", levels.ConvertAll(l => l.Name));
            var metadataName = string.Join(".", namespaces) + (namespaces.Count == 0 ? "" : ".") + string.Join("+", names);
            return new HierarchyInfo(escapedNamespace, levels.ToEquatableArray(), fullyQualified, metadataName);
        }

        /// <summary>An identifier as it must be written in source: '@' before keywords (<c>@class</c>, <c>@event</c>).</summary>
        internal static string Escape(string identifier)
            => SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(identifier) != SyntaxKind.None
                ? "@" + identifier
                : identifier;

        private static string Keyword(INamedTypeSymbol type) => (type.IsRecord, type.IsValueType) switch
        {
            (true, true) => "record struct",
            (true, false) => "record",
            (false, true) => "struct",
            _ => type.TypeKind == TypeKind.Interface ? "interface" : "class",
        };
    }

    /// <summary>A constant attribute argument converted to its parameter's type, with the syntax to report it at.</summary>
    private sealed record TypedValue(SpecialType Type, int Int, double Double, bool Bool)
    {
        public SyntaxNode? Syntax { get; init; }

        /// <summary>Applies C#'s implicit numeric conversions to a constant the compiler already accepted for the type.</summary>
        public static TypedValue? From(object? value, SpecialType type)
        {
            switch (type)
            {
                case SpecialType.System_Int32:
                    int? i = value switch { int v => v, short v => v, ushort v => v, byte v => v, sbyte v => v, char v => v, _ => null };
                    return i is { } integer ? new TypedValue(type, integer, integer, false) : null;
                case SpecialType.System_Double:
                    double? d = value switch
                    {
                        double v => v, float v => v, long v => v, ulong v => v, int v => v, uint v => v,
                        short v => v, ushort v => v, byte v => v, sbyte v => v, char v => v, _ => null,
                    };
                    return d is { } real ? new TypedValue(type, 0, real, false) : null;
                case SpecialType.System_Boolean:
                    return value is bool b ? new TypedValue(type, 0, 0, b) : null;
                default:
                    return null;
            }
        }
    }
}
