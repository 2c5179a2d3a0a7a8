using System;
using System.Diagnostics;
using System.Globalization;

namespace LstmGen.Benchmarks;

/// <summary>
/// <c>-- quick [shape ...]</c>: a fast look at the generated kernels without BenchmarkDotNet (minimum of 15 timed calls
/// after warm-up, which is robust to a busy machine): the grid beside ONNX Runtime's inference on the same weights
/// (same run, so the ratio is meaningful on a noisy machine), then the variants at 64x128 beside the standard cell.
/// </summary>
internal static class Quick
{
    public static int Run(string[] args)
    {
        CpuClock = Array.IndexOf(args, "--cpu") >= 0;
        args = Array.FindAll(args, a => a != "--cpu");
        var threads = 1;
        var at = Array.IndexOf(args, "--threads");
        if (at >= 0)
        {
            threads = int.Parse(args[at + 1], CultureInfo.InvariantCulture);
            args = Array.FindAll(args, a => a != "--threads" && a != args[at + 1]);
        }
        var shapes = args.Length > 0 ? Array.FindAll(args, a => a != "--b1") : Grid.Shapes;
        var (peak, path) = GemmProbe.Peak();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{CpuModel()}, {Environment.ProcessorCount} cores; measured FMA peak of one core ({path} float): {peak:F1} GFLOP/s"));
        if (Array.IndexOf(args, "--variants") >= 0)
        {
            foreach (var shape in VariantShapes) PrintVariants(shape);
            return 0;
        }
        foreach (var shape in shapes)
        {
            var runner = Grid.Generated(shape, threads: threads);
            runner.Fill(1);
            Print($"{shape,-12} standard ", runner);
            if (threads == 1) PrintOrt(shape, runner);
        }
        if (args.Length == 0 || Array.IndexOf(args, "--b1") >= 0)
        {
            foreach (var shape in new[] { "64x128/1", "128x256/1", "256x512/1" })
            {
                var runner = Grid.Generated(shape);
                runner.Fill(1);
                PrintOneSequence(shape, runner);
            }
        }
        if (args.Length == 0)
            foreach (var shape in VariantShapes) PrintVariants(shape);
        return 0;
    }

    /// <summary>
    /// The variants at one shape beside the standard cell: inference and training step timed in interleaved rounds,
    /// each with its speed relative to the standard cell's (median of the rounds' ratios).
    /// </summary>
    private static void PrintVariants(string shape)
    {
        var names = new[] { "standard", "peephole", "layernorm" };
        var runners = Array.ConvertAll(names, variant => Grid.Generated(shape, variant));
        foreach (var runner in runners) runner.Fill(1);
        var inference = InterleavedRounds.Run(MinWarm, Rounds, SamplesPerRound, Array.ConvertAll(runners, r => (Action)r.Inference));
        var training = InterleavedRounds.Run(MinWarm, Rounds, SamplesPerRound, Array.ConvertAll(runners, r => (Action)r.Training));
        var flops = Grid.ForwardFlops(runners[0].D, runners[0].H, runners[0].Batch, runners[0].Steps);
        for (var v = 0; v < names.Length; v++)
        {
            var (forward, step) = (inference.Best(v), training.Best(v));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{shape,-12} {names[v],-9} inference {forward * 1e6,10:F1} us {flops / forward / 1e9,6:F1} GFLOP/s {inference.Speedup(v, 0),5:F2}x standard   training {step * 1e6,10:F1} us {3 * flops / step / 1e9,6:F1} GFLOP/s {training.Speedup(v, 0),5:F2}x standard"));
        }
    }

