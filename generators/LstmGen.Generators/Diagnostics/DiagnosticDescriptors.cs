using Microsoft.CodeAnalysis;

namespace LstmGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports, in one table. IDs are tracked in AnalyzerReleases.*.md, and each help link
/// points at the page of its ID, <c>docs/diagnostics/LSTM0001.md</c> …, in the repository whose address
/// <see cref="RepositoryInfo.Url"/> holds (set once, as LstmGenRepositoryUrl in Directory.Build.props); tests keep them in step.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "LstmGen";
    private const string HelpBase = RepositoryInfo.Url + "/blob/main/docs/diagnostics/";

    /// <summary>LSTM0001: "The cell type '{0}' must be declared 'partial' so LstmGen can add its kernels; add the 'partial' modifier".</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = Create(
        "LSTM0001",
        "LSTM cell type must be partial",
        "The cell type '{0}' must be declared 'partial' so LstmGen can add its kernels; add the 'partial' modifier");

    /// <summary>LSTM0002: "The type '{0}' that contains the cell '{1}' must be declared 'partial' so LstmGen can reopen it; add the 'partial' modifier".</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Create(
        "LSTM0002",
        "Type containing an LSTM cell must be partial",
        "The type '{0}' that contains the cell '{1}' must be declared 'partial' so LstmGen can reopen it; add the 'partial' modifier");

    /// <summary>LSTM0003: "The cell type '{0}' must not be generic or nested in a generic type: …".</summary>
    public static readonly DiagnosticDescriptor GenericType = Create(
        "LSTM0003",
        "LSTM cell type must not be generic",
        "The cell type '{0}' must not be generic or nested in a generic type: a cell's sizes are fixed, so declare one non-generic type per cell");

    /// <summary>LSTM0004: "{0} is {1}, but it must be between 1 and {2}; …".</summary>
    public static readonly DiagnosticDescriptor SizeOutOfRange = Create(
        "LSTM0004",
        "LSTM cell size out of range",
        "{0} is {1}, but it must be between 1 and {2} (LstmCellAttribute.MaxSize): the sizes are baked into the generated code, and a {2}×{2} cell already has 134 million parameters");

    /// <summary>LSTM0005: "The argument '{0}' of [{1}] {2}" ({2}: "must be a compile-time constant of type int", "is missing: …", …).</summary>
    public static readonly DiagnosticDescriptor InvalidArgument = Create(
        "LSTM0005",
        "LSTM attribute argument must be a valid constant",
        "The argument '{0}' of [{1}] {2}");

    /// <summary>LSTM0006: "{0} of [{1}] is {2}, but it must be {3}".</summary>
    public static readonly DiagnosticDescriptor InvalidVariantValue = Create(
        "LSTM0006",
        "LSTM variant argument out of range",
        "{0} of [{1}] is {2}, but it must be {3}");

    /// <summary>LSTM0007: "[{0}] has no effect together with [{1}]: {2}".</summary>
    public static readonly DiagnosticDescriptor ConflictingVariants = Create(
        "LSTM0007",
        "Conflicting LSTM variant options",
        "[{0}] has no effect together with [{1}]: {2}");

    /// <summary>LSTM0008: "[{0}] is applied to '{1}' more than once (…); keep one".</summary>
    public static readonly DiagnosticDescriptor DuplicateAttribute = Create(
        "LSTM0008",
        "LSTM attribute applied more than once",
        "[{0}] is applied to '{1}' more than once, possibly on different partial declarations, so the cell has no single spec; keep one [{0}] on one declaration");

    /// <summary>LSTM0009: "The cell type '{0}' is {1}; an LSTM cell must be a non-static class, struct, record or record struct …".</summary>
    public static readonly DiagnosticDescriptor UnsupportedTypeKind = Create(
        "LSTM0009",
        "LSTM cell type kind is not supported",
        "The cell type '{0}' is {1}; an LSTM cell must be a non-static class, struct, record or record struct that is visible outside its file, because it implements ILstmCell<T> and is a type argument of LstmParameters<TCell, T>");

    /// <summary>LSTM0010: "'{0}' declares '{1}', which LstmGen generates: {2}; rename it".</summary>
    public static readonly DiagnosticDescriptor NameCollision = Create(
        "LSTM0010",
        "Name collides with a generated member",
        "'{0}' declares '{1}', which LstmGen generates: {2}; rename it");

    /// <summary>LSTM0011: "LstmGen's generated code needs C# {0} or later, but the project compiles as C# {1}; set &lt;LangVersion&gt;{2}&lt;/LangVersion&gt; …".</summary>
    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Create(
        "LSTM0011",
        "C# language version too old for LstmGen",
        "LstmGen's generated code needs C# {0} or later (static abstract interface members), but the project compiles as C# {1}; set <LangVersion>{2}</LangVersion> or later (C# {2} also allows the body-less 'partial struct Cell;' declarations), or remove it to use the target framework's default");

    /// <summary>LSTM0012: "LstmGen's generated code needs {0}, which this compilation does not reference: {1}".</summary>
    public static readonly DiagnosticDescriptor MissingFrameworkSupport = Create(
        "LSTM0012",
        "Target framework lacks what LstmGen needs",
        "LstmGen's generated code needs {0}, which this compilation does not reference; {1}");

    /// <summary>LSTM0013: "[{0}] on '{1}' has no effect: the type has no [LstmCell(inputSize, hiddenSize)] …".</summary>
    public static readonly DiagnosticDescriptor VariantWithoutCell = Create(
        "LSTM0013",
        "Variant attribute without [LstmCell]",
        "[{0}] on '{1}' has no effect: the type has no [LstmCell(inputSize, hiddenSize)], so no kernels are generated for it; add [LstmCell] to '{1}' or remove [{0}]");

    private static DiagnosticDescriptor Create(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpBase + id + ".md");

    /// <summary>Every descriptor of the table, in ID order (for the release-tracking and documentation tests).</summary>
    public static DiagnosticDescriptor[] All { get; } =
    {
        TypeNotPartial, ContainingTypeNotPartial, GenericType, SizeOutOfRange, InvalidArgument, InvalidVariantValue,
        ConflictingVariants, DuplicateAttribute, UnsupportedTypeKind, NameCollision, LanguageVersionTooOld, MissingFrameworkSupport,
        VariantWithoutCell,
    };
}
