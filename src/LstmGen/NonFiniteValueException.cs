using System;
using System.Globalization;

namespace LstmGen;

/// <summary>
/// Thrown in finite-check mode (<see cref="Lstm.CheckFiniteValues"/>) when a NaN or ∞ appears: names the pass,
/// the tensor, and for sequence tensors the first time step and batch row where it appears.
/// </summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteValueException(string pass, string tensor, int? step, int? row, int index, double value)
        : base(Describe(pass, tensor, step, row, index, value))
    {
        Pass = pass;
        Tensor = tensor;
        Step = step;
        Row = row;
        Index = index;
        Value = value;
    }

    /// <summary><c>forward</c>, <c>backward</c> or the caller's name for the pass (e.g. an optimiser step).</summary>
    public string Pass { get; }

    /// <summary>The tensor holding the value, e.g. <c>x</c>, <c>output</c>, <c>dx</c> or <c>weight_hh</c>.</summary>
    public string Tensor { get; }

    /// <summary>Time step of the value, for [T×B×…] tensors.</summary>
    public int? Step { get; }

    /// <summary>Batch row of the value, for tensors with a batch dimension.</summary>
    public int? Row { get; }

    /// <summary>Index within the innermost dimension (feature or hidden unit), or the flat index for parameters.</summary>
    public int Index { get; }

    /// <summary>The value itself (NaN, +∞ or −∞).</summary>
    public double Value { get; }

    private static string Describe(string pass, string tensor, int? step, int? row, int index, double value)
    {
        var where = (step, row) switch
        {
            ({ } t, { } b) => $"step {t}, batch row {b}, index {index}",
            (null, { } b) => $"batch row {b}, index {index}",
            _ => $"index {index}",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{pass}: '{tensor}' holds {value} at {where}.");
    }
}
