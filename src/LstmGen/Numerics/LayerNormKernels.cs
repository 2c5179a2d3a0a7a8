using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmGen.Numerics;

/// <summary>
/// Layer normalisation for the generated kernels: <c>ẑ = (z − μ)/s</c> with <c>s = sqrt(var + ε)</c> (biased variance)
/// and its backward <c>dz = (1/s)(q − mean(q) − ẑ·mean(q·ẑ))</c>, <c>q = γ·dy</c>. Vectorised with
/// <see cref="Vector{T}"/>; sums use several vector accumulators in the element type and are finished in double.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerNormKernels
{
    /// <summary>Normalises z[0..n) in place to ẑ and returns 1/s.</summary>
    public static float Normalize(ref float z, int n, double epsilon) => (float)NormalizeCore(ref z, n, epsilon);

    /// <summary>Normalises z[0..n) in place to ẑ and returns 1/s.</summary>
    public static double Normalize(ref double z, int n, double epsilon) => NormalizeCore(ref z, n, epsilon);

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double NormalizeCore<T>(ref T z, int n, double epsilon) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mean = double.CreateTruncating(Sum(ref z, n)) / n;
        var m = T.CreateTruncating(mean);
        // Σ (z − μ)², four accumulators.
        int w = Vector<T>.Count, j = 0;
        T squares = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= 4 * w)
        {
            var mv = new Vector<T>(m);
            Vector<T> s0 = Vector<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; j <= n - 4 * w; j += 4 * w)
            {
                var d0 = Load(ref z, j) - mv;
                var d1 = Load(ref z, j + w) - mv;
                var d2 = Load(ref z, j + 2 * w) - mv;
                var d3 = Load(ref z, j + 3 * w) - mv;
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            squares = Vector.Sum((s0 + s1) + (s2 + s3));
        }
        for (; j < n; j++)
        {
            var d = Unsafe.Add(ref z, j) - m;
            squares += d * d;
        }
        var sumOfSquares = double.CreateTruncating(squares);
        double invStd;
        if (double.IsFinite(sumOfSquares) && double.IsFinite(mean))
            invStd = 1.0 / Math.Sqrt(sumOfSquares / n + epsilon);
        else
            (mean, invStd) = SafeStatistics(ref z, n, epsilon);
        m = T.CreateTruncating(mean);
        var inv = T.CreateTruncating(invStd);
        j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mv = new Vector<T>(m);
            var iv = new Vector<T>(inv);
            for (; j <= n - w; j += w) Store((Load(ref z, j) - mv) * iv, ref z, j);
        }
        for (; j < n; j++) Unsafe.Add(ref z, j) = (Unsafe.Add(ref z, j) - m) * inv;
        return invStd;
    }

    /// <summary>
    /// Mean and 1/sqrt(var + ε) when the fast sums overflow (float squares above ~1.8e19, or double values whose squares
    /// overflow, |z| ≳ 1e154): accumulated in double, and rescaled by the largest magnitude first where even that
    /// overflows, so the result stays finite and right instead of collapsing to 0. Non-finite input gives NaN.
    /// </summary>
    private static (double Mean, double InverseStd) SafeStatistics<T>(ref T z, int n, double epsilon) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = MemoryMarshal.CreateReadOnlySpan(ref z, n);
        double sum = 0, scale = 0;
        foreach (var v in values)
        {
            var x = double.CreateTruncating(v);
            sum += x;
            scale = Math.Max(scale, Math.Abs(x));
        }
        var mean = sum / n;
        double squares = 0;
        foreach (var v in values) squares += (double.CreateTruncating(v) - mean) * (double.CreateTruncating(v) - mean);
        if (double.IsFinite(squares) && double.IsFinite(mean)) return (mean, 1.0 / Math.Sqrt(squares / n + epsilon));
        if (!double.IsFinite(scale)) return (double.NaN, double.NaN);

        double scaledSum = 0;
        foreach (var v in values) scaledSum += double.CreateTruncating(v) / scale;
        var scaledMean = scaledSum / n;
        double scaledSquares = 0;
        foreach (var v in values)
        {
            var d = double.CreateTruncating(v) / scale - scaledMean;
            scaledSquares += d * d;
        }
        // var = scale² · scaledVar; ε is negligible next to a variance this large.
        return (scaledMean * scale, 1.0 / (scale * Math.Sqrt(scaledSquares / n)));
    }

    /// <summary>
    /// Backward of <c>y = γ·ẑ + β</c> over n entries: writes dz (which may be dy itself) and adds dy·ẑ into dγ and dy into dβ.
    /// </summary>
    public static void Backward(ref float dy, ref float zHat, ref float gamma, float invStd, int n, ref float dz, ref float dGamma, ref float dBeta)
        => BackwardCore(ref dy, ref zHat, ref gamma, invStd, n, ref dz, ref dGamma, ref dBeta);

    /// <summary>
    /// Backward of <c>y = γ·ẑ + β</c> over n entries: writes dz (which may be dy itself) and adds dy·ẑ into dγ and dy into dβ.
    /// </summary>
    public static void Backward(ref double dy, ref double zHat, ref double gamma, double invStd, int n, ref double dz, ref double dGamma, ref double dBeta)
        => BackwardCore(ref dy, ref zHat, ref gamma, invStd, n, ref dz, ref dGamma, ref dBeta);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardCore<T>(ref T dy, ref T zHat, ref T gamma, T invStd, int n, ref T dz, ref T dGamma, ref T dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count, j = 0;
        T sumQ = T.Zero, sumQz = T.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> q0 = Vector<T>.Zero, q1 = q0, qz0 = q0, qz1 = q0;
            for (; j <= n - 2 * w; j += 2 * w)
            {
                Vector<T> dy0 = Load(ref dy, j), dy1 = Load(ref dy, j + w), z0 = Load(ref zHat, j), z1 = Load(ref zHat, j + w);
                var qa = Load(ref gamma, j) * dy0;
                var qb = Load(ref gamma, j + w) * dy1;
                q0 += qa;
                q1 += qb;
                qz0 += qa * z0;
                qz1 += qb * z1;
                Store(Load(ref dGamma, j) + dy0 * z0, ref dGamma, j);
                Store(Load(ref dGamma, j + w) + dy1 * z1, ref dGamma, j + w);
                Store(Load(ref dBeta, j) + dy0, ref dBeta, j);
                Store(Load(ref dBeta, j + w) + dy1, ref dBeta, j + w);
            }
            sumQ = Vector.Sum(q0 + q1);
            sumQz = Vector.Sum(qz0 + qz1);
        }
        for (; j < n; j++)
        {
            T dyj = Unsafe.Add(ref dy, j), zj = Unsafe.Add(ref zHat, j);
            var q = Unsafe.Add(ref gamma, j) * dyj;
            sumQ += q;
            sumQz += q * zj;
            Unsafe.Add(ref dGamma, j) += dyj * zj;
            Unsafe.Add(ref dBeta, j) += dyj;
        }
        var count = T.CreateTruncating(n);
        T meanQ = sumQ / count, meanQz = sumQz / count;
        j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> mq = new(meanQ), mqz = new(meanQz), iv = new(invStd);
            for (; j <= n - w; j += w)
                Store(iv * (Load(ref gamma, j) * Load(ref dy, j) - mq - Load(ref zHat, j) * mqz), ref dz, j);
        }
        for (; j < n; j++)
            Unsafe.Add(ref dz, j) = invStd * (Unsafe.Add(ref gamma, j) * Unsafe.Add(ref dy, j) - meanQ - Unsafe.Add(ref zHat, j) * meanQz);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Sum<T>(ref T z, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count, j = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= 4 * w)
        {
            Vector<T> s0 = Vector<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; j <= n - 4 * w; j += 4 * w)
            {
                s0 += Load(ref z, j);
                s1 += Load(ref z, j + w);
                s2 += Load(ref z, j + 2 * w);
                s3 += Load(ref z, j + 3 * w);
            }
            sum = Vector.Sum((s0 + s1) + (s2 + s3));
        }
        for (; j < n; j++) sum += Unsafe.Add(ref z, j);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ref T source, int index) where T : unmanaged
        => Unsafe.ReadUnaligned<Vector<T>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref source, index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector<T> value, ref T destination, int index) where T : unmanaged
        => Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref destination, index)), value);
}
