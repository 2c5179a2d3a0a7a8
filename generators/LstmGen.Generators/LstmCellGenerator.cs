using LstmGen.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Generators;

/// <summary>
/// Turns <c>[LstmCell(D, H)]</c> on a partial type into fixed-size float and double LSTM kernels.
/// Pipeline: attribute → <see cref="Parser"/> (symbols to a value model plus diagnostics) → <see cref="Emitter"/> (model to text).
/// </summary>
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

        var diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (context, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        var cells = results
            .Where(static result => result.Value is not null && result.Diagnostics.Count == 0)
            .Select(static (result, _) => result.Value!)
            .WithTrackingName(TrackingNames.Output);
        // A namespace that is a keyword is displayed with '@' (namespace @event), which hint names reject.
        context.RegisterSourceOutput(cells, static (context, cell) =>
            context.AddSource($"{cell.Hierarchy.MetadataName.Replace("@", string.Empty)}.g.cs", Emitter.Emit(cell)));
    }
}
