using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using LstmGen.Benchmarks.Baselines;

namespace LstmGen.Benchmarks;

/// <summary>Inference (forward from a zero state, T = 100, float32) on the grid: the generated kernels, ONNX Runtime's LSTM operator (C# API, one thread) and the two in-repo baselines.</summary>
[BenchmarkCategory("Inference")]
public class InferenceBenchmarks
{
    private Runner _generated = null!, _naive = null!, _primitives = null!;
    private OrtLstm _ort = null!;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "16x32/1";

    public static IEnumerable<string> Shapes => Grid.Shapes;

    [GlobalSetup]
    public void Setup()
    {
        var (d, h, b) = Grid.Parse(Shape);
        _generated = Grid.Generated(Shape);
        _naive = new NaiveLstm(d, h, Grid.Steps, b);
        _primitives = new TensorPrimitivesLstm(d, h, Grid.Steps, b);
        foreach (var runner in new[] { _generated, _naive, _primitives }) runner.Fill(seed: 1);
        _ort = new OrtLstm(_generated);
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark(Description = "LstmGen"), BenchmarkCategory("LstmGen")]
    public void Generated() => _generated.Inference();

    [Benchmark(Description = "LstmGen, packed weights"), BenchmarkCategory("LstmGen")]
    public void GeneratedPacked() => _generated.PackedInference();

    [Benchmark(Description = "ONNX Runtime 1.32"), BenchmarkCategory("Baseline")]
    public void OnnxRuntime() => _ort.Inference();

    [Benchmark(Baseline = true, Description = "TensorPrimitives"), BenchmarkCategory("Baseline")]
    public void TensorPrimitives() => _primitives.Inference();

    [Benchmark(Description = "NaiveScalar"), BenchmarkCategory("Baseline")]
    public void NaiveScalar() => _naive.Inference();
}

/// <summary>A training step (training forward + BPTT backward, T = 100, float32) on the grid.</summary>
[BenchmarkCategory("Training")]
public class TrainingBenchmarks
{
    private Runner _generated = null!, _naive = null!, _primitives = null!;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "16x32/1";

    public static IEnumerable<string> Shapes => Grid.Shapes;

    [GlobalSetup]
    public void Setup()
    {
        var (d, h, b) = Grid.Parse(Shape);
        _generated = Grid.Generated(Shape);
        _naive = new NaiveLstm(d, h, Grid.Steps, b);
        _primitives = new TensorPrimitivesLstm(d, h, Grid.Steps, b);
        foreach (var runner in new[] { _generated, _naive, _primitives }) runner.Fill(seed: 1);
    }

    [Benchmark(Description = "LstmGen"), BenchmarkCategory("LstmGen")]
    public void Generated() => _generated.Training();

    [Benchmark(Baseline = true, Description = "TensorPrimitives"), BenchmarkCategory("Baseline")]
    public void TensorPrimitives() => _primitives.Training();

    [Benchmark(Description = "NaiveScalar"), BenchmarkCategory("Baseline")]
    public void NaiveScalar() => _naive.Training();
}

/// <summary>What the variants cost at 64×128: standard (baseline), peephole (target ≤ +10%), layer norm (target ≤ +35%).</summary>
[BenchmarkCategory("Variants", "LstmGen")]
public class VariantBenchmarks
{
    private Runner _runner = null!;

    [Params("64x128/1", "64x128/32")]
    public string Shape { get; set; } = "64x128/1";

    [Params("standard", "peephole", "layernorm")]
    public string Variant { get; set; } = "standard";

    [GlobalSetup]
    public void Setup()
    {
        _runner = Grid.Generated(Shape, Variant);
        _runner.Fill(seed: 1);
    }

    [Benchmark]
    public void Inference() => _runner.Inference();

    [Benchmark]
    public void Training() => _runner.Training();
}

/// <summary>The batch split across threads at B = 32 (target: 2 threads ≥ 1.8× one thread), inference and training.</summary>
[BenchmarkCategory("Threads", "LstmGen")]
public class ThreadBenchmarks
{
    private Runner _runner = null!;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "64x128/32";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    public static IEnumerable<string> Shapes => Grid.BatchShapes;

    [GlobalSetup]
    public void Setup()
    {
        _runner = Grid.Generated(Shape, threads: Threads);
        _runner.Fill(seed: 1);
    }

    [Benchmark]
    public void Inference() => _runner.Inference();

    [Benchmark]
    public void Training() => _runner.Training();
}

/// <summary>One sequence (B = 1) of a large cell: float32 or bfloat16 recurrent weights, on one thread or two (the hidden units split).</summary>
[BenchmarkCategory("OneSequence", "LstmGen")]
public class OneSequenceBenchmarks
{
    private Runner _runner = null!;

    [Params("64x128/1", "128x256/1", "256x512/1")]
    public string Shape { get; set; } = "128x256/1";

    [Params(LstmWeightFormat.Default, LstmWeightFormat.BFloat16)]
    public LstmWeightFormat Format { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _runner = Grid.Generated(Shape);
        _runner.Fill(seed: 1);
    }

    [Benchmark]
    public void Inference() => _runner.PackedInference(Format, Threads);
}
