using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace LstmGen.Numerics;

/// <summary>
/// Gate non-linearities one register at a time, for the fused gate kernels the generator emits:
/// <c>σ(x) = 1/(1 + e^−x)</c> and <c>tanh(x) = sign(x)·(1 − e^−2|x|)/(1 + e^−2|x|)</c> on a vectorised exp
/// (range reduction by ln 2 in two parts, a Taylor polynomial on |r| ≤ ln2/2, and 2^n built in the exponent bits).
/// </summary>
/// <remarks>
/// Accuracy, measured against double references on a grid over [−30, 30] plus extreme inputs (VectorMathTests):
/// float σ 1.5e-7 relative (where σ ≥ 1e-30; below that the result is flushed towards 0, an absolute error under
/// 1e-30), float tanh 1.2e-7 absolute (it is a difference near 0, so it is stated in absolute terms); double σ 4.4e-16
/// relative, double tanh 3.3e-16 absolute. Float divisions are divisions, except with AVX-512 and on ARM64 (an estimate
/// refined by Newton steps). Inputs
/// are clamped to the range where e^x is a normal number, so σ saturates to 0 and 1 and tanh to ±1 without NaN or
/// overflow. The scalar overloads use <see cref="MathF.Exp"/> / <see cref="Math.Exp"/> and serve the scalar
/// paths and vector tails.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    // ---------------------------------------------------------------- float

    private const float Log2EF = 1.44269504088896341f;
    private const float Ln2HiF = 0.693359375f;          // ln 2 split so n·Ln2Hi is exact for |n| ≤ 2^8
    private const float Ln2LoF = -2.12194440e-4f;
    private const float ShiftF = 12582912f;             // 1.5·2^23: adding it rounds to an integer in the low mantissa bits
    private const float MaxF = 88.3762626647949f;
    private const float MinF = -87.3365447504f;

    /// <summary>e^x (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(MinF)), Vector512.Create(MaxF));
        var shifted = Vector512.Create(ShiftF);
        var t = Simd.MultiplyAdd(x, Vector512.Create(Log2EF), shifted);
        var n = t - shifted;
        var r = Simd.MultiplyAdd(n, Vector512.Create(-Ln2HiF), x);
        r = Simd.MultiplyAdd(n, Vector512.Create(-Ln2LoF), r);
        var p = Vector512.Create(1.98412698e-4f);                 // 1/7!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(1.38888889e-3f));   // 1/6!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(8.33333333e-3f));   // 1/5!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(4.16666667e-2f));   // 1/4!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(1.66666667e-1f));   // 1/3!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Simd.MultiplyAdd(p, r, Vector512<float>.One);
        p = Simd.MultiplyAdd(p, r, Vector512<float>.One);
        // 2^n: t's bits are those of 1.5·2^23 plus n, and shifting them left by 23 keeps only n (the bits of 1.5·2^23 shift
        // out), now in the exponent field, to which the bias is added.
        var scale = (Vector512.ShiftLeft(t.AsInt32(), 23) + Vector512.Create(127 << 23)).AsSingle();
        return p * scale;
    }

    /// <summary>e^x (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(MinF)), Vector256.Create(MaxF));
        var shifted = Vector256.Create(ShiftF);
        var t = Simd.MultiplyAdd(x, Vector256.Create(Log2EF), shifted);
        var n = t - shifted;
        var r = Simd.MultiplyAdd(n, Vector256.Create(-Ln2HiF), x);
        r = Simd.MultiplyAdd(n, Vector256.Create(-Ln2LoF), r);
        var p = Vector256.Create(1.98412698e-4f);
        p = Simd.MultiplyAdd(p, r, Vector256.Create(1.38888889e-3f));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(8.33333333e-3f));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(4.16666667e-2f));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(1.66666667e-1f));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Simd.MultiplyAdd(p, r, Vector256<float>.One);
        p = Simd.MultiplyAdd(p, r, Vector256<float>.One);
        var scale = (Vector256.ShiftLeft(t.AsInt32(), 23) + Vector256.Create(127 << 23)).AsSingle();
        return p * scale;
    }

    /// <summary>e^x (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(MinF)), Vector128.Create(MaxF));
        var shifted = Vector128.Create(ShiftF);
        var t = Simd.MultiplyAdd(x, Vector128.Create(Log2EF), shifted);
        var n = t - shifted;
        var r = Simd.MultiplyAdd(n, Vector128.Create(-Ln2HiF), x);
        r = Simd.MultiplyAdd(n, Vector128.Create(-Ln2LoF), r);
        var p = Vector128.Create(1.98412698e-4f);
        p = Simd.MultiplyAdd(p, r, Vector128.Create(1.38888889e-3f));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(8.33333333e-3f));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(4.16666667e-2f));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(1.66666667e-1f));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(0.5f));
        p = Simd.MultiplyAdd(p, r, Vector128<float>.One);
        p = Simd.MultiplyAdd(p, r, Vector128<float>.One);
        var scale = (Vector128.ShiftLeft(t.AsInt32(), 23) + Vector128.Create(127 << 23)).AsSingle();
        return p * scale;
    }

    /// <summary>σ(x) = 1/(1 + e^−x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Reciprocal(Vector512<float>.One + Exp(-x));

    /// <summary>σ(x) = 1/(1 + e^−x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Reciprocal(Vector256<float>.One + Exp(-x));

    /// <summary>σ(x) = 1/(1 + e^−x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => Reciprocal(Vector128<float>.One + Exp(-x));

    /// <summary>tanh(x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var sign = Vector512.Create(-0f);
        var e = Exp(Vector512.Create(-2f) * Vector512.AndNot(x, sign));
        var magnitude = (Vector512<float>.One - e) * Reciprocal(Vector512<float>.One + e);
        return magnitude | (x & sign);
    }

    /// <summary>tanh(x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var sign = Vector256.Create(-0f);
        var e = Exp(Vector256.Create(-2f) * Vector256.AndNot(x, sign));
        var magnitude = (Vector256<float>.One - e) * Reciprocal(Vector256<float>.One + e);
        return magnitude | (x & sign);
    }

    /// <summary>tanh(x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var sign = Vector128.Create(-0f);
        var e = Exp(Vector128.Create(-2f) * Vector128.AndNot(x, sign));
        var magnitude = (Vector128<float>.One - e) * Reciprocal(Vector128<float>.One + e);
        return magnitude | (x & sign);
    }

    /// <summary>
    /// 1/x for x in [1, ∞) (float): with AVX-512 the rcp14 estimate (2^-14) refined by one Newton step, about 1 ulp;
    /// otherwise a division (correctly rounded).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reciprocal(Vector512<float> x)
    {
        if (!Avx512F.IsSupported) return Vector512<float>.One / x;
        var y = Avx512F.Reciprocal14(x);
        return Simd.MultiplyAdd(y, Avx512F.FusedMultiplyAddNegated(x, y, Vector512<float>.One), y);
    }

    /// <summary>
    /// 1/x (float): a division. An estimate refined by two Newton steps (rcp, then four dependent FMAs) was slower: the
    /// gate math is latency-bound, and the division's latency is about half that chain's (measured 1.02–1.12× on
    /// whole forwards at B = 1, neutral at B = 32; bit-identical outputs in those runs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reciprocal(Vector256<float> x) => Vector256<float>.One / x;

    /// <summary>1/x (float): NEON (ARM64): its estimate and three steps; otherwise (SSE, as for Vector256) a division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Reciprocal(Vector128<float> x)
    {
        if (!AdvSimd.IsSupported) return Vector128<float>.One / x;
        var y = AdvSimd.ReciprocalEstimate(x);
        y *= AdvSimd.ReciprocalStep(x, y);
        y *= AdvSimd.ReciprocalStep(x, y);
        return y * AdvSimd.ReciprocalStep(x, y);
    }

    /// <summary>σ(x) (float, scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>tanh(x) (float, scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => MathF.Tanh(x);

    // ---------------------------------------------------------------- double

    private const double Log2ED = 1.4426950408889634;
    private const double Ln2HiD = 0.693147180369123816490;   // ln 2 split so n·Ln2Hi is exact for |n| ≤ 2^11
    private const double Ln2LoD = 1.90821492927058770002e-10;
    private const double ShiftD = 6755399441055744.0;         // 1.5·2^52
    private const double MaxD = 709.0;
    private const double MinD = -708.0;

    /// <summary>e^x (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(MinD)), Vector512.Create(MaxD));
        var shifted = Vector512.Create(ShiftD);
        var t = Simd.MultiplyAdd(x, Vector512.Create(Log2ED), shifted);
        var n = t - shifted;
        var r = Simd.MultiplyAdd(n, Vector512.Create(-Ln2HiD), x);
        r = Simd.MultiplyAdd(n, Vector512.Create(-Ln2LoD), r);
        var p = Vector512.Create(1.6059043836821613e-10);        // 1/13!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(2.08767569878681e-9));     // 1/12!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(2.505210838544172e-8));    // 1/11!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(2.755731922398589e-7));    // 1/10!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(2.7557319223985893e-6));   // 1/9!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(2.48015873015873e-5));     // 1/8!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(1.984126984126984e-4));    // 1/7!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(1.3888888888888889e-3));   // 1/6!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(8.333333333333333e-3));    // 1/5!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(4.1666666666666664e-2));   // 1/4!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(1.6666666666666666e-1));   // 1/3!
        p = Simd.MultiplyAdd(p, r, Vector512.Create(0.5));
        p = Simd.MultiplyAdd(p, r, Vector512<double>.One);
        p = Simd.MultiplyAdd(p, r, Vector512<double>.One);
        // 2^n as for float: shifting t's bits left by 52 keeps only n, in the exponent field.
        var scale = (Vector512.ShiftLeft(t.AsInt64(), 52) + Vector512.Create(1023L << 52)).AsDouble();
        return p * scale;
    }

    /// <summary>e^x (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(MinD)), Vector256.Create(MaxD));
        var shifted = Vector256.Create(ShiftD);
        var t = Simd.MultiplyAdd(x, Vector256.Create(Log2ED), shifted);
        var n = t - shifted;
        var r = Simd.MultiplyAdd(n, Vector256.Create(-Ln2HiD), x);
        r = Simd.MultiplyAdd(n, Vector256.Create(-Ln2LoD), r);
        var p = Vector256.Create(1.6059043836821613e-10);
        p = Simd.MultiplyAdd(p, r, Vector256.Create(2.08767569878681e-9));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(2.505210838544172e-8));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(2.755731922398589e-7));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(2.7557319223985893e-6));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(2.48015873015873e-5));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(1.984126984126984e-4));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(1.3888888888888889e-3));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(8.333333333333333e-3));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(4.1666666666666664e-2));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(1.6666666666666666e-1));
        p = Simd.MultiplyAdd(p, r, Vector256.Create(0.5));
        p = Simd.MultiplyAdd(p, r, Vector256<double>.One);
        p = Simd.MultiplyAdd(p, r, Vector256<double>.One);
        var scale = (Vector256.ShiftLeft(t.AsInt64(), 52) + Vector256.Create(1023L << 52)).AsDouble();
        return p * scale;
    }

    /// <summary>e^x (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(MinD)), Vector128.Create(MaxD));
        var shifted = Vector128.Create(ShiftD);
        var t = Simd.MultiplyAdd(x, Vector128.Create(Log2ED), shifted);
        var n = t - shifted;
        var r = Simd.MultiplyAdd(n, Vector128.Create(-Ln2HiD), x);
        r = Simd.MultiplyAdd(n, Vector128.Create(-Ln2LoD), r);
        var p = Vector128.Create(1.6059043836821613e-10);
        p = Simd.MultiplyAdd(p, r, Vector128.Create(2.08767569878681e-9));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(2.505210838544172e-8));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(2.755731922398589e-7));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(2.7557319223985893e-6));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(2.48015873015873e-5));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(1.984126984126984e-4));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(1.3888888888888889e-3));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(8.333333333333333e-3));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(4.1666666666666664e-2));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(1.6666666666666666e-1));
        p = Simd.MultiplyAdd(p, r, Vector128.Create(0.5));
        p = Simd.MultiplyAdd(p, r, Vector128<double>.One);
        p = Simd.MultiplyAdd(p, r, Vector128<double>.One);
        var scale = (Vector128.ShiftLeft(t.AsInt64(), 52) + Vector128.Create(1023L << 52)).AsDouble();
        return p * scale;
    }

    /// <summary>σ(x) = 1/(1 + e^−x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> x) => Vector512<double>.One / (Vector512<double>.One + Exp(-x));

    /// <summary>σ(x) = 1/(1 + e^−x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> x) => Vector256<double>.One / (Vector256<double>.One + Exp(-x));

    /// <summary>σ(x) = 1/(1 + e^−x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sigmoid(Vector128<double> x) => Vector128<double>.One / (Vector128<double>.One + Exp(-x));

    /// <summary>tanh(x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> x)
    {
        var sign = Vector512.Create(-0.0);
        var e = Exp(Vector512.Create(-2.0) * Vector512.AndNot(x, sign));
        var magnitude = (Vector512<double>.One - e) / (Vector512<double>.One + e);
        return magnitude | (x & sign);
    }

    /// <summary>tanh(x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tanh(Vector256<double> x)
    {
        var sign = Vector256.Create(-0.0);
        var e = Exp(Vector256.Create(-2.0) * Vector256.AndNot(x, sign));
        var magnitude = (Vector256<double>.One - e) / (Vector256<double>.One + e);
        return magnitude | (x & sign);
    }

    /// <summary>tanh(x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tanh(Vector128<double> x)
    {
        var sign = Vector128.Create(-0.0);
        var e = Exp(Vector128.Create(-2.0) * Vector128.AndNot(x, sign));
        var magnitude = (Vector128<double>.One - e) / (Vector128<double>.One + e);
        return magnitude | (x & sign);
    }

    /// <summary>σ(x) (double, scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>tanh(x) (double, scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x) => Math.Tanh(x);
}
