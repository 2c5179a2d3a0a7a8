using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace LstmGen.Numerics;

/// <summary>
/// One vector width as a type argument: a kernel written once against these operations is specialised by the JIT
/// for <see cref="Width128{T}"/>, <see cref="Width256{T}"/> and <see cref="Width512{T}"/> (every call below is inlined,
/// every <c>typeof(T)</c> test folds), so there is one implementation per operation instead of one per width.
/// </summary>
/// <typeparam name="TVector">The register type (<c>Vector128&lt;T&gt;</c>, …).</typeparam>
/// <typeparam name="T">float or double.</typeparam>
internal interface ISimdWidth<TVector, T> where TVector : struct where T : unmanaged
{
    /// <summary>Whether the hardware runs this width natively (otherwise the kernels take a narrower path).</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>Elements per register.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector One { get; }

    static abstract TVector Create(T value);

    static abstract TVector Load(ref T source, nuint offset);

    static abstract void Store(TVector value, ref T destination, nuint offset);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    static abstract TVector Min(TVector a, TVector b);

    static abstract TVector Max(TVector a, TVector b);

    /// <summary>|x| (clears the sign bit).</summary>
    static abstract TVector Abs(TVector x);

    /// <summary>A non-negative <paramref name="magnitude"/> with the sign of <paramref name="sign"/>.</summary>
    static abstract TVector CopySign(TVector magnitude, TVector sign);

    /// <summary>a × b + c, rounded once where the hardware has an FMA (see <see cref="Simd"/>).</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>1/x for x ≥ 1, to about an ulp: a hardware estimate refined by Newton steps where one exists, else a division.</summary>
    static abstract TVector Reciprocal(TVector x);

    /// <summary>
    /// 2^n for the integers n held in <paramref name="t"/> = n + <paramref name="shift"/> (shift = 1.5·2^(mantissa
    /// bits), so n sits in the low mantissa bits): n + bias moved into the exponent field.
    /// </summary>
    static abstract TVector PowerOfTwo(TVector t, TVector shift);
}

