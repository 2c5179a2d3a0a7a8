using Microsoft.CodeAnalysis;

namespace LstmGen.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. IDs are tracked in AnalyzerReleases.*.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "LstmGen";
    private const string HelpBase = "https://github.com/lstmgen/lstmgen/blob/main/README.md#diagnostics";

    /// <summary>LSTM0001: "The cell type '{0}' must be declared 'partial' so LstmGen can add its kernels".</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = new(
        "LSTM0001",
        "LSTM cell type must be partial",
        "The cell type '{0}' must be declared 'partial' so LstmGen can add its kernels; add the 'partial' modifier",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase);

    /// <summary>LSTM0002: "The type '{0}' that contains the cell '{1}' must be declared 'partial'".</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new(
        "LSTM0002",
        "Type containing an LSTM cell must be partial",
        "The type '{0}' that contains the cell '{1}' must be declared 'partial' so LstmGen can reopen it; add the 'partial' modifier",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase);

    /// <summary>LSTM0003: "The cell type '{0}' must not be generic or nested in a generic type".</summary>
    public static readonly DiagnosticDescriptor GenericType = new(
        "LSTM0003",
        "LSTM cell type must not be generic",
        "The cell type '{0}' must not be generic or nested in a generic type: a cell's sizes are fixed, so declare one non-generic type per cell",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase);

    /// <summary>LSTM0004: "{0} is {1}, but it must be between 1 and {2}".</summary>
    public static readonly DiagnosticDescriptor SizeOutOfRange = new(
        "LSTM0004",
        "LSTM cell size out of range",
        "{0} is {1}, but it must be between 1 and {2}; larger sizes would make the unrolled kernel and its parameter buffer impractically large",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase);

    /// <summary>LSTM0005: "The argument '{0}' of [{1}] must be a compile-time constant of type {2}".</summary>
    public static readonly DiagnosticDescriptor InvalidArgument = new(
        "LSTM0005",
        "LSTM attribute argument must be a valid constant",
        "The argument '{0}' of [{1}] must be a compile-time constant of type {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase);

    /// <summary>LSTM0006: "{0} of [{1}] is {2}, but it must be {3}".</summary>
    public static readonly DiagnosticDescriptor InvalidVariantValue = new(
        "LSTM0006",
        "LSTM variant argument out of range",
        "{0} of [{1}] is {2}, but it must be {3}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase);

    /// <summary>LSTM0007: "[{0}] has no effect together with [{1}]: {2}".</summary>
    public static readonly DiagnosticDescriptor ConflictingVariants = new(
        "LSTM0007",
        "Conflicting LSTM variant options",
        "[{0}] has no effect together with [{1}]: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase);
}
