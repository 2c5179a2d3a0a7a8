using System;

namespace LstmGen.Dynamic;

/// <summary>
/// A run-time cell could not be built: the generator reported an error for its declaration (<see cref="DiagnosticId"/>
/// is then the LSTM diagnostic's ID, e.g. <c>LSTM0006</c>, documented in docs/diagnostics), or the generated code did
/// not compile (the C# compiler's ID, e.g. <c>CS0246</c>).
/// </summary>
public sealed class LstmCellCompilationException : Exception
{
    /// <summary>Creates the exception for the diagnostic <paramref name="diagnosticId"/> reported on <paramref name="spec"/>.</summary>
    public LstmCellCompilationException(LstmCellSpec spec, string diagnosticId, string diagnosticMessage)
        : base($"The {spec} cell cannot be compiled: {diagnosticId}: {diagnosticMessage}")
    {
        Spec = spec;
        DiagnosticId = diagnosticId;
        DiagnosticMessage = diagnosticMessage;
    }

    /// <summary>The cell that failed.</summary>
    public LstmCellSpec Spec { get; }

    /// <summary>The first error's ID (<c>LSTM00xx</c> from the generator, <c>CSxxxx</c> from the compiler).</summary>
    public string DiagnosticId { get; }

    /// <summary>The first error's message.</summary>
    public string DiagnosticMessage { get; }
}
