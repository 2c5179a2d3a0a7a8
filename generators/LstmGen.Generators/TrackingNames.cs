namespace LstmGen.Generators;

/// <summary>Names of the tracked pipeline steps, used by the incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Execute = nameof(Execute);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Output = nameof(Output);
}
