using System;

namespace LstmGen.Testing;

/// <summary>Normwise error, the measure every LstmGen tolerance uses: max|actual − expected| / max|expected|.</summary>
public static class Normwise
{
    /// <summary>
    /// max|actual − expected| / max|expected|; the absolute error when <paramref name="expected"/> is all zeros.
    /// </summary>
    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
            throw new ArgumentException($"'actual' has length {actual.Length}, expected {expected.Length}.", nameof(actual));
        double maxDiff = 0, maxRef = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var diff = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(diff)) return double.NaN;
            maxDiff = Math.Max(maxDiff, diff);
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    /// <summary><see cref="RelativeError(ReadOnlySpan{double}, ReadOnlySpan{double})"/> for a float result against a double reference.</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        var widened = new double[actual.Length];
        for (var i = 0; i < actual.Length; i++) widened[i] = actual[i];
        return RelativeError(widened, expected);
    }
}
