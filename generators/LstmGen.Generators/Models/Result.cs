namespace LstmGen.Generators.Models;

/// <summary>A parsed model (null when the spec is invalid) with the diagnostics found while parsing it.</summary>
internal sealed record Result<TValue>(TValue Value, EquatableArray<DiagnosticInfo> Diagnostics);
