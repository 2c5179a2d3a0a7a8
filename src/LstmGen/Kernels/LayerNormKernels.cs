using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace LstmGen.Kernels;

/// <summary>
/// Layer normalisation for the generated kernels: <c>ẑ = (z − μ)/s</c> with <c>s = sqrt(var + ε)</c> (biased variance)
/// and its backward <c>dz = (1/s)(q − mean(q) − ẑ·mean(q·ẑ))</c>, <c>q = γ·dy</c>. Statistics accumulate in double.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerNormKernels
{
    /// <summary>Normalises z[0..n) in place to ẑ and returns 1/s.</summary>
    public static float Normalize(ref float z, int n, double epsilon)
    {
        var span = MemoryMarshal.CreateSpan(ref z, n);
        double sum = 0;
        foreach (var v in span) sum += v;
        var mean = sum / n;
        double squares = 0;
        foreach (var v in span) squares += (v - mean) * (v - mean);
        var invStd = 1.0 / Math.Sqrt(squares / n + epsilon);
        for (var j = 0; j < span.Length; j++) span[j] = (float)((span[j] - mean) * invStd);
        return (float)invStd;
    }

    /// <summary>Writes ẑ of source[0..n) into zHat and returns 1/s; the source is unchanged.</summary>
    public static float Normalize(ref float source, ref float zHat, int n, double epsilon)
    {
        MemoryMarshal.CreateReadOnlySpan(ref source, n).CopyTo(MemoryMarshal.CreateSpan(ref zHat, n));
        return Normalize(ref zHat, n, epsilon);
    }

    /// <summary>Writes ẑ of source[0..n) into zHat and returns 1/s; the source is unchanged.</summary>
    public static double Normalize(ref double source, ref double zHat, int n, double epsilon)
    {
        MemoryMarshal.CreateReadOnlySpan(ref source, n).CopyTo(MemoryMarshal.CreateSpan(ref zHat, n));
        return Normalize(ref zHat, n, epsilon);
    }

    /// <summary>Normalises z[0..n) in place to ẑ and returns 1/s.</summary>
    public static double Normalize(ref double z, int n, double epsilon)
    {
        var span = MemoryMarshal.CreateSpan(ref z, n);
        var (mean, invStd) = Statistics(span, epsilon);
        for (var j = 0; j < span.Length; j++) span[j] = (span[j] - mean) * invStd;
        return invStd;
    }

    /// <summary>
    /// Mean and 1/sqrt(var + ε). Values so large that their squares overflow (|z| ≳ 1e154) are rescaled by their
    /// largest magnitude first, so the result stays finite and right instead of collapsing to 0.
    /// </summary>
    private static (double Mean, double InverseStd) Statistics(ReadOnlySpan<double> z, double epsilon)
    {
        double sum = 0;
        foreach (var v in z) sum += v;
        var mean = sum / z.Length;
        double squares = 0;
        foreach (var v in z) squares += (v - mean) * (v - mean);
        if (double.IsFinite(squares) && double.IsFinite(mean))
            return (mean, 1.0 / Math.Sqrt(squares / z.Length + epsilon));

        var scale = Math.Abs(TensorPrimitives.MaxMagnitude(z)); // MaxMagnitude keeps the sign
        if (!double.IsFinite(scale)) return (double.NaN, double.NaN);
        double scaledSum = 0;
        foreach (var v in z) scaledSum += v / scale;
        var scaledMean = scaledSum / z.Length;
        double scaledSquares = 0;
        foreach (var v in z) scaledSquares += (v / scale - scaledMean) * (v / scale - scaledMean);
        // var = scale² · scaledVar; ε is negligible next to a variance this large.
        return (scaledMean * scale, 1.0 / (scale * Math.Sqrt(scaledSquares / z.Length)));
    }

    /// <summary>
    /// Backward of <c>y = γ·ẑ + β</c> over n entries: writes dz (which may be dy itself) and adds dy·ẑ into dγ and dy into dβ.
    /// </summary>
    public static void Backward(ref float dy, ref float zHat, ref float gamma, float invStd, int n, ref float dz, ref float dGamma, ref float dBeta)
    {
        var dys = MemoryMarshal.CreateSpan(ref dy, n);
        var zs = MemoryMarshal.CreateSpan(ref zHat, n);
        var gs = MemoryMarshal.CreateSpan(ref gamma, n);
        var dgs = MemoryMarshal.CreateSpan(ref dGamma, n);
        var dbs = MemoryMarshal.CreateSpan(ref dBeta, n);
        double meanQ = 0, meanQz = 0;
        for (var j = 0; j < n; j++)
        {
            double q = (double)gs[j] * dys[j];
            meanQ += q;
            meanQz += q * zs[j];
            dgs[j] += dys[j] * zs[j];
            dbs[j] += dys[j];
        }
        meanQ /= n;
        meanQz /= n;
        var dzs = MemoryMarshal.CreateSpan(ref dz, n);
        for (var j = 0; j < n; j++)
            dzs[j] = (float)(invStd * ((double)gs[j] * dys[j] - meanQ - zs[j] * meanQz));
    }

    /// <summary>
    /// Backward of <c>y = γ·ẑ + β</c> over n entries: writes dz (which may be dy itself) and adds dy·ẑ into dγ and dy into dβ.
    /// </summary>
    public static void Backward(ref double dy, ref double zHat, ref double gamma, double invStd, int n, ref double dz, ref double dGamma, ref double dBeta)
    {
        var dys = MemoryMarshal.CreateSpan(ref dy, n);
        var zs = MemoryMarshal.CreateSpan(ref zHat, n);
        var gs = MemoryMarshal.CreateSpan(ref gamma, n);
        var dgs = MemoryMarshal.CreateSpan(ref dGamma, n);
        var dbs = MemoryMarshal.CreateSpan(ref dBeta, n);
        double meanQ = 0, meanQz = 0;
        for (var j = 0; j < n; j++)
        {
            var q = gs[j] * dys[j];
            meanQ += q;
            meanQz += q * zs[j];
            dgs[j] += dys[j] * zs[j];
            dbs[j] += dys[j];
        }
        meanQ /= n;
        meanQz /= n;
        var dzs = MemoryMarshal.CreateSpan(ref dz, n);
        for (var j = 0; j < n; j++)
            dzs[j] = invStd * (gs[j] * dys[j] - meanQ - zs[j] * meanQz);
    }
}
