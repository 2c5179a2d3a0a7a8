using System;
using System.Diagnostics;
using System.Globalization;
using LstmGen.Numerics;

namespace LstmGen.Benchmarks;

/// <summary>
/// <c>-- gemm</c>: GFLOP/s of the runtime's matrix product on the shapes the kernels call (a diagnostic for tuning,
/// Stopwatch median of 7 samples after warm-up).
/// </summary>
internal static class GemmProbe
{
    /// <summary>
    /// FMA throughput with no memory traffic on the widest accelerated vector (the machine's peak, for % of peak):
    /// 16 independent Vector512 chains, or 12 Vector256 chains where AVX-512 is absent (16 registers), or 12 Vector128
    /// chains where only those are accelerated (x64 without AVX: a multiply and an add; ARM64: NEON FMA).
    /// </summary>
    public static (double Gflops, string Path) Peak()
    {
        var (lanes, chains, path, run) =
            System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? (16, 16, "Vector512", (Func<int, float>?)Chains512)
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? (8, 12, "Vector256", Chains256)
            : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? (4, 12, "Vector128", Chains128)
            : (0, 0, "none", null);
        if (run is null) return (double.NaN, path);
        var best = 0.0;
        var sink = 0f;
        for (var round = 0; round < 200; round++)
        {
            const int n = 20_000;
            var start = Stopwatch.GetTimestamp();
            sink += run(n);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, (double)lanes * chains * 2 * n / seconds / 1e9);
        }
        return (sink == 12345 ? 0 : best, path);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization | System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float Chains512(int n)
    {
        var a = System.Runtime.Intrinsics.Vector512.Create(0.999f);
        var b = System.Runtime.Intrinsics.Vector512.Create(0.001f);
        System.Runtime.Intrinsics.Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default,
            c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        for (var i = 0; i < n; i++)
        {
            c0 = LstmGen.Numerics.Simd.MultiplyAdd(a, c0, b); c1 = LstmGen.Numerics.Simd.MultiplyAdd(a, c1, b);
            c2 = LstmGen.Numerics.Simd.MultiplyAdd(a, c2, b); c3 = LstmGen.Numerics.Simd.MultiplyAdd(a, c3, b);
            c4 = LstmGen.Numerics.Simd.MultiplyAdd(a, c4, b); c5 = LstmGen.Numerics.Simd.MultiplyAdd(a, c5, b);
            c6 = LstmGen.Numerics.Simd.MultiplyAdd(a, c6, b); c7 = LstmGen.Numerics.Simd.MultiplyAdd(a, c7, b);
            c8 = LstmGen.Numerics.Simd.MultiplyAdd(a, c8, b); c9 = LstmGen.Numerics.Simd.MultiplyAdd(a, c9, b);
            c10 = LstmGen.Numerics.Simd.MultiplyAdd(a, c10, b); c11 = LstmGen.Numerics.Simd.MultiplyAdd(a, c11, b);
            c12 = LstmGen.Numerics.Simd.MultiplyAdd(a, c12, b); c13 = LstmGen.Numerics.Simd.MultiplyAdd(a, c13, b);
            c14 = LstmGen.Numerics.Simd.MultiplyAdd(a, c14, b); c15 = LstmGen.Numerics.Simd.MultiplyAdd(a, c15, b);
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15)[0];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization | System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float Chains256(int n)
    {
        var a = System.Runtime.Intrinsics.Vector256.Create(0.999f);
        var b = System.Runtime.Intrinsics.Vector256.Create(0.001f);
        System.Runtime.Intrinsics.Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default,
            c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (var i = 0; i < n; i++)
        {
            c0 = LstmGen.Numerics.Simd.MultiplyAdd(a, c0, b); c1 = LstmGen.Numerics.Simd.MultiplyAdd(a, c1, b);
            c2 = LstmGen.Numerics.Simd.MultiplyAdd(a, c2, b); c3 = LstmGen.Numerics.Simd.MultiplyAdd(a, c3, b);
            c4 = LstmGen.Numerics.Simd.MultiplyAdd(a, c4, b); c5 = LstmGen.Numerics.Simd.MultiplyAdd(a, c5, b);
            c6 = LstmGen.Numerics.Simd.MultiplyAdd(a, c6, b); c7 = LstmGen.Numerics.Simd.MultiplyAdd(a, c7, b);
            c8 = LstmGen.Numerics.Simd.MultiplyAdd(a, c8, b); c9 = LstmGen.Numerics.Simd.MultiplyAdd(a, c9, b);
            c10 = LstmGen.Numerics.Simd.MultiplyAdd(a, c10, b); c11 = LstmGen.Numerics.Simd.MultiplyAdd(a, c11, b);
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11)[0];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization | System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float Chains128(int n)
    {
        var a = System.Runtime.Intrinsics.Vector128.Create(0.999f);
        var b = System.Runtime.Intrinsics.Vector128.Create(0.001f);
        System.Runtime.Intrinsics.Vector128<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default,
            c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (var i = 0; i < n; i++)
        {
            c0 = LstmGen.Numerics.Simd.MultiplyAdd(a, c0, b); c1 = LstmGen.Numerics.Simd.MultiplyAdd(a, c1, b);
            c2 = LstmGen.Numerics.Simd.MultiplyAdd(a, c2, b); c3 = LstmGen.Numerics.Simd.MultiplyAdd(a, c3, b);
            c4 = LstmGen.Numerics.Simd.MultiplyAdd(a, c4, b); c5 = LstmGen.Numerics.Simd.MultiplyAdd(a, c5, b);
            c6 = LstmGen.Numerics.Simd.MultiplyAdd(a, c6, b); c7 = LstmGen.Numerics.Simd.MultiplyAdd(a, c7, b);
            c8 = LstmGen.Numerics.Simd.MultiplyAdd(a, c8, b); c9 = LstmGen.Numerics.Simd.MultiplyAdd(a, c9, b);
            c10 = LstmGen.Numerics.Simd.MultiplyAdd(a, c10, b); c11 = LstmGen.Numerics.Simd.MultiplyAdd(a, c11, b);
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11)[0];
    }

    public static int Run()
    {
        var (peak, path) = Peak();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak {path} FMA (independent chains, no memory): {peak:F1} GFLOP/s"));
        {
            // Per-call cost of the smallest recurrent product (16x32 cell, B = 1), packed and plain.
            var a = Random(32);
            var b = Random(48 * 128);
            var c = new float[128 * 48];
            for (var round = 0; round < 3; round++)
            {
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < 200_000; i++) Gemm.MultiplyAddPacked(1, 128, 32, ref a[0], 32, 1, ref b[0], ref c[0], 128, true);
                var packed = Stopwatch.GetElapsedTime(start).TotalSeconds / 200_000;
                start = Stopwatch.GetTimestamp();
                for (var i = 0; i < 200_000; i++) Gemm.PackTransposed(ref b[0], 128, 48, ref c[0]);
                var pack = Stopwatch.GetElapsedTime(start).TotalSeconds / 200_000;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1x128x32 packed product {packed * 1e9:F0} ns per call; packing 128x48 {pack * 1e9:F0} ns"));
            }
        }
        // (name, m, n, k, transposedA): the products of a 256x512 cell at T = 100, B = 32, and of a 64x128 cell at B = 1.
        var shapes = new (string Name, int M, int N, int K, bool TransposedA)[]
        {
            ("F1 x*WihT 3200x2048x256", 3200, 2048, 256, false),
            ("F2 h*WhhT 32x2048x512", 32, 2048, 512, false),
            ("F2 h*WhhT 1x2048x512", 1, 2048, 512, false),
            ("F2 h*WhhT 1x512x128", 1, 512, 128, false),
            ("F2 h*WhhT 1x128x32", 1, 128, 32, false),
            ("B2 dA*Whh 32x512x2048", 32, 512, 2048, false),
            ("B3 dA*Wih 3200x256x2048", 3200, 256, 2048, false),
            ("B5 dAT*h 2048x512x3200", 2048, 512, 3200, true),
        };
        foreach (var (name, m, n, k, transposed) in shapes)
        {
            var a = Random(m * k);
            var b = Random(k * n);
            var c = new float[m * n];
            nint aRow = transposed ? 1 : k, aK = transposed ? m : 1;
            void Call() => Gemm.MultiplyAdd(m, n, k, ref a[0], aRow, aK, ref b[0], n, ref c[0], n, true);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var wall0 = Stopwatch.GetTimestamp();
            var calls = 0;
            var seconds = Time(Call, ref calls);
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            var wall = Stopwatch.GetElapsedTime(wall0).TotalSeconds;
            var cpuPerCall = seconds * cpu / wall;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {seconds * 1e6,10:F1} us {2.0 * m * n * k / seconds / 1e9,7:F1} GFLOP/s wall, {2.0 * m * n * k / cpuPerCall / 1e9,7:F1} GFLOP/s per CPU second"));
        }
        return 0;
    }

    private static float[] Random(int length)
    {
        var random = new Random(1);
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = (float)random.NextDouble() - 0.5f;
        return values;
    }

    private static double Time(Action call, ref int total)
    {
        var watch = Stopwatch.StartNew();
        var calls = 0;
        do { call(); calls++; } while (calls < 3 || watch.Elapsed.TotalSeconds < 0.1);
        var n = Math.Max(1, (int)(0.05 / (watch.Elapsed.TotalSeconds / calls)));
        var samples = new double[7];
        for (var s = 0; s < 7; s++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++) call();
            samples[s] = Stopwatch.GetElapsedTime(start).TotalSeconds / n;
        }
        total = calls + 7 * n;
        Array.Sort(samples);
        return samples[3];
    }
}
