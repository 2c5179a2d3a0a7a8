using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace LstmGen.Numerics;

/// <summary>
/// Fused multiply-add for the generated kernels: a hardware FMA where the CPU has one (FMA3 / AVX-512 on x64, NEON on
/// ARM64), otherwise a multiply and an add (x64 without AVX). The JIT folds the <c>IsSupported</c> checks, so each call
/// compiles to one instruction.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Simd
{
    /// <summary>a × b + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c)
        => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>a × b + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c)
        => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>a × b + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>a × b + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>a × b + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : a * b + c;

    /// <summary>a × b + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.FusedMultiplyAdd(c, a, b) : a * b + c;

    /// <summary>
    /// a × b + c for the scalar paths and vector tails: rounded once where the vector paths have a hardware FMA (so a tail
    /// element rounds as a vector lane does), else a multiply and an add, as the vector lanes then compute it (a
    /// fused multiply-add in software would cost a call per product: the scalar fallback ran at 0.7 GFLOP/s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c)
        => Fma.IsSupported || AdvSimd.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>a × b + c, rounded as <see cref="MultiplyAdd(float, float, float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double a, double b, double c)
        => Fma.IsSupported || AdvSimd.Arm64.IsSupported ? Math.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>The scalar a × b + c of <see cref="MultiplyAdd(float, float, float)"/> for float or double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T MultiplyAdd<T>(T a, T b, T c) where T : unmanaged
        => typeof(T) == typeof(float)
            ? (T)(object)MultiplyAdd((float)(object)a, (float)(object)b, (float)(object)c)
            : (T)(object)MultiplyAdd((double)(object)a, (double)(object)b, (double)(object)c);
}
