using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LstmGen.Numerics;

// The register tile of Gemm: one generic body for every vector width (TWidth) and tile shape (the IConstant type
// arguments TRows, TVectors). The JIT specialises it per (width, rows, vectors), so the guards below fold away and only
// the live accumulators remain. Regular by construction (rows 0..5 × vectors 0..7): edit the pattern, not single lines.
public static partial class Gemm
{
    /// <summary>C[R × V·W] (+)= A[R × k]·B[k × V·W] with R = TRows.Value rows and V = TVectors.Value vectors of one width in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T, TVector, TWidth, TRows, TVectors>(nint k, ref T a, nint aRow, nint aK, ref T b, nint ldb, nint panel, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TWidth : ISimdWidth<TVector, T>
        where TRows : struct, IConstant
        where TVectors : struct, IConstant
    {
        int R = TRows.Value, V = TVectors.Value;
        nint w = TWidth.Count;
        // B comes in panels of VectorsPerPanel vectors, `panel` elements apart (a plain row of B is one long panel).
        nint p1 = panel, p2 = 2 * panel, p3 = 3 * panel;
        TVector c00, c01, c02, c03, c04, c05, c06, c07, c10, c11, c12, c13, c14, c15, c16, c17, c20, c21, c22, c23, c24, c25, c26, c27, c30, c31, c32, c33, c34, c35, c36, c37, c40, c41, c42, c43, c44, c45, c46, c47, c50, c51, c52, c53, c54, c55, c56, c57;
        c00 = c01 = c02 = c03 = c04 = c05 = c06 = c07 = c10 = c11 = c12 = c13 = c14 = c15 = c16 = c17 = c20 = c21 = c22 = c23 = c24 = c25 = c26 = c27 = c30 = c31 = c32 = c33 = c34 = c35 = c36 = c37 = c40 = c41 = c42 = c43 = c44 = c45 = c46 = c47 = c50 = c51 = c52 = c53 = c54 = c55 = c56 = c57 = TWidth.Zero;
        if (accumulate)
        {
            if (R > 0)
            {
                ref T cr = ref Unsafe.Add(ref c, 0 * ldc);
                c00 = TWidth.Load(ref cr, (nuint)(0 * w));
                if (V > 1) c01 = TWidth.Load(ref cr, (nuint)(1 * w));
                if (V > 2) c02 = TWidth.Load(ref cr, (nuint)(2 * w));
                if (V > 3) c03 = TWidth.Load(ref cr, (nuint)(3 * w));
                if (V > 4) c04 = TWidth.Load(ref cr, (nuint)(4 * w));
                if (V > 5) c05 = TWidth.Load(ref cr, (nuint)(5 * w));
                if (V > 6) c06 = TWidth.Load(ref cr, (nuint)(6 * w));
                if (V > 7) c07 = TWidth.Load(ref cr, (nuint)(7 * w));
            }
            if (R > 1)
            {
                ref T cr = ref Unsafe.Add(ref c, 1 * ldc);
                c10 = TWidth.Load(ref cr, (nuint)(0 * w));
                if (V > 1) c11 = TWidth.Load(ref cr, (nuint)(1 * w));
                if (V > 2) c12 = TWidth.Load(ref cr, (nuint)(2 * w));
                if (V > 3) c13 = TWidth.Load(ref cr, (nuint)(3 * w));
                if (V > 4) c14 = TWidth.Load(ref cr, (nuint)(4 * w));
                if (V > 5) c15 = TWidth.Load(ref cr, (nuint)(5 * w));
                if (V > 6) c16 = TWidth.Load(ref cr, (nuint)(6 * w));
                if (V > 7) c17 = TWidth.Load(ref cr, (nuint)(7 * w));
            }
            if (R > 2)
            {
                ref T cr = ref Unsafe.Add(ref c, 2 * ldc);
                c20 = TWidth.Load(ref cr, (nuint)(0 * w));
                if (V > 1) c21 = TWidth.Load(ref cr, (nuint)(1 * w));
                if (V > 2) c22 = TWidth.Load(ref cr, (nuint)(2 * w));
                if (V > 3) c23 = TWidth.Load(ref cr, (nuint)(3 * w));
                if (V > 4) c24 = TWidth.Load(ref cr, (nuint)(4 * w));
                if (V > 5) c25 = TWidth.Load(ref cr, (nuint)(5 * w));
                if (V > 6) c26 = TWidth.Load(ref cr, (nuint)(6 * w));
                if (V > 7) c27 = TWidth.Load(ref cr, (nuint)(7 * w));
            }
            if (R > 3)
            {
                ref T cr = ref Unsafe.Add(ref c, 3 * ldc);
                c30 = TWidth.Load(ref cr, (nuint)(0 * w));
                if (V > 1) c31 = TWidth.Load(ref cr, (nuint)(1 * w));
                if (V > 2) c32 = TWidth.Load(ref cr, (nuint)(2 * w));
                if (V > 3) c33 = TWidth.Load(ref cr, (nuint)(3 * w));
                if (V > 4) c34 = TWidth.Load(ref cr, (nuint)(4 * w));
                if (V > 5) c35 = TWidth.Load(ref cr, (nuint)(5 * w));
                if (V > 6) c36 = TWidth.Load(ref cr, (nuint)(6 * w));
                if (V > 7) c37 = TWidth.Load(ref cr, (nuint)(7 * w));
            }
            if (R > 4)
            {
                ref T cr = ref Unsafe.Add(ref c, 4 * ldc);
                c40 = TWidth.Load(ref cr, (nuint)(0 * w));
                if (V > 1) c41 = TWidth.Load(ref cr, (nuint)(1 * w));
                if (V > 2) c42 = TWidth.Load(ref cr, (nuint)(2 * w));
                if (V > 3) c43 = TWidth.Load(ref cr, (nuint)(3 * w));
                if (V > 4) c44 = TWidth.Load(ref cr, (nuint)(4 * w));
                if (V > 5) c45 = TWidth.Load(ref cr, (nuint)(5 * w));
                if (V > 6) c46 = TWidth.Load(ref cr, (nuint)(6 * w));
                if (V > 7) c47 = TWidth.Load(ref cr, (nuint)(7 * w));
            }
            if (R > 5)
            {
                ref T cr = ref Unsafe.Add(ref c, 5 * ldc);
                c50 = TWidth.Load(ref cr, (nuint)(0 * w));
                if (V > 1) c51 = TWidth.Load(ref cr, (nuint)(1 * w));
                if (V > 2) c52 = TWidth.Load(ref cr, (nuint)(2 * w));
                if (V > 3) c53 = TWidth.Load(ref cr, (nuint)(3 * w));
                if (V > 4) c54 = TWidth.Load(ref cr, (nuint)(4 * w));
                if (V > 5) c55 = TWidth.Load(ref cr, (nuint)(5 * w));
                if (V > 6) c56 = TWidth.Load(ref cr, (nuint)(6 * w));
                if (V > 7) c57 = TWidth.Load(ref cr, (nuint)(7 * w));
            }
        }
        for (nint kk = 0; kk < k; kk++)
        {
            ref T bk = ref Unsafe.Add(ref b, kk * ldb);
            ref T ak = ref Unsafe.Add(ref a, kk * aK);
            if (R == 1)
            {
                // One row uses each vector of B once: straight from memory (loading all eight first spilled one).
                var x = TWidth.Create(ak);
                c00 = TWidth.MultiplyAdd(x, TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(0, w, p1, p2, p3)), c00);
                if (V > 1) c01 = TWidth.MultiplyAdd(x, TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(1, w, p1, p2, p3)), c01);
                if (V > 2) c02 = TWidth.MultiplyAdd(x, TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(2, w, p1, p2, p3)), c02);
                if (V > 3) c03 = TWidth.MultiplyAdd(x, TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(3, w, p1, p2, p3)), c03);
                if (V > 4) c04 = TWidth.MultiplyAdd(x, TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(4, w, p1, p2, p3)), c04);
                if (V > 5) c05 = TWidth.MultiplyAdd(x, TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(5, w, p1, p2, p3)), c05);
                if (V > 6) c06 = TWidth.MultiplyAdd(x, TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(6, w, p1, p2, p3)), c06);
                if (V > 7) c07 = TWidth.MultiplyAdd(x, TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(7, w, p1, p2, p3)), c07);
                continue;
            }
            TVector b0, b1, b2, b3, b4, b5, b6, b7;
            b0 = b1 = b2 = b3 = b4 = b5 = b6 = b7 = TWidth.Zero;
            b0 = TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(0, w, p1, p2, p3));
            if (V > 1) b1 = TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(1, w, p1, p2, p3));
            if (V > 2) b2 = TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(2, w, p1, p2, p3));
            if (V > 3) b3 = TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(3, w, p1, p2, p3));
            if (V > 4) b4 = TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(4, w, p1, p2, p3));
            if (V > 5) b5 = TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(5, w, p1, p2, p3));
            if (V > 6) b6 = TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(6, w, p1, p2, p3));
            if (V > 7) b7 = TWidth.Load(ref bk, (nuint)VectorOffset<T, TVector>(7, w, p1, p2, p3));
            if (R > 0)
            {
                var x = TWidth.Create(Unsafe.Add(ref ak, 0 * aRow));
                c00 = TWidth.MultiplyAdd(x, b0, c00);
                if (V > 1) c01 = TWidth.MultiplyAdd(x, b1, c01);
                if (V > 2) c02 = TWidth.MultiplyAdd(x, b2, c02);
                if (V > 3) c03 = TWidth.MultiplyAdd(x, b3, c03);
                if (V > 4) c04 = TWidth.MultiplyAdd(x, b4, c04);
                if (V > 5) c05 = TWidth.MultiplyAdd(x, b5, c05);
                if (V > 6) c06 = TWidth.MultiplyAdd(x, b6, c06);
                if (V > 7) c07 = TWidth.MultiplyAdd(x, b7, c07);
            }
            if (R > 1)
            {
                var x = TWidth.Create(Unsafe.Add(ref ak, 1 * aRow));
                c10 = TWidth.MultiplyAdd(x, b0, c10);
                if (V > 1) c11 = TWidth.MultiplyAdd(x, b1, c11);
                if (V > 2) c12 = TWidth.MultiplyAdd(x, b2, c12);
                if (V > 3) c13 = TWidth.MultiplyAdd(x, b3, c13);
                if (V > 4) c14 = TWidth.MultiplyAdd(x, b4, c14);
                if (V > 5) c15 = TWidth.MultiplyAdd(x, b5, c15);
                if (V > 6) c16 = TWidth.MultiplyAdd(x, b6, c16);
                if (V > 7) c17 = TWidth.MultiplyAdd(x, b7, c17);
            }
            if (R > 2)
            {
                var x = TWidth.Create(Unsafe.Add(ref ak, 2 * aRow));
                c20 = TWidth.MultiplyAdd(x, b0, c20);
                if (V > 1) c21 = TWidth.MultiplyAdd(x, b1, c21);
                if (V > 2) c22 = TWidth.MultiplyAdd(x, b2, c22);
                if (V > 3) c23 = TWidth.MultiplyAdd(x, b3, c23);
                if (V > 4) c24 = TWidth.MultiplyAdd(x, b4, c24);
                if (V > 5) c25 = TWidth.MultiplyAdd(x, b5, c25);
                if (V > 6) c26 = TWidth.MultiplyAdd(x, b6, c26);
                if (V > 7) c27 = TWidth.MultiplyAdd(x, b7, c27);
            }
            if (R > 3)
            {
                var x = TWidth.Create(Unsafe.Add(ref ak, 3 * aRow));
                c30 = TWidth.MultiplyAdd(x, b0, c30);
                if (V > 1) c31 = TWidth.MultiplyAdd(x, b1, c31);
                if (V > 2) c32 = TWidth.MultiplyAdd(x, b2, c32);
                if (V > 3) c33 = TWidth.MultiplyAdd(x, b3, c33);
                if (V > 4) c34 = TWidth.MultiplyAdd(x, b4, c34);
                if (V > 5) c35 = TWidth.MultiplyAdd(x, b5, c35);
                if (V > 6) c36 = TWidth.MultiplyAdd(x, b6, c36);
                if (V > 7) c37 = TWidth.MultiplyAdd(x, b7, c37);
            }
            if (R > 4)
            {
                var x = TWidth.Create(Unsafe.Add(ref ak, 4 * aRow));
                c40 = TWidth.MultiplyAdd(x, b0, c40);
                if (V > 1) c41 = TWidth.MultiplyAdd(x, b1, c41);
                if (V > 2) c42 = TWidth.MultiplyAdd(x, b2, c42);
                if (V > 3) c43 = TWidth.MultiplyAdd(x, b3, c43);
                if (V > 4) c44 = TWidth.MultiplyAdd(x, b4, c44);
                if (V > 5) c45 = TWidth.MultiplyAdd(x, b5, c45);
                if (V > 6) c46 = TWidth.MultiplyAdd(x, b6, c46);
                if (V > 7) c47 = TWidth.MultiplyAdd(x, b7, c47);
            }
            if (R > 5)
            {
                var x = TWidth.Create(Unsafe.Add(ref ak, 5 * aRow));
                c50 = TWidth.MultiplyAdd(x, b0, c50);
                if (V > 1) c51 = TWidth.MultiplyAdd(x, b1, c51);
                if (V > 2) c52 = TWidth.MultiplyAdd(x, b2, c52);
                if (V > 3) c53 = TWidth.MultiplyAdd(x, b3, c53);
                if (V > 4) c54 = TWidth.MultiplyAdd(x, b4, c54);
                if (V > 5) c55 = TWidth.MultiplyAdd(x, b5, c55);
                if (V > 6) c56 = TWidth.MultiplyAdd(x, b6, c56);
                if (V > 7) c57 = TWidth.MultiplyAdd(x, b7, c57);
            }
        }
        if (R > 0)
        {
            ref T cr = ref Unsafe.Add(ref c, 0 * ldc);
            TWidth.Store(c00, ref cr, (nuint)(0 * w));
            if (V > 1) TWidth.Store(c01, ref cr, (nuint)(1 * w));
            if (V > 2) TWidth.Store(c02, ref cr, (nuint)(2 * w));
            if (V > 3) TWidth.Store(c03, ref cr, (nuint)(3 * w));
            if (V > 4) TWidth.Store(c04, ref cr, (nuint)(4 * w));
            if (V > 5) TWidth.Store(c05, ref cr, (nuint)(5 * w));
            if (V > 6) TWidth.Store(c06, ref cr, (nuint)(6 * w));
            if (V > 7) TWidth.Store(c07, ref cr, (nuint)(7 * w));
        }
        if (R > 1)
        {
            ref T cr = ref Unsafe.Add(ref c, 1 * ldc);
            TWidth.Store(c10, ref cr, (nuint)(0 * w));
            if (V > 1) TWidth.Store(c11, ref cr, (nuint)(1 * w));
            if (V > 2) TWidth.Store(c12, ref cr, (nuint)(2 * w));
            if (V > 3) TWidth.Store(c13, ref cr, (nuint)(3 * w));
            if (V > 4) TWidth.Store(c14, ref cr, (nuint)(4 * w));
            if (V > 5) TWidth.Store(c15, ref cr, (nuint)(5 * w));
            if (V > 6) TWidth.Store(c16, ref cr, (nuint)(6 * w));
            if (V > 7) TWidth.Store(c17, ref cr, (nuint)(7 * w));
        }
        if (R > 2)
        {
            ref T cr = ref Unsafe.Add(ref c, 2 * ldc);
            TWidth.Store(c20, ref cr, (nuint)(0 * w));
            if (V > 1) TWidth.Store(c21, ref cr, (nuint)(1 * w));
            if (V > 2) TWidth.Store(c22, ref cr, (nuint)(2 * w));
            if (V > 3) TWidth.Store(c23, ref cr, (nuint)(3 * w));
            if (V > 4) TWidth.Store(c24, ref cr, (nuint)(4 * w));
            if (V > 5) TWidth.Store(c25, ref cr, (nuint)(5 * w));
            if (V > 6) TWidth.Store(c26, ref cr, (nuint)(6 * w));
            if (V > 7) TWidth.Store(c27, ref cr, (nuint)(7 * w));
        }
        if (R > 3)
        {
            ref T cr = ref Unsafe.Add(ref c, 3 * ldc);
            TWidth.Store(c30, ref cr, (nuint)(0 * w));
            if (V > 1) TWidth.Store(c31, ref cr, (nuint)(1 * w));
            if (V > 2) TWidth.Store(c32, ref cr, (nuint)(2 * w));
            if (V > 3) TWidth.Store(c33, ref cr, (nuint)(3 * w));
            if (V > 4) TWidth.Store(c34, ref cr, (nuint)(4 * w));
            if (V > 5) TWidth.Store(c35, ref cr, (nuint)(5 * w));
            if (V > 6) TWidth.Store(c36, ref cr, (nuint)(6 * w));
            if (V > 7) TWidth.Store(c37, ref cr, (nuint)(7 * w));
        }
        if (R > 4)
        {
            ref T cr = ref Unsafe.Add(ref c, 4 * ldc);
            TWidth.Store(c40, ref cr, (nuint)(0 * w));
            if (V > 1) TWidth.Store(c41, ref cr, (nuint)(1 * w));
            if (V > 2) TWidth.Store(c42, ref cr, (nuint)(2 * w));
            if (V > 3) TWidth.Store(c43, ref cr, (nuint)(3 * w));
            if (V > 4) TWidth.Store(c44, ref cr, (nuint)(4 * w));
            if (V > 5) TWidth.Store(c45, ref cr, (nuint)(5 * w));
            if (V > 6) TWidth.Store(c46, ref cr, (nuint)(6 * w));
            if (V > 7) TWidth.Store(c47, ref cr, (nuint)(7 * w));
        }
        if (R > 5)
        {
            ref T cr = ref Unsafe.Add(ref c, 5 * ldc);
            TWidth.Store(c50, ref cr, (nuint)(0 * w));
            if (V > 1) TWidth.Store(c51, ref cr, (nuint)(1 * w));
            if (V > 2) TWidth.Store(c52, ref cr, (nuint)(2 * w));
            if (V > 3) TWidth.Store(c53, ref cr, (nuint)(3 * w));
            if (V > 4) TWidth.Store(c54, ref cr, (nuint)(4 * w));
            if (V > 5) TWidth.Store(c55, ref cr, (nuint)(5 * w));
            if (V > 6) TWidth.Store(c56, ref cr, (nuint)(6 * w));
            if (V > 7) TWidth.Store(c57, ref cr, (nuint)(7 * w));
        }
    }

    /// <summary>Where vector <paramref name="v"/> of a row of B starts: in panel v / VectorsPerPanel (at 0, p1, p2 or p3), at its vector v % VectorsPerPanel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint VectorOffset<T, TVector>(int v, nint w, nint p1, nint p2, nint p3)
        where T : unmanaged
        where TVector : struct
    {
        var perPanel = VectorsPerPanel<T, TVector>();
        var panelIndex = v / perPanel;
        return (panelIndex == 0 ? 0 : panelIndex == 1 ? p1 : panelIndex == 2 ? p2 : p3) + v % perPanel * w;
    }

    /// <summary>The tile of <paramref name="rows"/> × <paramref name="vectors"/> registers: the shapes <see cref="Blocked{T, TVector, TWidth}"/> uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T, TVector, TWidth>(int rows, int vectors, nint k, ref T a, nint aRow, nint aK, ref T b, nint ldb, nint panel, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TWidth : ISimdWidth<TVector, T>
    {
        switch (rows * 16 + vectors)
        {
            case 17: Tile<T, TVector, TWidth, One, One>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 18: Tile<T, TVector, TWidth, One, Two>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 19: Tile<T, TVector, TWidth, One, Three>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 20: Tile<T, TVector, TWidth, One, Four>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 21: Tile<T, TVector, TWidth, One, Five>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 22: Tile<T, TVector, TWidth, One, Six>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 23: Tile<T, TVector, TWidth, One, Seven>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 24: Tile<T, TVector, TWidth, One, Eight>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 33: Tile<T, TVector, TWidth, Two, One>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 34: Tile<T, TVector, TWidth, Two, Two>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 35: Tile<T, TVector, TWidth, Two, Three>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 36: Tile<T, TVector, TWidth, Two, Four>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 37: Tile<T, TVector, TWidth, Two, Five>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 38: Tile<T, TVector, TWidth, Two, Six>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 39: Tile<T, TVector, TWidth, Two, Seven>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 40: Tile<T, TVector, TWidth, Two, Eight>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 49: Tile<T, TVector, TWidth, Three, One>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 50: Tile<T, TVector, TWidth, Three, Two>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 51: Tile<T, TVector, TWidth, Three, Three>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 52: Tile<T, TVector, TWidth, Three, Four>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 65: Tile<T, TVector, TWidth, Four, One>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 66: Tile<T, TVector, TWidth, Four, Two>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 67: Tile<T, TVector, TWidth, Four, Three>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 68: Tile<T, TVector, TWidth, Four, Four>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 81: Tile<T, TVector, TWidth, Five, One>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 82: Tile<T, TVector, TWidth, Five, Two>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 83: Tile<T, TVector, TWidth, Five, Three>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 84: Tile<T, TVector, TWidth, Five, Four>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 97: Tile<T, TVector, TWidth, Six, One>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 98: Tile<T, TVector, TWidth, Six, Two>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 99: Tile<T, TVector, TWidth, Six, Three>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            case 100: Tile<T, TVector, TWidth, Six, Four>(k, ref a, aRow, aK, ref b, ldb, panel, ref c, ldc, accumulate); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }
}
