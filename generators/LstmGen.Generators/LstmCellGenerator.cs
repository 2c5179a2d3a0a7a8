using LstmGen.Generators.Diagnostics;
using LstmGen.Generators.Helpers;
using LstmGen.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Generators;

/// <summary>
/// Turns <c>[LstmCell(D, H)]</c> on a partial type into fixed-size float and double LSTM kernels.
/// Pipeline: attribute → <see cref="Parser"/> (symbols to a value model plus diagnostics) → <see cref="Emitter"/> (model to text).
/// </summary>
/// <remarks>
/// Steps (tracking names in <see cref="TrackingNames"/>): Execute parses each attributed declaration into a
/// <see cref="Result{TValue}"/>; its diagnostics are reported, and its valid models (Output) are emitted once
/// Combine'd with two small compilation-wide values: the hint-name plan (HintNames, from the cells' names only) and
/// the target (Target: language version and referenced framework types). Neither changes on an ordinary edit, so an
/// edit that leaves a cell's model equal re-emits nothing.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class LstmCellGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.LstmCellAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, token) => Parser.Parse(context, token))
            .WithTrackingName(TrackingNames.Execute);

        // Compilation-wide facts, reduced to one small equatable value: recomputed per compilation, but Unchanged.
        var target = context.CompilationProvider
            .Select(static (compilation, _) => TargetInfo.FromCompilation(compilation))
            .Combine(context.ParseOptionsProvider.Select(static (options, _) => ((CSharpParseOptions)options).LanguageVersion))
            .Select(static (pair, _) => pair.Left with { LanguageVersion = pair.Right })
            .WithTrackingName(TrackingNames.Target);

        var diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics.Combine(target), static (context, pair) =>
        {
            // Without the framework types the attributes may not even bind: LSTM0012 alone says what is wrong.
            var (diagnostics, target) = pair;
            if (!target.FrameworkSupported) return;
            foreach (var diagnostic in diagnostics)
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        // A variant attribute on a type without [LstmCell] would otherwise be silently ignored (LSTM0013).
        foreach (var variant in VariantAttributeNames)
        {
            var orphans = context.SyntaxProvider
                .ForAttributeWithMetadataName(variant, static (node, _) => node is TypeDeclarationSyntax, static (context, token) => OrphanVariant(context, token))
                .Where(static diagnostic => diagnostic is not null);
            context.RegisterSourceOutput(orphans, static (context, diagnostic) => context.ReportDiagnostic(diagnostic!.ToDiagnostic()));
        }

        // One report per compilation (it is a project setting, not a line of code), and only if some cell is declared.
        var anyCell = results.Collect().Select(static (all, _) => !all.IsEmpty).WithTrackingName(TrackingNames.AnyCell);
        context.RegisterSourceOutput(target.Combine(anyCell), static (context, pair) =>
        {
            var (target, anyCell) = pair;
            if (!anyCell) return;
            foreach (var diagnostic in TargetDiagnostics(target))
                context.ReportDiagnostic(diagnostic);
        });

        var cells = results
            .Where(static result => result.Value is not null && result.Diagnostics.Count == 0)
            .Select(static (result, _) => result.Value!)
            .WithTrackingName(TrackingNames.Output);

        // Hint names depend on the other cells' names only (collisions ignoring case): a size change leaves the plan Unchanged.
        var plan = cells
            .Select(static (cell, _) => cell.Hierarchy.MetadataName)
            .Collect()
            .Select(static (names, _) => HintNames.CreatePlan(names))
            .WithTrackingName(TrackingNames.HintNames);

        context.RegisterSourceOutput(cells.Combine(plan).Combine(target), static (context, input) =>
        {
            var ((cell, plan), target) = input;
            if (!target.Supported) return;
            if (HintNames.For(cell.Hierarchy.MetadataName, plan) is { } hintName)
                context.AddSource(hintName, Emitter.Emit(cell));
        });
    }

    private static readonly string[] VariantAttributeNames =
    {
        KnownTypeNames.PeepholeAttribute, KnownTypeNames.LayerNormAttribute, KnownTypeNames.ForgetBiasAttribute,
        KnownTypeNames.CoupledInputForgetGateAttribute, KnownTypeNames.ClipAttribute,
    };

    /// <summary>LSTM0013 at the variant attribute when its type (on any partial declaration) has no [LstmCell]; otherwise null.</summary>
    private static DiagnosticInfo? OrphanVariant(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        foreach (var attribute in context.TargetSymbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == KnownTypeNames.LstmCellAttribute) return null;
        }
        var applied = context.Attributes[0];
        if (applied.ApplicationSyntaxReference?.GetSyntax(token) is not AttributeSyntax syntax) return null;
        var name = applied.AttributeClass!.Name;
        if (name.EndsWith("Attribute", System.StringComparison.Ordinal)) name = name.Substring(0, name.Length - "Attribute".Length);
        return DiagnosticInfo.Create(DiagnosticDescriptors.VariantWithoutCell, syntax, name, context.TargetSymbol.Name);
    }

    /// <summary>LSTM0011 and LSTM0012 for a target the generated code cannot compile for.</summary>
    internal static System.Collections.Generic.IEnumerable<Diagnostic> TargetDiagnostics(TargetInfo target)
    {
        if (!target.LanguageVersionSupported)
            yield return Diagnostic.Create(DiagnosticDescriptors.LanguageVersionTooOld, Location.None,
                TargetInfo.MinimumLanguageVersion.ToDisplayString(), target.LanguageVersion.ToDisplayString(),
                TargetInfo.RecommendedLanguageVersion.ToDisplayString());
        if (!target.HasRuntime)
            yield return Diagnostic.Create(DiagnosticDescriptors.MissingFrameworkSupport, Location.None,
                "the LstmGen runtime library (LstmGen.ILstmCell<T>, LstmParameters<TCell, T>, Lstm)",
                "reference the LstmGen package or project, not only its generator");
        if (!(target.HasVector256 && target.HasVector512 && target.HasGenericMath))
        {
            var missing = new System.Collections.Generic.List<string>();
            if (!target.HasVector256) missing.Add("System.Runtime.Intrinsics.Vector256");
            if (!target.HasVector512) missing.Add("System.Runtime.Intrinsics.Vector512");
            if (!target.HasGenericMath) missing.Add("System.Numerics.IFloatingPointIeee754<T>");
            yield return Diagnostic.Create(DiagnosticDescriptors.MissingFrameworkSupport, Location.None,
                string.Join(", ", missing),
                "LstmGen's kernels need .NET 8 or later: target net8.0 or a newer framework (netstandard and .NET 7 or older lack these types)");
        }
    }
}