    /// <summary>The CPU's model name from /proc/cpuinfo (Linux), with family and model numbers; the architecture elsewhere.</summary>
    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!System.IO.File.Exists(CpuInfo)) return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        string Field(string name)
        {
            foreach (var line in System.IO.File.ReadLines(CpuInfo))
                if (line.StartsWith(name, StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0 && line[..colon].Trim() == name)
                    return line[(colon + 1)..].Trim();
            return "?";
        }
        return $"{Field("model name")} (family {Field("cpu family")}, model {Field("model")})";
    }

    private static void Print(string label, Runner runner)
    {
        var (d, h, b) = (runner.D, runner.H, runner.Batch);
        var flops = Grid.ForwardFlops(d, h, b, runner.Steps);
        var inference = Min(runner.Inference);
        var training = Min(runner.Training);
        // Bytes allocated per call after warm-up (all threads), the memory diagnoser's figure.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        runner.Inference();
        runner.Training();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label} inference {inference * 1e6,10:F1} us {flops / inference / 1e9,6:F1} GFLOP/s   training {training * 1e6,10:F1} us {3 * flops / training / 1e9,6:F1} GFLOP/s   allocated {allocated} B"));
    }

    /// <summary>
    /// ONNX Runtime on the runner's weights and input: its time, our speed-up (median of interleaved rounds, with the
    /// rounds' range) and the agreement of the outputs.
    /// </summary>
    private static void PrintOrt(string shape, Runner runner)
    {
        using var ort = new Baselines.OrtLstm(runner);
        var rounds = InterleavedRounds.Run(MinWarm, Rounds, SamplesPerRound, runner.Inference, runner.PackedInference, ort.Inference);
        runner.Inference();
        ort.Inference();
        double worst = 0, scale = 0;
        for (var i = 0; i < ort.Output.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(ort.Output[i] - runner.Output[i]));
            scale = Math.Max(scale, Math.Abs(ort.Output[i]));
        }
        var theirs = rounds.Best(2);
        string Speedup(int call)
        {
            var (low, high) = rounds.SpeedupRange(call, 2);
            return string.Create(CultureInfo.InvariantCulture, $"{rounds.Speedup(call, 2),5:F2}x ORT [{low:F2}..{high:F2}]");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{shape,-12} onnxrt    inference {theirs * 1e6,10:F1} us {Grid.ForwardFlops(runner.D, runner.H, runner.Batch, runner.Steps) / theirs / 1e9,6:F1} GFLOP/s   LstmGen {Speedup(0)}, on packed weights {rounds.Best(1) * 1e6,10:F1} us {Speedup(1)}   outputs agree to {worst / scale:E1}"));
    }

    /// <summary>
    /// One sequence (B = 1), same run: packed float32 weights on one thread, bfloat16 W_hh, two threads (hidden units
    /// split), both, and ONNX Runtime (one thread), timed in interleaved rounds (each the minimum of 5 calls) so that a
    /// burst of other work on the machine hits every variant alike; ratios are medians over the rounds' ratios.
    /// Also the bfloat16 outputs' worst relative error.
    /// </summary>
    private static void PrintOneSequence(string shape, Runner runner)
    {
        using var ort = new Baselines.OrtLstm(runner);
        var flops = Grid.ForwardFlops(runner.D, runner.H, runner.Batch, runner.Steps);
        var variants = new (string Label, Action Call)[]
        {
            ("float32 1 thread ", () => runner.PackedInference(LstmWeightFormat.Default, 1)),
            ("bfloat16 1 thread", () => runner.PackedInference(LstmWeightFormat.BFloat16, 1)),
            ("float32 2 threads", () => runner.PackedInference(LstmWeightFormat.Default, 2)),
            ("bfloat16 2 thrds ", () => runner.PackedInference(LstmWeightFormat.BFloat16, 2)),
            ("ONNX Runtime     ", ort.Inference),
        };
        var calls = Array.ConvertAll(variants, v => v.Call);
        var rounds = InterleavedRounds.Run(MinWarm, Rounds, SamplesPerRound, calls);
        runner.PackedInference(LstmWeightFormat.Default, 1);
        var reference = (float[])runner.Output.Clone();
        runner.PackedInference(LstmWeightFormat.BFloat16, 1);
        double worst = 0, scale = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(runner.Output[i] - reference[i]));
            scale = Math.Max(scale, Math.Abs(reference[i]));
        }
        var ortIndex = variants.Length - 1;
        for (var v = 0; v < variants.Length; v++)
        {
            var best = rounds.Best(v);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{shape,-12} one sequence: {variants[v].Label} {best * 1e6,9:F1} us {flops / best / 1e9,5:F1} GFLOP/s {rounds.Speedup(v, 0),5:F2}x float32 {rounds.Speedup(v, ortIndex),5:F2}x ORT{(v == 1 ? $"   outputs within {worst / scale:E1} of float32" : "")}"));
        }
    }

    /// <summary>Where the variants are compared with the standard cell.</summary>
    private static readonly string[] VariantShapes = ["64x128/1", "64x128/32"];

    /// <summary>Interleaved rounds per comparison, and timed calls per round (its minimum counts).</summary>
    private const int Rounds = 9, SamplesPerRound = 5;

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>CPU time of the calling thread in seconds (Linux CLOCK_THREAD_CPUTIME_ID); wall time elsewhere.</summary>
    private static double ThreadSeconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(3, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
        return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }

    /// <summary>Set by <c>--cpu</c>: time with the thread's CPU clock (robust on a machine shared with other work; single-threaded calls only).</summary>
    public static bool CpuClock { get; set; }

    private static double Min(Action call) => Min(call, 15);

    /// <summary>The fastest of <paramref name="samples"/> timed calls, after a warm-up (at least 3 calls and 0.1 s).</summary>
    private static double Min(Action call, int samples)
    {
        var watch = Stopwatch.StartNew();
        var calls = 0;
        do { call(); calls++; } while (calls < 3 || watch.Elapsed.TotalSeconds < 0.1);
        return MinWarm(call, samples);
    }

    /// <summary>The fastest of <paramref name="samples"/> timed calls of an already warm call (one round of <see cref="InterleavedRounds"/>).</summary>
    private static double MinWarm(Action call, int samples)
    {
        var best = double.MaxValue;
        for (var i = 0; i < samples; i++)
        {
            if (CpuClock)
            {
                var cpu = ThreadSeconds();
                call();
                best = Math.Min(best, ThreadSeconds() - cpu);
                continue;
            }
            var start = Stopwatch.GetTimestamp();
            call();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }
}
