using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LstmGen.Numerics;

namespace LstmGen.Benchmarks;

/// <summary>
/// <c>-- gates</c>: what σ/tanh cost on this machine, in the unit that matters for the kernels — how many vector FMAs
/// the core could have issued in the same time (at the FMA peak that <see cref="GemmProbe.Peak"/> measures). Loops of
/// independent registers (no dependence between iterations), on Vector256 float, the path the AVX2 kernels take: a
/// lone division, exp, σ, tanh, and the whole gate math of one register of units (σ, σ, tanh, σ, the cell update,
/// tanh(c_t), h_t) as the step tiles inline it.
/// </summary>
internal static class GateProbe
{
    private const int Vectors = 1024;

    public static int Run()
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            Console.WriteLine("Vector256 is not accelerated here: the probe measures the AVX2 path only.");
            return 0;
        }
        var (peak, path) = GemmProbe.Peak();
        // Vector FMAs per second at the peak: each is 2 flops per lane of the peak's vector width.
        var lanes = path == "Vector512" ? 16 : path == "Vector256" ? 8 : 4;
        var fmasPerSecond = peak * 1e9 / (2 * lanes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak {path} FMA: {peak:F1} GFLOP/s; costs below in ns per Vector256 and in vector FMAs the core could have issued meanwhile"));
        var random = new Random(1);
        var input = new float[5 * 8 * Vectors];
        for (var i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 8 - 4);
        var output = new float[8 * Vectors];
        var state = new float[8 * Vectors];
        var probes = new (string Name, Action Call)[]
        {
            ("division 1/(1+x)", () => Division(input, output)),
            ("exp", () => Exp(input, output)),
            ("sigmoid", () => Sigmoid(input, output)),
            ("tanh", () => Tanh(input, output)),
            ("gate math of one register", () => Gates(input, state, output)),
        };
        foreach (var (name, call) in probes)
        {
            var seconds = Best(call) / Vectors;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-26} {seconds * 1e9,7:F2} ns {seconds * fmasPerSecond,7:F1} FMA slots"));
        }
        return 0;
    }

    private static double Best(Action call)
    {
        for (var i = 0; i < 50; i++) call();
        var best = double.MaxValue;
        for (var i = 0; i < 300; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Division(float[] input, float[] output)
    {
        for (nuint j = 0; j < 8 * Vectors; j += 8)
            (Vector256<float>.One / (Vector256<float>.One + Vector256.LoadUnsafe(ref input[0], j))).StoreUnsafe(ref output[0], j);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Exp(float[] input, float[] output)
    {
        for (nuint j = 0; j < 8 * Vectors; j += 8)
            VectorMath.Exp(Vector256.LoadUnsafe(ref input[0], j)).StoreUnsafe(ref output[0], j);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Sigmoid(float[] input, float[] output)
    {
        for (nuint j = 0; j < 8 * Vectors; j += 8)
            VectorMath.Sigmoid(Vector256.LoadUnsafe(ref input[0], j)).StoreUnsafe(ref output[0], j);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tanh(float[] input, float[] output)
    {
        for (nuint j = 0; j < 8 * Vectors; j += 8)
            VectorMath.Tanh(Vector256.LoadUnsafe(ref input[0], j)).StoreUnsafe(ref output[0], j);
    }

    /// <summary>Pre-activations i, f, g, o of a register side by side (5 registers per unit block with tanh(c_t)), c in place, h out.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Gates(float[] records, float[] c, float[] h)
    {
        for (nuint v = 0; v < Vectors; v++)
        {
            ref var record = ref records[40 * (int)v];
            var i = VectorMath.Sigmoid(Vector256.LoadUnsafe(ref record));
            var f = VectorMath.Sigmoid(Vector256.LoadUnsafe(ref record, 8));
            var g = VectorMath.Tanh(Vector256.LoadUnsafe(ref record, 16));
            var cell = f * Vector256.LoadUnsafe(ref c[0], 8 * v) + i * g;
            var o = VectorMath.Sigmoid(Vector256.LoadUnsafe(ref record, 24));
            var tanhCell = VectorMath.Tanh(cell);
            cell.StoreUnsafe(ref c[0], 8 * v);
            tanhCell.StoreUnsafe(ref record, 32);
            (o * tanhCell).StoreUnsafe(ref h[0], 8 * v);
        }
    }
}
