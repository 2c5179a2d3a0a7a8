namespace LstmGen.Generators;

/// <summary>Names of the tracked pipeline steps, used by the incrementality tests.</summary>
internal static class TrackingNames
{
    /// <summary>Each attributed declaration parsed into a model and its diagnostics.</summary>
    public const string Execute = nameof(Execute);

    /// <summary>The diagnostics of each declaration.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>The valid models, one per cell.</summary>
    public const string Output = nameof(Output);

    /// <summary>Which generated files need a disambiguating suffix, from the cells' names.</summary>
    public const string HintNames = nameof(HintNames);

    /// <summary>Language version and the framework types the generated code needs.</summary>
    public const string Target = nameof(Target);

    /// <summary>Whether any [LstmCell] is declared (the target diagnostics are reported only then).</summary>
    public const string AnyCell = nameof(AnyCell);
}
