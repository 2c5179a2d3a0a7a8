using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Numerics;

// The register tiles of Gemm: one generic body per vector width, specialised by the JIT for each (rows, vectors)
// shape through the IConstant type arguments, so the guards below fold away and only the live accumulators remain.
// Written out by a script for regularity (rows 0..5 × vectors 0..7); edit the pattern, not single lines.
public static partial class Gemm
{
    /// <summary>C[R × V·W] (+)= A[R × k]·B[k × V·W] with R = TR.Value rows and V = TV.Value vectors in registers (Vector512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512<T, TR, TV>(nint k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IConstant where TV : struct, IConstant
    {
        int R = TR.Value, V = TV.Value;
        nint w = Vector512<T>.Count;
        Vector512<T> c00, c01, c02, c03, c04, c05, c06, c07, c10, c11, c12, c13, c14, c15, c16, c17, c20, c21, c22, c23, c24, c25, c26, c27, c30, c31, c32, c33, c34, c35, c36, c37, c40, c41, c42, c43, c44, c45, c46, c47, c50, c51, c52, c53, c54, c55, c56, c57;
        c00 = c01 = c02 = c03 = c04 = c05 = c06 = c07 = c10 = c11 = c12 = c13 = c14 = c15 = c16 = c17 = c20 = c21 = c22 = c23 = c24 = c25 = c26 = c27 = c30 = c31 = c32 = c33 = c34 = c35 = c36 = c37 = c40 = c41 = c42 = c43 = c44 = c45 = c46 = c47 = c50 = c51 = c52 = c53 = c54 = c55 = c56 = c57 = Vector512<T>.Zero;
        if (accumulate)
        {
            if (R > 0)
            {
                ref T cr = ref Unsafe.Add(ref c, 0 * ldc);
                c00 = Vector512.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c01 = Vector512.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c02 = Vector512.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c03 = Vector512.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c04 = Vector512.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c05 = Vector512.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c06 = Vector512.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c07 = Vector512.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 1)
            {
                ref T cr = ref Unsafe.Add(ref c, 1 * ldc);
                c10 = Vector512.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c11 = Vector512.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c12 = Vector512.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c13 = Vector512.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c14 = Vector512.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c15 = Vector512.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c16 = Vector512.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c17 = Vector512.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 2)
            {
                ref T cr = ref Unsafe.Add(ref c, 2 * ldc);
                c20 = Vector512.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c21 = Vector512.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c22 = Vector512.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c23 = Vector512.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c24 = Vector512.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c25 = Vector512.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c26 = Vector512.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c27 = Vector512.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 3)
            {
                ref T cr = ref Unsafe.Add(ref c, 3 * ldc);
                c30 = Vector512.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c31 = Vector512.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c32 = Vector512.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c33 = Vector512.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c34 = Vector512.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c35 = Vector512.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c36 = Vector512.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c37 = Vector512.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 4)
            {
                ref T cr = ref Unsafe.Add(ref c, 4 * ldc);
                c40 = Vector512.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c41 = Vector512.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c42 = Vector512.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c43 = Vector512.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c44 = Vector512.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c45 = Vector512.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c46 = Vector512.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c47 = Vector512.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 5)
            {
                ref T cr = ref Unsafe.Add(ref c, 5 * ldc);
                c50 = Vector512.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c51 = Vector512.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c52 = Vector512.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c53 = Vector512.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c54 = Vector512.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c55 = Vector512.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c56 = Vector512.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c57 = Vector512.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
        }
        for (nint kk = 0; kk < k; kk++)
        {
            ref T bk = ref Unsafe.Add(ref b, kk * ldb);
            ref T ak = ref Unsafe.Add(ref a, kk * aK);
            Vector512<T> b0, b1, b2, b3, b4, b5, b6, b7;
            b0 = b1 = b2 = b3 = b4 = b5 = b6 = b7 = Vector512<T>.Zero;
            b0 = Vector512.LoadUnsafe(ref bk, (nuint)(0 * w));
            if (V > 1) b1 = Vector512.LoadUnsafe(ref bk, (nuint)(1 * w));
            if (V > 2) b2 = Vector512.LoadUnsafe(ref bk, (nuint)(2 * w));
            if (V > 3) b3 = Vector512.LoadUnsafe(ref bk, (nuint)(3 * w));
            if (V > 4) b4 = Vector512.LoadUnsafe(ref bk, (nuint)(4 * w));
            if (V > 5) b5 = Vector512.LoadUnsafe(ref bk, (nuint)(5 * w));
            if (V > 6) b6 = Vector512.LoadUnsafe(ref bk, (nuint)(6 * w));
            if (V > 7) b7 = Vector512.LoadUnsafe(ref bk, (nuint)(7 * w));
            if (R > 0)
            {
                var x = Vector512.Create(Unsafe.Add(ref ak, 0 * aRow));
                c00 = Fma(x, b0, c00);
                if (V > 1) c01 = Fma(x, b1, c01);
                if (V > 2) c02 = Fma(x, b2, c02);
                if (V > 3) c03 = Fma(x, b3, c03);
                if (V > 4) c04 = Fma(x, b4, c04);
                if (V > 5) c05 = Fma(x, b5, c05);
                if (V > 6) c06 = Fma(x, b6, c06);
                if (V > 7) c07 = Fma(x, b7, c07);
            }
            if (R > 1)
            {
                var x = Vector512.Create(Unsafe.Add(ref ak, 1 * aRow));
                c10 = Fma(x, b0, c10);
                if (V > 1) c11 = Fma(x, b1, c11);
                if (V > 2) c12 = Fma(x, b2, c12);
                if (V > 3) c13 = Fma(x, b3, c13);
                if (V > 4) c14 = Fma(x, b4, c14);
                if (V > 5) c15 = Fma(x, b5, c15);
                if (V > 6) c16 = Fma(x, b6, c16);
                if (V > 7) c17 = Fma(x, b7, c17);
            }
            if (R > 2)
            {
                var x = Vector512.Create(Unsafe.Add(ref ak, 2 * aRow));
                c20 = Fma(x, b0, c20);
                if (V > 1) c21 = Fma(x, b1, c21);
                if (V > 2) c22 = Fma(x, b2, c22);
                if (V > 3) c23 = Fma(x, b3, c23);
                if (V > 4) c24 = Fma(x, b4, c24);
                if (V > 5) c25 = Fma(x, b5, c25);
                if (V > 6) c26 = Fma(x, b6, c26);
                if (V > 7) c27 = Fma(x, b7, c27);
            }
            if (R > 3)
            {
                var x = Vector512.Create(Unsafe.Add(ref ak, 3 * aRow));
                c30 = Fma(x, b0, c30);
                if (V > 1) c31 = Fma(x, b1, c31);
                if (V > 2) c32 = Fma(x, b2, c32);
                if (V > 3) c33 = Fma(x, b3, c33);
                if (V > 4) c34 = Fma(x, b4, c34);
                if (V > 5) c35 = Fma(x, b5, c35);
                if (V > 6) c36 = Fma(x, b6, c36);
                if (V > 7) c37 = Fma(x, b7, c37);
            }
            if (R > 4)
            {
                var x = Vector512.Create(Unsafe.Add(ref ak, 4 * aRow));
                c40 = Fma(x, b0, c40);
                if (V > 1) c41 = Fma(x, b1, c41);
                if (V > 2) c42 = Fma(x, b2, c42);
                if (V > 3) c43 = Fma(x, b3, c43);
                if (V > 4) c44 = Fma(x, b4, c44);
                if (V > 5) c45 = Fma(x, b5, c45);
                if (V > 6) c46 = Fma(x, b6, c46);
                if (V > 7) c47 = Fma(x, b7, c47);
            }
            if (R > 5)
            {
                var x = Vector512.Create(Unsafe.Add(ref ak, 5 * aRow));
                c50 = Fma(x, b0, c50);
                if (V > 1) c51 = Fma(x, b1, c51);
                if (V > 2) c52 = Fma(x, b2, c52);
                if (V > 3) c53 = Fma(x, b3, c53);
                if (V > 4) c54 = Fma(x, b4, c54);
                if (V > 5) c55 = Fma(x, b5, c55);
                if (V > 6) c56 = Fma(x, b6, c56);
                if (V > 7) c57 = Fma(x, b7, c57);
            }
        }
        if (R > 0)
        {
            ref T cr = ref Unsafe.Add(ref c, 0 * ldc);
            Vector512.StoreUnsafe(c00, ref cr, (nuint)(0 * w));
            if (V > 1) Vector512.StoreUnsafe(c01, ref cr, (nuint)(1 * w));
            if (V > 2) Vector512.StoreUnsafe(c02, ref cr, (nuint)(2 * w));
            if (V > 3) Vector512.StoreUnsafe(c03, ref cr, (nuint)(3 * w));
            if (V > 4) Vector512.StoreUnsafe(c04, ref cr, (nuint)(4 * w));
            if (V > 5) Vector512.StoreUnsafe(c05, ref cr, (nuint)(5 * w));
            if (V > 6) Vector512.StoreUnsafe(c06, ref cr, (nuint)(6 * w));
            if (V > 7) Vector512.StoreUnsafe(c07, ref cr, (nuint)(7 * w));
        }
        if (R > 1)
        {
            ref T cr = ref Unsafe.Add(ref c, 1 * ldc);
            Vector512.StoreUnsafe(c10, ref cr, (nuint)(0 * w));
            if (V > 1) Vector512.StoreUnsafe(c11, ref cr, (nuint)(1 * w));
            if (V > 2) Vector512.StoreUnsafe(c12, ref cr, (nuint)(2 * w));
            if (V > 3) Vector512.StoreUnsafe(c13, ref cr, (nuint)(3 * w));
            if (V > 4) Vector512.StoreUnsafe(c14, ref cr, (nuint)(4 * w));
            if (V > 5) Vector512.StoreUnsafe(c15, ref cr, (nuint)(5 * w));
            if (V > 6) Vector512.StoreUnsafe(c16, ref cr, (nuint)(6 * w));
            if (V > 7) Vector512.StoreUnsafe(c17, ref cr, (nuint)(7 * w));
        }
        if (R > 2)
        {
            ref T cr = ref Unsafe.Add(ref c, 2 * ldc);
            Vector512.StoreUnsafe(c20, ref cr, (nuint)(0 * w));
            if (V > 1) Vector512.StoreUnsafe(c21, ref cr, (nuint)(1 * w));
            if (V > 2) Vector512.StoreUnsafe(c22, ref cr, (nuint)(2 * w));
            if (V > 3) Vector512.StoreUnsafe(c23, ref cr, (nuint)(3 * w));
            if (V > 4) Vector512.StoreUnsafe(c24, ref cr, (nuint)(4 * w));
            if (V > 5) Vector512.StoreUnsafe(c25, ref cr, (nuint)(5 * w));
            if (V > 6) Vector512.StoreUnsafe(c26, ref cr, (nuint)(6 * w));
            if (V > 7) Vector512.StoreUnsafe(c27, ref cr, (nuint)(7 * w));
        }
        if (R > 3)
        {
            ref T cr = ref Unsafe.Add(ref c, 3 * ldc);
            Vector512.StoreUnsafe(c30, ref cr, (nuint)(0 * w));
            if (V > 1) Vector512.StoreUnsafe(c31, ref cr, (nuint)(1 * w));
            if (V > 2) Vector512.StoreUnsafe(c32, ref cr, (nuint)(2 * w));
            if (V > 3) Vector512.StoreUnsafe(c33, ref cr, (nuint)(3 * w));
            if (V > 4) Vector512.StoreUnsafe(c34, ref cr, (nuint)(4 * w));
            if (V > 5) Vector512.StoreUnsafe(c35, ref cr, (nuint)(5 * w));
            if (V > 6) Vector512.StoreUnsafe(c36, ref cr, (nuint)(6 * w));
            if (V > 7) Vector512.StoreUnsafe(c37, ref cr, (nuint)(7 * w));
        }
        if (R > 4)
        {
            ref T cr = ref Unsafe.Add(ref c, 4 * ldc);
            Vector512.StoreUnsafe(c40, ref cr, (nuint)(0 * w));
            if (V > 1) Vector512.StoreUnsafe(c41, ref cr, (nuint)(1 * w));
            if (V > 2) Vector512.StoreUnsafe(c42, ref cr, (nuint)(2 * w));
            if (V > 3) Vector512.StoreUnsafe(c43, ref cr, (nuint)(3 * w));
            if (V > 4) Vector512.StoreUnsafe(c44, ref cr, (nuint)(4 * w));
            if (V > 5) Vector512.StoreUnsafe(c45, ref cr, (nuint)(5 * w));
            if (V > 6) Vector512.StoreUnsafe(c46, ref cr, (nuint)(6 * w));
            if (V > 7) Vector512.StoreUnsafe(c47, ref cr, (nuint)(7 * w));
        }
        if (R > 5)
        {
            ref T cr = ref Unsafe.Add(ref c, 5 * ldc);
            Vector512.StoreUnsafe(c50, ref cr, (nuint)(0 * w));
            if (V > 1) Vector512.StoreUnsafe(c51, ref cr, (nuint)(1 * w));
            if (V > 2) Vector512.StoreUnsafe(c52, ref cr, (nuint)(2 * w));
            if (V > 3) Vector512.StoreUnsafe(c53, ref cr, (nuint)(3 * w));
            if (V > 4) Vector512.StoreUnsafe(c54, ref cr, (nuint)(4 * w));
            if (V > 5) Vector512.StoreUnsafe(c55, ref cr, (nuint)(5 * w));
            if (V > 6) Vector512.StoreUnsafe(c56, ref cr, (nuint)(6 * w));
            if (V > 7) Vector512.StoreUnsafe(c57, ref cr, (nuint)(7 * w));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512<T>(int rows, int vectors, nint k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (rows * 16 + vectors)
        {
            case 17: Tile512<T, One, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 18: Tile512<T, One, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 19: Tile512<T, One, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 20: Tile512<T, One, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 21: Tile512<T, One, Five>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 22: Tile512<T, One, Six>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 23: Tile512<T, One, Seven>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 24: Tile512<T, One, Eight>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 33: Tile512<T, Two, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 34: Tile512<T, Two, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 35: Tile512<T, Two, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 36: Tile512<T, Two, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 37: Tile512<T, Two, Five>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 38: Tile512<T, Two, Six>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 39: Tile512<T, Two, Seven>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 40: Tile512<T, Two, Eight>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 49: Tile512<T, Three, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 50: Tile512<T, Three, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 51: Tile512<T, Three, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 52: Tile512<T, Three, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 65: Tile512<T, Four, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 66: Tile512<T, Four, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 67: Tile512<T, Four, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 68: Tile512<T, Four, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 81: Tile512<T, Five, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 82: Tile512<T, Five, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 83: Tile512<T, Five, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 84: Tile512<T, Five, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 97: Tile512<T, Six, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 98: Tile512<T, Six, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 99: Tile512<T, Six, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 100: Tile512<T, Six, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    /// <summary>C[R × V·W] (+)= A[R × k]·B[k × V·W] with R = TR.Value rows and V = TV.Value vectors in registers (Vector256).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256<T, TR, TV>(nint k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IConstant where TV : struct, IConstant
    {
        int R = TR.Value, V = TV.Value;
        nint w = Vector256<T>.Count;
        Vector256<T> c00, c01, c02, c03, c04, c05, c06, c07, c10, c11, c12, c13, c14, c15, c16, c17, c20, c21, c22, c23, c24, c25, c26, c27, c30, c31, c32, c33, c34, c35, c36, c37, c40, c41, c42, c43, c44, c45, c46, c47, c50, c51, c52, c53, c54, c55, c56, c57;
        c00 = c01 = c02 = c03 = c04 = c05 = c06 = c07 = c10 = c11 = c12 = c13 = c14 = c15 = c16 = c17 = c20 = c21 = c22 = c23 = c24 = c25 = c26 = c27 = c30 = c31 = c32 = c33 = c34 = c35 = c36 = c37 = c40 = c41 = c42 = c43 = c44 = c45 = c46 = c47 = c50 = c51 = c52 = c53 = c54 = c55 = c56 = c57 = Vector256<T>.Zero;
        if (accumulate)
        {
            if (R > 0)
            {
                ref T cr = ref Unsafe.Add(ref c, 0 * ldc);
                c00 = Vector256.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c01 = Vector256.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c02 = Vector256.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c03 = Vector256.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c04 = Vector256.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c05 = Vector256.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c06 = Vector256.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c07 = Vector256.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 1)
            {
                ref T cr = ref Unsafe.Add(ref c, 1 * ldc);
                c10 = Vector256.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c11 = Vector256.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c12 = Vector256.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c13 = Vector256.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c14 = Vector256.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c15 = Vector256.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c16 = Vector256.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c17 = Vector256.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 2)
            {
                ref T cr = ref Unsafe.Add(ref c, 2 * ldc);
                c20 = Vector256.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c21 = Vector256.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c22 = Vector256.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c23 = Vector256.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c24 = Vector256.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c25 = Vector256.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c26 = Vector256.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c27 = Vector256.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 3)
            {
                ref T cr = ref Unsafe.Add(ref c, 3 * ldc);
                c30 = Vector256.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c31 = Vector256.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c32 = Vector256.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c33 = Vector256.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c34 = Vector256.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c35 = Vector256.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c36 = Vector256.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c37 = Vector256.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 4)
            {
                ref T cr = ref Unsafe.Add(ref c, 4 * ldc);
                c40 = Vector256.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c41 = Vector256.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c42 = Vector256.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c43 = Vector256.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c44 = Vector256.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c45 = Vector256.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c46 = Vector256.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c47 = Vector256.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
            if (R > 5)
            {
                ref T cr = ref Unsafe.Add(ref c, 5 * ldc);
                c50 = Vector256.LoadUnsafe(ref cr, (nuint)(0 * w));
                if (V > 1) c51 = Vector256.LoadUnsafe(ref cr, (nuint)(1 * w));
                if (V > 2) c52 = Vector256.LoadUnsafe(ref cr, (nuint)(2 * w));
                if (V > 3) c53 = Vector256.LoadUnsafe(ref cr, (nuint)(3 * w));
                if (V > 4) c54 = Vector256.LoadUnsafe(ref cr, (nuint)(4 * w));
                if (V > 5) c55 = Vector256.LoadUnsafe(ref cr, (nuint)(5 * w));
                if (V > 6) c56 = Vector256.LoadUnsafe(ref cr, (nuint)(6 * w));
                if (V > 7) c57 = Vector256.LoadUnsafe(ref cr, (nuint)(7 * w));
            }
        }
        for (nint kk = 0; kk < k; kk++)
        {
            ref T bk = ref Unsafe.Add(ref b, kk * ldb);
            ref T ak = ref Unsafe.Add(ref a, kk * aK);
            Vector256<T> b0, b1, b2, b3, b4, b5, b6, b7;
            b0 = b1 = b2 = b3 = b4 = b5 = b6 = b7 = Vector256<T>.Zero;
            b0 = Vector256.LoadUnsafe(ref bk, (nuint)(0 * w));
            if (V > 1) b1 = Vector256.LoadUnsafe(ref bk, (nuint)(1 * w));
            if (V > 2) b2 = Vector256.LoadUnsafe(ref bk, (nuint)(2 * w));
            if (V > 3) b3 = Vector256.LoadUnsafe(ref bk, (nuint)(3 * w));
            if (V > 4) b4 = Vector256.LoadUnsafe(ref bk, (nuint)(4 * w));
            if (V > 5) b5 = Vector256.LoadUnsafe(ref bk, (nuint)(5 * w));
            if (V > 6) b6 = Vector256.LoadUnsafe(ref bk, (nuint)(6 * w));
            if (V > 7) b7 = Vector256.LoadUnsafe(ref bk, (nuint)(7 * w));
            if (R > 0)
            {
                var x = Vector256.Create(Unsafe.Add(ref ak, 0 * aRow));
                c00 = Fma(x, b0, c00);
                if (V > 1) c01 = Fma(x, b1, c01);
                if (V > 2) c02 = Fma(x, b2, c02);
                if (V > 3) c03 = Fma(x, b3, c03);
                if (V > 4) c04 = Fma(x, b4, c04);
                if (V > 5) c05 = Fma(x, b5, c05);
                if (V > 6) c06 = Fma(x, b6, c06);
                if (V > 7) c07 = Fma(x, b7, c07);
            }
            if (R > 1)
            {
                var x = Vector256.Create(Unsafe.Add(ref ak, 1 * aRow));
                c10 = Fma(x, b0, c10);
                if (V > 1) c11 = Fma(x, b1, c11);
                if (V > 2) c12 = Fma(x, b2, c12);
                if (V > 3) c13 = Fma(x, b3, c13);
                if (V > 4) c14 = Fma(x, b4, c14);
                if (V > 5) c15 = Fma(x, b5, c15);
                if (V > 6) c16 = Fma(x, b6, c16);
                if (V > 7) c17 = Fma(x, b7, c17);
            }
            if (R > 2)
            {
                var x = Vector256.Create(Unsafe.Add(ref ak, 2 * aRow));
                c20 = Fma(x, b0, c20);
                if (V > 1) c21 = Fma(x, b1, c21);
                if (V > 2) c22 = Fma(x, b2, c22);
                if (V > 3) c23 = Fma(x, b3, c23);
                if (V > 4) c24 = Fma(x, b4, c24);
                if (V > 5) c25 = Fma(x, b5, c25);
                if (V > 6) c26 = Fma(x, b6, c26);
                if (V > 7) c27 = Fma(x, b7, c27);
            }
            if (R > 3)
            {
                var x = Vector256.Create(Unsafe.Add(ref ak, 3 * aRow));
                c30 = Fma(x, b0, c30);
                if (V > 1) c31 = Fma(x, b1, c31);
                if (V > 2) c32 = Fma(x, b2, c32);
                if (V > 3) c33 = Fma(x, b3, c33);
                if (V > 4) c34 = Fma(x, b4, c34);
                if (V > 5) c35 = Fma(x, b5, c35);
                if (V > 6) c36 = Fma(x, b6, c36);
                if (V > 7) c37 = Fma(x, b7, c37);
            }
            if (R > 4)
            {
                var x = Vector256.Create(Unsafe.Add(ref ak, 4 * aRow));
                c40 = Fma(x, b0, c40);
                if (V > 1) c41 = Fma(x, b1, c41);
                if (V > 2) c42 = Fma(x, b2, c42);
                if (V > 3) c43 = Fma(x, b3, c43);
                if (V > 4) c44 = Fma(x, b4, c44);
                if (V > 5) c45 = Fma(x, b5, c45);
                if (V > 6) c46 = Fma(x, b6, c46);
                if (V > 7) c47 = Fma(x, b7, c47);
            }
            if (R > 5)
            {
                var x = Vector256.Create(Unsafe.Add(ref ak, 5 * aRow));
                c50 = Fma(x, b0, c50);
                if (V > 1) c51 = Fma(x, b1, c51);
                if (V > 2) c52 = Fma(x, b2, c52);
                if (V > 3) c53 = Fma(x, b3, c53);
                if (V > 4) c54 = Fma(x, b4, c54);
                if (V > 5) c55 = Fma(x, b5, c55);
                if (V > 6) c56 = Fma(x, b6, c56);
                if (V > 7) c57 = Fma(x, b7, c57);
            }
        }
        if (R > 0)
        {
            ref T cr = ref Unsafe.Add(ref c, 0 * ldc);
            Vector256.StoreUnsafe(c00, ref cr, (nuint)(0 * w));
            if (V > 1) Vector256.StoreUnsafe(c01, ref cr, (nuint)(1 * w));
            if (V > 2) Vector256.StoreUnsafe(c02, ref cr, (nuint)(2 * w));
            if (V > 3) Vector256.StoreUnsafe(c03, ref cr, (nuint)(3 * w));
            if (V > 4) Vector256.StoreUnsafe(c04, ref cr, (nuint)(4 * w));
            if (V > 5) Vector256.StoreUnsafe(c05, ref cr, (nuint)(5 * w));
            if (V > 6) Vector256.StoreUnsafe(c06, ref cr, (nuint)(6 * w));
            if (V > 7) Vector256.StoreUnsafe(c07, ref cr, (nuint)(7 * w));
        }
        if (R > 1)
        {
            ref T cr = ref Unsafe.Add(ref c, 1 * ldc);
            Vector256.StoreUnsafe(c10, ref cr, (nuint)(0 * w));
            if (V > 1) Vector256.StoreUnsafe(c11, ref cr, (nuint)(1 * w));
            if (V > 2) Vector256.StoreUnsafe(c12, ref cr, (nuint)(2 * w));
            if (V > 3) Vector256.StoreUnsafe(c13, ref cr, (nuint)(3 * w));
            if (V > 4) Vector256.StoreUnsafe(c14, ref cr, (nuint)(4 * w));
            if (V > 5) Vector256.StoreUnsafe(c15, ref cr, (nuint)(5 * w));
            if (V > 6) Vector256.StoreUnsafe(c16, ref cr, (nuint)(6 * w));
            if (V > 7) Vector256.StoreUnsafe(c17, ref cr, (nuint)(7 * w));
        }
        if (R > 2)
        {
            ref T cr = ref Unsafe.Add(ref c, 2 * ldc);
            Vector256.StoreUnsafe(c20, ref cr, (nuint)(0 * w));
            if (V > 1) Vector256.StoreUnsafe(c21, ref cr, (nuint)(1 * w));
            if (V > 2) Vector256.StoreUnsafe(c22, ref cr, (nuint)(2 * w));
            if (V > 3) Vector256.StoreUnsafe(c23, ref cr, (nuint)(3 * w));
            if (V > 4) Vector256.StoreUnsafe(c24, ref cr, (nuint)(4 * w));
            if (V > 5) Vector256.StoreUnsafe(c25, ref cr, (nuint)(5 * w));
            if (V > 6) Vector256.StoreUnsafe(c26, ref cr, (nuint)(6 * w));
            if (V > 7) Vector256.StoreUnsafe(c27, ref cr, (nuint)(7 * w));
        }
        if (R > 3)
        {
            ref T cr = ref Unsafe.Add(ref c, 3 * ldc);
            Vector256.StoreUnsafe(c30, ref cr, (nuint)(0 * w));
            if (V > 1) Vector256.StoreUnsafe(c31, ref cr, (nuint)(1 * w));
            if (V > 2) Vector256.StoreUnsafe(c32, ref cr, (nuint)(2 * w));
            if (V > 3) Vector256.StoreUnsafe(c33, ref cr, (nuint)(3 * w));
            if (V > 4) Vector256.StoreUnsafe(c34, ref cr, (nuint)(4 * w));
            if (V > 5) Vector256.StoreUnsafe(c35, ref cr, (nuint)(5 * w));
            if (V > 6) Vector256.StoreUnsafe(c36, ref cr, (nuint)(6 * w));
            if (V > 7) Vector256.StoreUnsafe(c37, ref cr, (nuint)(7 * w));
        }
        if (R > 4)
        {
            ref T cr = ref Unsafe.Add(ref c, 4 * ldc);
            Vector256.StoreUnsafe(c40, ref cr, (nuint)(0 * w));
            if (V > 1) Vector256.StoreUnsafe(c41, ref cr, (nuint)(1 * w));
            if (V > 2) Vector256.StoreUnsafe(c42, ref cr, (nuint)(2 * w));
            if (V > 3) Vector256.StoreUnsafe(c43, ref cr, (nuint)(3 * w));
            if (V > 4) Vector256.StoreUnsafe(c44, ref cr, (nuint)(4 * w));
            if (V > 5) Vector256.StoreUnsafe(c45, ref cr, (nuint)(5 * w));
            if (V > 6) Vector256.StoreUnsafe(c46, ref cr, (nuint)(6 * w));
            if (V > 7) Vector256.StoreUnsafe(c47, ref cr, (nuint)(7 * w));
        }
        if (R > 5)
        {
            ref T cr = ref Unsafe.Add(ref c, 5 * ldc);
            Vector256.StoreUnsafe(c50, ref cr, (nuint)(0 * w));
            if (V > 1) Vector256.StoreUnsafe(c51, ref cr, (nuint)(1 * w));
            if (V > 2) Vector256.StoreUnsafe(c52, ref cr, (nuint)(2 * w));
            if (V > 3) Vector256.StoreUnsafe(c53, ref cr, (nuint)(3 * w));
            if (V > 4) Vector256.StoreUnsafe(c54, ref cr, (nuint)(4 * w));
            if (V > 5) Vector256.StoreUnsafe(c55, ref cr, (nuint)(5 * w));
            if (V > 6) Vector256.StoreUnsafe(c56, ref cr, (nuint)(6 * w));
            if (V > 7) Vector256.StoreUnsafe(c57, ref cr, (nuint)(7 * w));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256<T>(int rows, int vectors, nint k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (rows * 16 + vectors)
        {
            case 17: Tile256<T, One, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 18: Tile256<T, One, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 19: Tile256<T, One, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 20: Tile256<T, One, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 21: Tile256<T, One, Five>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 22: Tile256<T, One, Six>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 23: Tile256<T, One, Seven>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 24: Tile256<T, One, Eight>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 33: Tile256<T, Two, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 34: Tile256<T, Two, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 35: Tile256<T, Two, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 36: Tile256<T, Two, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 37: Tile256<T, Two, Five>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 38: Tile256<T, Two, Six>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 39: Tile256<T, Two, Seven>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 40: Tile256<T, Two, Eight>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 49: Tile256<T, Three, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 50: Tile256<T, Three, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 51: Tile256<T, Three, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 52: Tile256<T, Three, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 65: Tile256<T, Four, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 66: Tile256<T, Four, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 67: Tile256<T, Four, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 68: Tile256<T, Four, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 81: Tile256<T, Five, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 82: Tile256<T, Five, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 83: Tile256<T, Five, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 84: Tile256<T, Five, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 97: Tile256<T, Six, One>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 98: Tile256<T, Six, Two>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 99: Tile256<T, Six, Three>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            case 100: Tile256<T, Six, Four>(k, ref a, aRow, aK, ref b, ldb, ref c, ldc, accumulate); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

}
