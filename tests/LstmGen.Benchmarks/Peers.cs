using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace LstmGen.Benchmarks;

/// <summary>
/// The LstmGen side of peers/run.sh: for each shape of the grid, reads the weights and inputs the script wrote,
/// writes our outputs and gradients back for the agreement check, and times inference and a training step with a
/// Stopwatch after warm-up (median of several samples).
/// </summary>
/// <remarks>
/// Files per shape, little-endian float32, in DIR: <c>{D}x{H}_{B}.params</c> (PyTorch layout), <c>.x</c> [T×B×D],
/// <c>.dy</c> [T×B×H] (the loss is sum(output · dy), so dOutput = dy and dhT = dcT = 0). Written: <c>.lstmgen.out</c>
/// [T×B×H], <c>.lstmgen.grad</c> (parameter gradients), <c>.lstmgen.dx</c>. Prints one JSON array of timings.
/// </remarks>
internal static class Peers
{
    public static int Run(string[] args)
    {
        string? dir = null;
        var steps = Grid.Steps;
        var threads = 1;
        var shapes = Grid.Shapes.ToList();
        var seconds = 0.4;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--dir": dir = args[++i]; break;
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--shapes": shapes = args[++i].Split(',').ToList(); break;
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--json": break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (dir is null)
        {
            Console.Error.WriteLine("usage: peers --dir DIR [--steps 100] [--threads 1] [--shapes 16x32/1,...] [--seconds 0.4] [--json]");
            return 2;
        }

        var results = new List<string>();
        foreach (var shape in shapes)
        {
            var (d, h, b) = Grid.Parse(shape);
            var runner = Grid.Generated(shape, threads: threads, steps: steps);
            var stem = Path.Combine(dir, $"{d}x{h}_{b}");
            Read(stem + ".params", runner.Parameters);
            Read(stem + ".x", runner.X);
            Read(stem + ".dy", runner.DOutput);
            Array.Clear(runner.DhT);
            Array.Clear(runner.DcT);

            runner.Inference();
            Write(stem + ".lstmgen.out", runner.Output);
            runner.Gradients.Clear();
            runner.Training();
            Write(stem + ".lstmgen.grad", runner.Gradients);
            Write(stem + ".lstmgen.dx", runner.Dx);

            // One step per call through LstmStream: the same outputs (checked here), weights packed once.
            runner.Inference();
            var whole = (float[])runner.Output.Clone();
            var streaming = (IStreamingRunner)runner;
            streaming.Streamed();
            var streamDifference = 0.0;
            for (var i = 0; i < whole.Length; i++) streamDifference = Math.Max(streamDifference, Math.Abs(whole[i] - runner.Output[i]));

            var inference = Time(runner.Inference, seconds);
            var training = Time(runner.Training, seconds);
            var streamed = Time(streaming.Streamed, seconds);
            results.Add(string.Create(CultureInfo.InvariantCulture,
                $"{{\"shape\": \"{shape}\", \"threads\": {threads}, \"inference_us\": {inference * 1e6:F2}, \"training_us\": {training * 1e6:F2}, \"stream_us\": {streamed * 1e6:F2}, \"stream_max_difference\": {streamDifference:E2}}}"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lstmgen {shape}: inference {inference * 1e6:F1} us, training {training * 1e6:F1} us, one step per call {streamed * 1e6:F1} us (max difference {streamDifference:E1})"));
        }
        Console.WriteLine("[" + string.Join(",\n ", results) + "]");
        return 0;
    }

    /// <summary>Median seconds per call: warm-up for a quarter of the budget, then 7 samples of n calls.</summary>
    private static double Time(Action call, double seconds)
    {
        var watch = Stopwatch.StartNew();
        var calls = 0;
        do
        {
            call();
            calls++;
        }
        while (calls < 3 || watch.Elapsed.TotalSeconds < seconds / 4);
        var perCall = watch.Elapsed.TotalSeconds / calls;
        var n = Math.Max(1, (int)(seconds / 7 / perCall));
        var samples = new double[7];
        for (var s = 0; s < samples.Length; s++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++) call();
            samples[s] = Stopwatch.GetElapsedTime(start).TotalSeconds / n;
        }
        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    private static void Read(string path, Span<float> destination)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != destination.Length * sizeof(float))
            throw new InvalidDataException($"{path}: {bytes.Length} bytes, expected {destination.Length} floats.");
        MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
    }

    private static void Write(string path, ReadOnlySpan<float> source)
        => File.WriteAllBytes(path, MemoryMarshal.AsBytes(source).ToArray());
}
