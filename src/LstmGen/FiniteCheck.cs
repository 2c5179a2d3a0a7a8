using System;
using System.Numerics;

namespace LstmGen;

/// <summary>Scans tensors for the first NaN or ∞ in time order, for <see cref="Lstm.CheckFiniteValues"/>.</summary>
internal static class FiniteCheck
{
    /// <summary>A [T×B×n] tensor, scanned step by step (forward order, or backward order when <paramref name="reverse"/>).</summary>
    public static void Sequence<T>(string pass, string name, ReadOnlySpan<T> values, int steps, int batch, int n, bool reverse = false)
        where T : IFloatingPointIeee754<T>
    {
        for (var k = 0; k < steps; k++)
        {
            var t = reverse ? steps - 1 - k : k;
            for (var b = 0; b < batch; b++)
            {
                var row = values.Slice((t * batch + b) * n, n);
                for (var j = 0; j < n; j++)
                    if (!T.IsFinite(row[j])) throw new NonFiniteValueException(pass, name, t, b, j, double.CreateTruncating(row[j]));
            }
        }
    }

    /// <summary>A [B×n] state tensor (empty = absent, nothing to check).</summary>
    public static void State<T>(string pass, string name, ReadOnlySpan<T> values, int n) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
            if (!T.IsFinite(values[i])) throw new NonFiniteValueException(pass, name, null, i / n, i % n, double.CreateTruncating(values[i]));
    }

    /// <summary>One flat tensor (e.g. an optimiser's parameter, gradient or state buffer).</summary>
    public static void Flat<T>(string pass, string name, ReadOnlySpan<T> values) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
            if (!T.IsFinite(values[i])) throw new NonFiniteValueException(pass, name, null, null, i, double.CreateTruncating(values[i]));
    }

    /// <summary>Every tensor of a parameter (or gradient) buffer, by name.</summary>
    public static void Parameters<TCell, T>(string pass, string prefix, LstmParameters<TCell, T> parameters)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = parameters.Data;
        foreach (var tensor in TCell.Layout.Tensors)
        {
            var values = data.Slice(tensor.Offset, tensor.Length);
            for (var i = 0; i < values.Length; i++)
                if (!T.IsFinite(values[i])) throw new NonFiniteValueException(pass, prefix + tensor.Name, null, null, i, double.CreateTruncating(values[i]));
        }
    }
}
