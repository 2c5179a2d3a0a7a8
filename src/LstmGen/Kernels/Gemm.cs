using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Kernels;

/// <summary>
/// The matrix products of the generated kernels: <c>C[m×n] (+)= A[m×k]·B[k×n]</c> with register-blocked
/// microkernels (up to 6 rows of A × 4 vectors of B, or 2 rows × 8 vectors when A has few rows, all in registers:
/// each load of B serves every row of the block, each broadcast of A every vector), cache-blocked over k and m.
/// A is addressed with two strides (row, k), so <c>Aᵀ</c> is read in place; B and C are row-major.
/// </summary>
/// <remarks>
/// Every element of C is one chain of fused multiply-adds in ascending k, started from C (accumulate) or from
/// zero, whatever the blocking: the result does not depend on the shape of the call, the tile an element falls in
/// or the vector path (vector tails use scalar <see cref="IFloatingPointIeee754{TSelf}.FusedMultiplyAdd"/>, which
/// rounds as a hardware FMA does). So splitting a product by rows (or time steps, or threads) is bit-for-bit neutral.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Gemm
{
    /// <summary>k per cache block: a panel of B (k × 4 vectors) stays in L1 while the rows of A stream past it.</summary>
    private const int BlockK = 128;

    /// <summary>Rows of A per cache block (a multiple of 6): the block of A (BlockM × BlockK) stays in L2.</summary>
    private const int BlockM = 192;

    /// <summary>
    /// C[m×n] (+)= A[m×k]·B[k×n]. A[i, kk] is at <c>a + i·aRow + kk·aK</c>; B[kk, j] at <c>b + kk·ldb + j</c>;
    /// C[i, j] at <c>c + i·ldc + j</c>. With <paramref name="accumulate"/> false, C is overwritten.
    /// </summary>
    public static void MultiplyAdd<T>(int m, int n, int k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < m; i++) System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref Unsafe.Add(ref c, i * ldc), n).Clear();
            }
            return;
        }
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            Blocked(512, m, n, k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate);
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
            Blocked(256, m, n, k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate);
        else
            Scalar(m, 0, n, k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T>(int bits, int m, int n, int k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = bits == 512 ? Vector512<T>.Count : Vector256<T>.Count;
        var vectorColumns = n / w * w;
        // Few rows (one batch row per step): 8 vectors per tile, so 8 independent FMA chains hide the latency.
        var wide = m <= 2;
        var tileVectors = wide ? 8 : 4;
        var tileRows = wide ? m : 6;
        for (var k0 = 0; k0 < k; k0 += BlockK)
        {
            var kc = Math.Min(BlockK, k - k0);
            var acc = accumulate || k0 > 0;
            ref T ak = ref Unsafe.Add(ref a, k0 * aK);
            ref T bk = ref Unsafe.Add(ref b, k0 * ldb);
            for (var m0 = 0; m0 < m; m0 += BlockM)
            {
                var mc = Math.Min(BlockM, m - m0);
                for (var j = 0; j < vectorColumns; j += tileVectors * w)
                {
                    var vectors = Math.Min(tileVectors, (vectorColumns - j) / w);
                    for (var i = m0; i < m0 + mc; i += tileRows)
                    {
                        var rows = Math.Min(tileRows, m0 + mc - i);
                        ref T ai = ref Unsafe.Add(ref ak, i * aRow);
                        ref T ci = ref Unsafe.Add(ref c, i * ldc + j);
                        if (bits == 512)
                            Tile512(rows, vectors, kc, ref ai, aRow, aK, ref Unsafe.Add(ref bk, j), ldb, ref ci, ldc, acc);
                        else
                            Tile256(rows, vectors, kc, ref ai, aRow, aK, ref Unsafe.Add(ref bk, j), ldb, ref ci, ldc, acc);
                    }
                }
            }
        }
        // Columns past the last whole vector: scalar FMA chains over all of k (same rounding as the vector lanes).
        if (vectorColumns < n) Scalar(m, vectorColumns, n, k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate);
    }

    /// <summary>Columns [j0, j1) of the product, one scalar FMA chain per element in ascending k.</summary>
    private static void Scalar<T>(int m, int j0, int j1, int k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < m; i++)
        {
            ref T ai = ref Unsafe.Add(ref a, i * aRow);
            ref T ci = ref Unsafe.Add(ref c, i * ldc);
            for (var j = j0; j < j1; j++)
            {
                var s = accumulate ? Unsafe.Add(ref ci, j) : T.Zero;
                for (var kk = 0; kk < k; kk++)
                    s = T.FusedMultiplyAdd(Unsafe.Add(ref ai, kk * aK), Unsafe.Add(ref b, kk * ldb + j), s);
                Unsafe.Add(ref ci, j) = s;
            }
        }
    }

    /// <summary>
    /// Writes the transpose of W [rows × columns] (row-major) into P [columns × rows]: the layout in which
    /// <see cref="MultiplyAdd{T}"/> reads the weights of a forward product <c>Z = X·Wᵀ</c> as its B operand.
    /// </summary>
    public static void Transpose<T>(ref T w, int rows, int columns, ref T p)
        where T : unmanaged
    {
        const int Block = 16;
        for (var r0 = 0; r0 < rows; r0 += Block)
        {
            var r1 = Math.Min(rows, r0 + Block);
            for (var k0 = 0; k0 < columns; k0 += Block)
            {
                var k1 = Math.Min(columns, k0 + Block);
                for (var r = r0; r < r1; r++)
                {
                    ref T wr = ref Unsafe.Add(ref w, (nint)r * columns);
                    for (var kk = k0; kk < k1; kk++)
                        Unsafe.Add(ref p, (nint)kk * rows + r) = Unsafe.Add(ref wr, kk);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Simd.MultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return Simd.MultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Simd.MultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        return Simd.MultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
    }

    /// <summary>A compile-time constant carried by a struct type, so each tile shape is its own specialised method.</summary>
    private interface IConstant
    {
        static abstract int Value { get; }
    }

    private struct One : IConstant { public static int Value => 1; }
    private struct Two : IConstant { public static int Value => 2; }
    private struct Three : IConstant { public static int Value => 3; }
    private struct Four : IConstant { public static int Value => 4; }
    private struct Five : IConstant { public static int Value => 5; }
    private struct Six : IConstant { public static int Value => 6; }
    private struct Seven : IConstant { public static int Value => 7; }
    private struct Eight : IConstant { public static int Value => 8; }
}