/// <summary>Vector128: SSE on x64, NEON (AdvSimd) on ARM64.</summary>
internal readonly struct Width128<T> : ISimdWidth<Vector128<T>, T> where T : unmanaged
{
    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;
    public static int Count => Vector128<T>.Count;
    public static Vector128<T> Zero => Vector128<T>.Zero;
    public static Vector128<T> One => Vector128<T>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Create(T value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(ref T source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Min(Vector128<T> a, Vector128<T> b) => Vector128.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Max(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Abs(Vector128<T> x) => Vector128.AndNot(x, SignMask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> CopySign(Vector128<T> magnitude, Vector128<T> sign) => magnitude | (sign & SignMask);

    private static Vector128<T> SignMask => typeof(T) == typeof(float) ? Vector128.Create(-0f).As<float, T>() : Vector128.Create(-0.0).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        => typeof(T) == typeof(float)
            ? Simd.MultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Simd.MultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Reciprocal(Vector128<T> x)
    {
        if (typeof(T) == typeof(float) && AdvSimd.IsSupported)
        {
            // NEON: an 8-bit estimate and two Newton steps (FRECPS computes 2 − x·y), as compilers do for 1/x.
            var v = x.As<T, float>();
            var y = AdvSimd.ReciprocalEstimate(v);
            y *= AdvSimd.ReciprocalStep(v, y);
            y *= AdvSimd.ReciprocalStep(v, y);
            return (y * AdvSimd.ReciprocalStep(v, y)).As<float, T>();
        }
        if (typeof(T) == typeof(float) && Fma.IsSupported)
        {
            var v = x.As<T, float>();
            var y = Sse.Reciprocal(v);
            y = Fma.MultiplyAdd(y, Fma.MultiplyAddNegated(v, y, Vector128<float>.One), y);
            return Fma.MultiplyAdd(y, Fma.MultiplyAddNegated(v, y, Vector128<float>.One), y).As<float, T>();
        }
        return One / x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> PowerOfTwo(Vector128<T> t, Vector128<T> shift)
        => typeof(T) == typeof(float)
            ? Vector128.ShiftLeft(t.AsInt32() - shift.AsInt32() + Vector128.Create(127), 23).As<int, T>()
            : Vector128.ShiftLeft(t.AsInt64() - shift.AsInt64() + Vector128.Create(1023L), 52).As<long, T>();
}

/// <summary>Vector256: AVX/AVX2 (+ FMA) on x64.</summary>
internal readonly struct Width256<T> : ISimdWidth<Vector256<T>, T> where T : unmanaged
{
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;
    public static Vector256<T> One => Vector256<T>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Create(T value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Min(Vector256<T> a, Vector256<T> b) => Vector256.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Max(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Abs(Vector256<T> x) => Vector256.AndNot(x, SignMask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> CopySign(Vector256<T> magnitude, Vector256<T> sign) => magnitude | (sign & SignMask);

    private static Vector256<T> SignMask => typeof(T) == typeof(float) ? Vector256.Create(-0f).As<float, T>() : Vector256.Create(-0.0).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        => typeof(T) == typeof(float)
            ? Simd.MultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Simd.MultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    /// <summary>float with FMA: the AVX estimate (1.5·2^-12) and two Newton steps; otherwise a division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Reciprocal(Vector256<T> x)
    {
        if (typeof(T) != typeof(float) || !Fma.IsSupported) return One / x;
        var v = x.As<T, float>();
        var y = Avx.Reciprocal(v);
        y = Fma.MultiplyAdd(y, Fma.MultiplyAddNegated(v, y, Vector256<float>.One), y);
        return Fma.MultiplyAdd(y, Fma.MultiplyAddNegated(v, y, Vector256<float>.One), y).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> PowerOfTwo(Vector256<T> t, Vector256<T> shift)
        => typeof(T) == typeof(float)
            ? Vector256.ShiftLeft(t.AsInt32() - shift.AsInt32() + Vector256.Create(127), 23).As<int, T>()
            : Vector256.ShiftLeft(t.AsInt64() - shift.AsInt64() + Vector256.Create(1023L), 52).As<long, T>();
}

/// <summary>Vector512: AVX-512 on x64.</summary>
internal readonly struct Width512<T> : ISimdWidth<Vector512<T>, T> where T : unmanaged
{
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;
    public static Vector512<T> One => Vector512<T>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Create(T value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Min(Vector512<T> a, Vector512<T> b) => Vector512.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Max(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Abs(Vector512<T> x) => Vector512.AndNot(x, SignMask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> CopySign(Vector512<T> magnitude, Vector512<T> sign) => magnitude | (sign & SignMask);

    private static Vector512<T> SignMask => typeof(T) == typeof(float) ? Vector512.Create(-0f).As<float, T>() : Vector512.Create(-0.0).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        => typeof(T) == typeof(float)
            ? Simd.MultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Simd.MultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    /// <summary>float: the AVX-512 estimate (rcp14, 2^-14) and one Newton step; double: a division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Reciprocal(Vector512<T> x)
    {
        if (typeof(T) != typeof(float) || !Avx512F.IsSupported) return One / x;
        var v = x.As<T, float>();
        var y = Avx512F.Reciprocal14(v);
        return Avx512F.FusedMultiplyAdd(y, Avx512F.FusedMultiplyAddNegated(v, y, Vector512<float>.One), y).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> PowerOfTwo(Vector512<T> t, Vector512<T> shift)
        => typeof(T) == typeof(float)
            ? Vector512.ShiftLeft(t.AsInt32() - shift.AsInt32() + Vector512.Create(127), 23).As<int, T>()
            : Vector512.ShiftLeft(t.AsInt64() - shift.AsInt64() + Vector512.Create(1023L), 52).As<long, T>();
}
