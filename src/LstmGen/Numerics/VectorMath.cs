using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// relative, double tanh 3.3e-16 absolute. Float divisions are a reciprocal estimate refined by Newton steps. Inputs
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

    /// <summary>e^x (float), any vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpSingle<TV, W>(TV x) where TV : struct where W : ISimdWidth<TV, float>
    {
        x = W.Min(W.Max(x, W.Create(MinF)), W.Create(MaxF));
        var shifted = W.Create(ShiftF);
        var t = W.MultiplyAdd(x, W.Create(Log2EF), shifted);
        var n = W.Subtract(t, shifted);
        var r = W.MultiplyAdd(n, W.Create(-Ln2HiF), x);
        r = W.MultiplyAdd(n, W.Create(-Ln2LoF), r);
        var p = W.Create(1.98412698e-4f);                       // 1/7!
        p = W.MultiplyAdd(p, r, W.Create(1.38888889e-3f));      // 1/6!
        p = W.MultiplyAdd(p, r, W.Create(8.33333333e-3f));      // 1/5!
        p = W.MultiplyAdd(p, r, W.Create(4.16666667e-2f));      // 1/4!
        p = W.MultiplyAdd(p, r, W.Create(1.66666667e-1f));      // 1/3!
        p = W.MultiplyAdd(p, r, W.Create(0.5f));
        p = W.MultiplyAdd(p, r, W.One);
        p = W.MultiplyAdd(p, r, W.One);
        return W.Multiply(p, W.PowerOfTwo(t, shifted));
    }

    // ---------------------------------------------------------------- double

    private const double Log2ED = 1.4426950408889634;
    private const double Ln2HiD = 0.693147180369123816490;   // ln 2 split so n·Ln2Hi is exact for |n| ≤ 2^11
    private const double Ln2LoD = 1.90821492927058770002e-10;
    private const double ShiftD = 6755399441055744.0;         // 1.5·2^52
    private const double MaxD = 709.0;
    private const double MinD = -708.0;

    /// <summary>e^x (double), any vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpDouble<TV, W>(TV x) where TV : struct where W : ISimdWidth<TV, double>
    {
        x = W.Min(W.Max(x, W.Create(MinD)), W.Create(MaxD));
        var shifted = W.Create(ShiftD);
        var t = W.MultiplyAdd(x, W.Create(Log2ED), shifted);
        var n = W.Subtract(t, shifted);
        var r = W.MultiplyAdd(n, W.Create(-Ln2HiD), x);
        r = W.MultiplyAdd(n, W.Create(-Ln2LoD), r);
        var p = W.Create(1.6059043836821613e-10);                    // 1/13!
        p = W.MultiplyAdd(p, r, W.Create(2.08767569878681e-9));      // 1/12!
        p = W.MultiplyAdd(p, r, W.Create(2.505210838544172e-8));     // 1/11!
        p = W.MultiplyAdd(p, r, W.Create(2.755731922398589e-7));     // 1/10!
        p = W.MultiplyAdd(p, r, W.Create(2.7557319223985893e-6));    // 1/9!
        p = W.MultiplyAdd(p, r, W.Create(2.48015873015873e-5));      // 1/8!
        p = W.MultiplyAdd(p, r, W.Create(1.984126984126984e-4));     // 1/7!
        p = W.MultiplyAdd(p, r, W.Create(1.3888888888888889e-3));    // 1/6!
        p = W.MultiplyAdd(p, r, W.Create(8.333333333333333e-3));     // 1/5!
        p = W.MultiplyAdd(p, r, W.Create(4.1666666666666664e-2));    // 1/4!
        p = W.MultiplyAdd(p, r, W.Create(1.6666666666666666e-1));    // 1/3!
        p = W.MultiplyAdd(p, r, W.Create(0.5));
        p = W.MultiplyAdd(p, r, W.One);
        p = W.MultiplyAdd(p, r, W.One);
        return W.Multiply(p, W.PowerOfTwo(t, shifted));
    }

    // ---------------------------------------------------------------- σ and tanh, one body for both precisions

    /// <summary>σ(x) = 1/(1 + e^−x) on an exp of the element type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Sigmoid<TV, W, T>(TV x, TV expOfMinusX) where TV : struct where W : ISimdWidth<TV, T> where T : unmanaged
        => W.Reciprocal(W.Add(W.One, expOfMinusX));

    /// <summary>tanh(x) = sign(x)·(1 − e^−2|x|)/(1 + e^−2|x|), given e = e^−2|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Tanh<TV, W, T>(TV x, TV e) where TV : struct where W : ISimdWidth<TV, T> where T : unmanaged
    {
        TV numerator = W.Subtract(W.One, e), denominator = W.Add(W.One, e);
        // float: the reciprocal estimate refined (cheaper than a division); double: a true division.
        var magnitude = typeof(T) == typeof(float) ? W.Multiply(numerator, W.Reciprocal(denominator)) : W.Divide(numerator, denominator);
        return W.CopySign(magnitude, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SigmoidSingle<TV, W>(TV x) where TV : struct where W : ISimdWidth<TV, float>
        => Sigmoid<TV, W, float>(x, ExpSingle<TV, W>(W.Subtract(W.Zero, x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV TanhSingle<TV, W>(TV x) where TV : struct where W : ISimdWidth<TV, float>
        => Tanh<TV, W, float>(x, ExpSingle<TV, W>(W.Multiply(W.Create(-2f), W.Abs(x))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SigmoidDouble<TV, W>(TV x) where TV : struct where W : ISimdWidth<TV, double>
        => Sigmoid<TV, W, double>(x, ExpDouble<TV, W>(W.Subtract(W.Zero, x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV TanhDouble<TV, W>(TV x) where TV : struct where W : ISimdWidth<TV, double>
        => Tanh<TV, W, double>(x, ExpDouble<TV, W>(W.Multiply(W.Create(-2.0), W.Abs(x))));

    // ---------------------------------------------------------------- the entry points the generated kernels call

    /// <summary>e^x (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => ExpSingle<Vector512<float>, Width512<float>>(x);

    /// <summary>e^x (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x) => ExpDouble<Vector512<double>, Width512<double>>(x);

    /// <summary>e^x (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => ExpSingle<Vector256<float>, Width256<float>>(x);

    /// <summary>e^x (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x) => ExpDouble<Vector256<double>, Width256<double>>(x);

    /// <summary>e^x (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => ExpSingle<Vector128<float>, Width128<float>>(x);

    /// <summary>e^x (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x) => ExpDouble<Vector128<double>, Width128<double>>(x);

    /// <summary>σ(x) = 1/(1 + e^−x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => SigmoidSingle<Vector512<float>, Width512<float>>(x);

    /// <summary>σ(x) = 1/(1 + e^−x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> x) => SigmoidDouble<Vector512<double>, Width512<double>>(x);

    /// <summary>σ(x) = 1/(1 + e^−x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => SigmoidSingle<Vector256<float>, Width256<float>>(x);

    /// <summary>σ(x) = 1/(1 + e^−x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> x) => SigmoidDouble<Vector256<double>, Width256<double>>(x);

    /// <summary>σ(x) = 1/(1 + e^−x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => SigmoidSingle<Vector128<float>, Width128<float>>(x);

    /// <summary>σ(x) = 1/(1 + e^−x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sigmoid(Vector128<double> x) => SigmoidDouble<Vector128<double>, Width128<double>>(x);

    /// <summary>tanh(x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x) => TanhSingle<Vector512<float>, Width512<float>>(x);

    /// <summary>tanh(x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> x) => TanhDouble<Vector512<double>, Width512<double>>(x);

    /// <summary>tanh(x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x) => TanhSingle<Vector256<float>, Width256<float>>(x);

    /// <summary>tanh(x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tanh(Vector256<double> x) => TanhDouble<Vector256<double>, Width256<double>>(x);

    /// <summary>tanh(x) (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x) => TanhSingle<Vector128<float>, Width128<float>>(x);

    /// <summary>tanh(x) (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tanh(Vector128<double> x) => TanhDouble<Vector128<double>, Width128<double>>(x);

    /// <summary>σ(x) (float, scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>tanh(x) (float, scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>σ(x) (double, scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>tanh(x) (double, scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x) => Math.Tanh(x);
}
