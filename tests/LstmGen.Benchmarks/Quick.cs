using System;
using System.Diagnostics;
using System.Globalization;

namespace LstmGen.Benchmarks;

/// <summary>
/// <c>-- quick [shape ...]</c>: a fast look at the generated kernels without BenchmarkDotNet (minimum of 15 timed calls
/// after warm-up, which is robust to a busy machine): the grid, then the variants at 64x128.
/// </summary>
internal static class Quick
{
    public static int Run(string[] args)
    {
        var shapes = args.Length > 0 ? args : Grid.Shapes;
        foreach (var shape in shapes)
        {
            var runner = Grid.Generated(shape);
            runner.Fill(1);
            Print($"{shape,-12} standard ", runner);
        }
        if (args.Length == 0)
        {
            foreach (var shape in new[] { "64x128/1", "64x128/32" })
            {
                foreach (var variant in new[] { "standard", "peephole", "layernorm" })
                {
                    var runner = Grid.Generated(shape, variant);
                    runner.Fill(1);
                    Print($"{shape,-12} {variant,-9}", runner);
                }
            }
        }
        return 0;
    }

    private static void Print(string label, Runner runner)
    {
        var (d, h, b) = (runner.D, runner.H, runner.Batch);
        var flops = Grid.ForwardFlops(d, h, b, runner.Steps);
        var inference = Min(runner.Inference);
        var training = Min(runner.Training);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label} inference {inference * 1e6,10:F1} us {flops / inference / 1e9,6:F1} GFLOP/s   training {training * 1e6,10:F1} us {3 * flops / training / 1e9,6:F1} GFLOP/s"));
    }

    private static double Min(Action call)
    {
        var watch = Stopwatch.StartNew();
        var calls = 0;
        do { call(); calls++; } while (calls < 3 || watch.Elapsed.TotalSeconds < 0.1);
        var best = double.MaxValue;
        for (var i = 0; i < 15; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }
}
