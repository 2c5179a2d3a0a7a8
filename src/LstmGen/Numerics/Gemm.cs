using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;

namespace LstmGen.Numerics;

/// <summary>
/// The matrix products of the generated kernels: <c>C[m×n] (+)= A[m×k]·B[k×n]</c> with register-blocked
/// microkernels (up to 6 rows of A × 4 vectors of B, or 2 rows × 8 vectors when A has few rows, all in registers:
/// each load of B serves every row of the block, each broadcast of A every vector), cache-blocked over k and m.
/// A is addressed with two strides (row, k), so <c>Aᵀ</c> is read in place; B and C are row-major.
/// </summary>
/// <remarks>
/// Every element of C is one chain of fused multiply-adds in ascending k, started from C (accumulate) or from
/// zero, whatever the blocking: the result does not depend on the shape of the call, the tile an element falls in
/// or the vector path (vector tails use the scalar <see cref="Simd.MultiplyAdd(float, float, float)"/>, which rounds
/// as the vector lanes do: fused where the hardware has an FMA). So splitting a product by rows (or time steps, or threads) is bit-for-bit neutral.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Gemm
{
    /// <summary>
    /// k per cache block: the tile's panel of B (k × its width) stays in L1 while the rows of A stream past it — 16 KB
    /// on the 2-vector tiles (256 × 16 floats; measured against 128 on AVX2: 1.11–1.27× on the long-k products such as
    /// dA·W_ih, which rewrite C once per block, the others 0.97–1.17×), 32 KB on AVX-512's 4-vector tile (128 × 64).
    /// </summary>
    private const int BlockK = 256, BlockK512 = 128;

    /// <summary>Rows of A per cache block (a multiple of 6): the block of A (BlockM × BlockK) stays in L2.</summary>
    private const int BlockM = 192;

    /// <summary>Column strips (tile widths) from which a block of A is copied contiguous before the strips read it.</summary>
    private const int PackAStrips = 16;

    /// <summary>
    /// C[m×n] (+)= A[m×k]·B[k×n]. A[i, kk] is at <c>a + i·aRow + kk·aK</c>; B[kk, j] at <c>b + kk·ldb + j</c>;
    /// C[i, j] at <c>c + i·ldc + j</c>. With <paramref name="accumulate"/> false, C is overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<T>(int m, int n, int k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Product(m, n, k, ref a, aRow, aK, ref b, ldb, panelWidth: 0, ref c, ldc, accumulate);

    /// <summary>
    /// C[m×n] (+)= A[m×k]·Wᵀ with W [n×k] packed by <see cref="PackTransposed{T}"/> into <paramref name="packed"/>
    /// (A addressed as in <see cref="MultiplyAdd{T}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddPacked<T>(int m, int n, int k, ref T a, nint aRow, nint aK, ref T packed, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Product(m, n, k, ref a, aRow, aK, ref packed, ldb: 0, PanelWidth<T>(n), ref c, ldc, accumulate);

    /// <summary>
    /// Packs Wᵀ for <see cref="MultiplyAddPacked{T}"/>: W [rows × columns] (row-major, e.g. a PyTorch weight) becomes
    /// column panels of Wᵀ [columns × rows], each panel (columns × the multi-row tile's width in rows) contiguous, so a tile
    /// streams its part of the weights sequentially. Writes rows·columns elements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposed<T>(ref T w, int rows, int columns, ref T packed)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PackTransposedInPanels(ref w, rows, columns, PanelWidth<T>(rows), ref packed);

    /// <summary><see cref="PackTransposed{T}"/> into panels of <paramref name="panel"/> columns (tests pack for a vector path the CPU lacks).</summary>
    internal static void PackTransposedInPanels<T>(ref T w, int rows, int columns, int panel, ref T packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j0 = 0; j0 < rows; j0 += panel)
        {
            var width = Math.Min(panel, rows - j0);
            Transpose(ref Unsafe.Add(ref w, (nint)j0 * columns), width, columns, ref Unsafe.Add(ref packed, (nint)j0 * columns));
        }
    }

    /// <summary>
    /// Packs a row-major B [k × n] (row stride <paramref name="ldb"/>) into the column panels that
    /// <see cref="MultiplyAddPacked{T}"/> reads (as <see cref="PackTransposed{T}"/> does for a W with Wᵀ = B): for a B
    /// used by many products, such as W_hh in every step of a backward pass. Writes k·n elements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack<T>(ref T b, int k, int n, nint ldb, ref T packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var panel = PanelWidth<T>(n);
        for (var j0 = 0; j0 < n; j0 += panel)
        {
            var width = Math.Min(panel, n - j0);
            ref T destination = ref Unsafe.Add(ref packed, (nint)j0 * k);
            for (var kk = 0; kk < k; kk++)
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref b, kk * ldb + j0), width).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, (nint)kk * width), width));
        }
    }

    /// <summary>
    /// Columns per packed panel: the width of the multi-row tile (<see cref="VectorsPerPanel{T, TVector}"/> vectors) on
    /// the path that <see cref="Product{T}"/> takes for n columns (all of them on the scalar path), so that tile reads
    /// its panel as one contiguous stream; the wider few-row tiles read several panels side by side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int PanelWidth<T>(int n) where T : unmanaged
    {
        var width = VectorWidth<T>(n);
        if (width == 0) return Math.Max(1, n);
        return width * (width == Vector512<T>.Count ? VectorsPerPanel<T, Vector512<T>>() : VectorsPerPanel<T, Vector256<T>>());
    }

    /// <summary>Vectors per packed panel, the multi-row tile's width: 4 of AVX-512's, 2 of the others (16 registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VectorsPerPanel<T, TVector>() where T : unmanaged where TVector : struct
        => typeof(TVector) == typeof(Vector512<T>) ? 4 : 2;

    /// <summary>Elements per register of the widest accelerated vector that fits in n columns; 0 when none does (scalar path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VectorWidth<T>(int n) where T : unmanaged
    {
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count) return Vector512<T>.Count;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count) return Vector256<T>.Count;
        if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count) return Vector128<T>.Count;
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Product<T>(int m, int n, int k, ref T a, nint aRow, nint aK, ref T b, nint ldb, int panelWidth, ref T c, nint ldc, bool accumulate)
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
        var width = VectorWidth<T>(n);
        if (width == Vector512<T>.Count)
            Blocked<T, Vector512<T>, Width512<T>>(m, n, k, ref a, aRow, aK, ref b, ldb, panelWidth, ref c, ldc, accumulate);
        else if (width == Vector256<T>.Count)
            Blocked<T, Vector256<T>, Width256<T>>(m, n, k, ref a, aRow, aK, ref b, ldb, panelWidth, ref c, ldc, accumulate);
        else if (width == Vector128<T>.Count)
            Blocked<T, Vector128<T>, Width128<T>>(m, n, k, ref a, aRow, aK, ref b, ldb, panelWidth, ref c, ldc, accumulate);
        else
            Scalar(m, n, k, ref a, aRow, aK, ref b, panelWidth > 0 ? n : ldb, ref c, ldc, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Blocked<T, TVector, TWidth>(int m, int n, int k, ref T a, nint aRow, nint aK, ref T b, nint ldb, int panelWidth, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TWidth : ISimdWidth<TVector, T>
    {
        var w = TWidth.Count;
        var vectorColumns = n / w * w;
        var fullPanels = panelWidth > 0 ? n / panelWidth * panelWidth : 0;
        // Few rows (one batch row per step): 8 vectors per tile, so 8 independent FMA chains hide the latency.
        // The accumulators (rows × vectors) must stay in registers: up to 24 of AVX-512's 32, up to 12 of the 16 that
        // x64 has without AVX-512 (6 × 4 on AVX2 spilled and ran at about half speed); Vector128 tiles as Vector256
        // (16 registers with SSE; ARM64 has 32, but one plan for both keeps the results identical).
        var wide = m <= 2;
        var tileVectors = typeof(TVector) == typeof(Vector512<T>) ? (wide ? 8 : 4) : (m == 1 ? 8 : wide ? 4 : 2);
        var tileRows = wide ? m : 6;
        var kBlock = typeof(TVector) == typeof(Vector512<T>) ? BlockK512 : BlockK;
        for (var k0 = 0; k0 < k; k0 += kBlock)
        {
            var kc = Math.Min(kBlock, k - k0);
            var acc = accumulate || k0 > 0;
            ref T ak = ref Unsafe.Add(ref a, k0 * aK);
            for (var m0 = 0; m0 < m; m0 += BlockM)
            {
                var mc = Math.Min(BlockM, m - m0);
                // The block of A (mc × kc) is read once per strip of columns. Copied tile by tile into a contiguous
                // buffer (each tile's rows side by side for every k), it stays in L1/L2 for all strips: in place, rows
                // (or columns, for Aᵀ) a power of two apart fall into the same few cache sets and evict each other.
                ref T aBlock = ref Unsafe.Add(ref ak, m0 * aRow);
                nint blockRow = aRow, blockK = aK;
                // Copying costs about one strip's products (scalar moves): worth it from 16 strips (measured: 1.1–1.3× on
                // 3200×2048×256 and 32×512×2048, 0.93–0.95× at 8 strips).
                var packA = !wide && vectorColumns >= PackAStrips * tileVectors * w;
                if (packA)
                {
                    aBlock = ref PackRows(ref aBlock, aRow, aK, mc, kc, tileRows);
                    (blockRow, blockK) = (1, tileRows);
                }
                for (int j = 0, vectors; j < vectorColumns; j += vectors * w)
                {
                    // A tile does not reach into the last, narrower panel: that one has its own row stride.
                    var columnsLeft = (panelWidth > 0 && j < fullPanels ? fullPanels : vectorColumns) - j;
                    vectors = Math.Min(tileVectors, columnsLeft / w);
                    ref T bj = ref Columns(ref b, ldb, panelWidth, n, k, j, out var ldbj, out var panel);
                    if (panel == 0) panel = VectorsPerPanel<T, TVector>() * w;
                    bj = ref Unsafe.Add(ref bj, k0 * ldbj);
                    if (panelWidth == 0 && mc > 2 && ldbj != vectors * w)
                    {
                        // A row-major B whose rows are far apart (a PyTorch weight, x or h rows): copy the block
                        // (kc × tile width) into a contiguous buffer, read by every tile of the m block. Rows of B
                        // a power of two apart would otherwise fall into a few L1 sets and evict each other.
                        // Register by register: a call to a general copy per row of B cost as much as the products it fed.
                        var width = vectors * w;
                        ref T packed = ref PackBuffer<T>.Get().Start;
                        for (nint kk = 0; kk < kc; kk++)
                        {
                            ref T source = ref Unsafe.Add(ref bj, kk * ldbj);
                            ref T destination = ref Unsafe.Add(ref packed, kk * width);
                            for (nint v = 0; v < width; v += w) TWidth.Store(TWidth.Load(ref source, (nuint)v), ref destination, (nuint)v);
                        }
                        bj = ref packed;
                        ldbj = width;
                    }
                    for (var i = 0; i < mc; i += tileRows)
                    {
                        var rows = Math.Min(tileRows, mc - i);
                        // A tile's rows start at i·aRow in place, at i·kc in the packed block (tile after tile).
                        ref T ai = ref Unsafe.Add(ref aBlock, packA ? (nint)i * kc : i * blockRow);
                        ref T ci = ref Unsafe.Add(ref c, (m0 + i) * ldc + j);
                        Tile<T, TVector, TWidth>(rows, vectors, kc, ref ai, blockRow, blockK, ref bj, ldbj, panel, ref ci, ldc, acc);
                    }
                }
            }
        }
        // Columns past the last whole vector: scalar FMA chains over all of k (same rounding as the vector lanes).
        if (vectorColumns < n)
        {
            ref T tail = ref Columns(ref b, ldb, panelWidth, n, k, vectorColumns, out var ldbTail, out _);
            Scalar(m, n - vectorColumns, k, ref a, aRow, aK, ref tail, ldbTail, ref Unsafe.Add(ref c, vectorColumns), ldc, accumulate);
        }
    }

    /// <summary>
    /// Where column j of B starts, the stride between its rows and the distance to the next panel: inside its packed
    /// panel (panels of panelWidth columns, each k rows long), or plain row-major (panel 0: the caller's one long panel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T Columns<T>(ref T b, nint ldb, int panelWidth, int n, int k, int j, out nint stride, out nint panel)
    {
        if (panelWidth == 0)
        {
            stride = ldb;
            panel = 0;
            return ref Unsafe.Add(ref b, j);
        }
        var j0 = j / panelWidth * panelWidth;
        stride = Math.Min(panelWidth, n - j0);
        panel = (nint)panelWidth * k;
        return ref Unsafe.Add(ref b, (nint)j0 * k + (j - j0));
    }

    /// <summary>
    /// n columns of the product, one scalar FMA chain per element in ascending k. The chains of a row advance together
    /// (k outer, j inner), so consecutive products are independent and B is read along its rows: one chain at a time
    /// waited on the latency of every add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scalar<T>(int m, int n, int k, ref T a, nint aRow, nint aK, ref T b, nint ldb, ref T c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < m; i++)
        {
            ref T ai = ref Unsafe.Add(ref a, i * aRow);
            ref T ci = ref Unsafe.Add(ref c, i * ldc);
            if (!accumulate) System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref ci, n).Clear();
            for (var kk = 0; kk < k; kk++)
            {
                var aik = Unsafe.Add(ref ai, kk * aK);
                ref T bk = ref Unsafe.Add(ref b, kk * ldb);
                for (var j = 0; j < n; j++)
                    Unsafe.Add(ref ci, j) = Simd.MultiplyAdd(aik, Unsafe.Add(ref bk, j), Unsafe.Add(ref ci, j));
            }
        }
    }

    /// <summary>
    /// Writes the transpose of W [rows × columns] (row-major) into P [columns × rows]: the layout in which
    /// <see cref="MultiplyAdd{T}"/> reads the weights of a forward product <c>Z = X·Wᵀ</c> as its B operand.
    /// Whole 8×8 (float) or 4×4 (double) blocks go through AVX registers, the edges element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose<T>(ref T w, int rows, int columns, ref T p)
        where T : unmanaged
    {
        var block = typeof(T) == typeof(float) ? 8 : 4;
        int r0 = 0, k0 = 0;
        if (Avx.IsSupported)
        {
            var fullRows = rows / block * block;
            var fullColumns = columns / block * block;
            for (r0 = 0; r0 < fullRows; r0 += block)
            {
                for (k0 = 0; k0 < fullColumns; k0 += block)
                {
                    ref T source = ref Unsafe.Add(ref w, (nint)r0 * columns + k0);
                    ref T destination = ref Unsafe.Add(ref p, (nint)k0 * rows + r0);
                    if (typeof(T) == typeof(float))
                        Transpose8x8(ref Unsafe.As<T, float>(ref source), columns, ref Unsafe.As<T, float>(ref destination), rows);
                    else
                        Transpose4x4(ref Unsafe.As<T, double>(ref source), columns, ref Unsafe.As<T, double>(ref destination), rows);
                }
            }
            // Edges: the columns past the last whole block (all rows), then the rows past it (block columns).
            TransposeScalar(ref w, rows, columns, ref p, 0, rows, fullColumns, columns);
            TransposeScalar(ref w, rows, columns, ref p, fullRows, rows, 0, fullColumns);
            return;
        }
        TransposeScalar(ref w, rows, columns, ref p, 0, rows, 0, columns);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeScalar<T>(ref T w, int rows, int columns, ref T p, int r0, int r1, int k0, int k1)
    {
        for (var r = r0; r < r1; r++)
        {
            ref T wr = ref Unsafe.Add(ref w, (nint)r * columns);
            for (var kk = k0; kk < k1; kk++)
                Unsafe.Add(ref p, (nint)kk * rows + r) = Unsafe.Add(ref wr, kk);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref float s, nint ls, ref float d, nint ld)
    {
        var r0 = Vector256.LoadUnsafe(ref s);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, ls));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 2 * ls));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 3 * ls));
        var r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 4 * ls));
        var r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 5 * ls));
        var r6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 6 * ls));
        var r7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 7 * ls));
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, ld));
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, 2 * ld));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, 3 * ld));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 4 * ld));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 5 * ld));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 6 * ld));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 7 * ld));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(ref double s, nint ls, ref double d, nint ld)
    {
        var r0 = Vector256.LoadUnsafe(ref s);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, ls));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 2 * ls));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 3 * ls));
        var t0 = Avx.UnpackLow(r0, r1);    // r0[0] r1[0] r0[2] r1[2]
        var t1 = Avx.UnpackHigh(r0, r1);   // r0[1] r1[1] r0[3] r1[3]
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, ld));
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 2 * ld));
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 3 * ld));
    }

    /// <summary>
    /// Copies the block A[mc × kc] (addressed with strides aRow, aK) into a per-thread buffer, tile by tile: the rows of
    /// tile t (up to <paramref name="tileRows"/>) side by side for each k, at t·tileRows·kc, so a tile reads A[r, kk] at
    /// kk·tileRows + r. Returns the buffer.
    /// </summary>
    private static ref T PackRows<T>(ref T a, nint aRow, nint aK, int mc, int kc, int tileRows) where T : unmanaged
    {
        ref T packed = ref RowBuffer<T>.Get().Start;
        for (var i = 0; i < mc; i += tileRows)
        {
            var rows = Math.Min(tileRows, mc - i);
            ref T tile = ref Unsafe.Add(ref packed, (nint)i * kc);
            ref T first = ref Unsafe.Add(ref a, i * aRow);
            // k outer: the writes are sequential, and so are the reads when A is transposed (aRow = 1).
            for (nint kk = 0; kk < kc; kk++)
            {
                ref T column = ref Unsafe.Add(ref first, kk * aK);
                ref T destination = ref Unsafe.Add(ref tile, kk * tileRows);
                for (var r = 0; r < rows; r++) Unsafe.Add(ref destination, r) = Unsafe.Add(ref column, r * aRow);
            }
        }
        return ref packed;
    }

    /// <summary>One block of A per thread (BlockM × BlockK), allocated on the thread's first product that packs A.</summary>
    private static class RowBuffer<T> where T : unmanaged
    {
        [ThreadStatic]
        private static AlignedArray<T>? _buffer;

        public static AlignedArray<T> Get() => _buffer ??= new AlignedArray<T>(BlockM * BlockK);
    }

    /// <summary>One block of B per thread (BlockK × 8 vectors), allocated on the thread's first product that needs it.</summary>
    private static class PackBuffer<T> where T : unmanaged
    {
        [ThreadStatic]
        private static AlignedArray<T>? _buffer;

        public static AlignedArray<T> Get() => _buffer ??= new AlignedArray<T>(BlockK * 8 * Math.Max(Vector512<T>.Count, Vector256<T>.Count));
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
