using System;

namespace LstmGen.Benchmarks;

/// <summary>One LSTM problem of the grid: sizes, float32 buffers (PyTorch layout) and the calls to time.</summary>
public abstract class Runner
{
    protected Runner(int inputSize, int hiddenSize, int steps, int batch)
    {
        D = inputSize;
        H = hiddenSize;
        Steps = steps;
        Batch = batch;
        X = new float[steps * batch * inputSize];
        Output = new float[steps * batch * hiddenSize];
        HT = new float[batch * hiddenSize];
        CT = new float[batch * hiddenSize];
        DOutput = new float[steps * batch * hiddenSize];
        DhT = new float[batch * hiddenSize];
        DcT = new float[batch * hiddenSize];
        Dx = new float[steps * batch * inputSize];
        Dh0 = new float[batch * hiddenSize];
        Dc0 = new float[batch * hiddenSize];
    }

    public int D { get; }
    public int H { get; }
    public int Steps { get; }
    public int Batch { get; }

    public float[] X { get; }
    public float[] Output { get; }
    public float[] HT { get; }
    public float[] CT { get; }
    public float[] DOutput { get; }
    public float[] DhT { get; }
    public float[] DcT { get; }
    public float[] Dx { get; }
    public float[] Dh0 { get; }
    public float[] Dc0 { get; }

    /// <summary>The parameter buffer in PyTorch layout (weight_ih, weight_hh, bias_ih, bias_hh, then variant tensors).</summary>
    public abstract Span<float> Parameters { get; }

    /// <summary>The parameter gradients, same layout; <see cref="Training"/> adds into them.</summary>
    public abstract Span<float> Gradients { get; }

    /// <summary>Inference forward from a zero state: writes Output, HT, CT.</summary>
    public abstract void Inference();

    /// <summary>The same inference on weights packed once beforehand (where the implementation can); else <see cref="Inference"/>.</summary>
    public virtual void PackedInference() => Inference();

    /// <summary>Packed inference with the recurrent weights in <paramref name="format"/> on up to <paramref name="threads"/> threads.</summary>
    public virtual void PackedInference(LstmWeightFormat format, int threads) => PackedInference();

    /// <summary>Training forward from a zero state, then BPTT with DOutput, DhT, DcT: writes Dx, Dh0, Dc0 and adds into Gradients.</summary>
    public abstract void Training();

    /// <summary>Fills parameters (U(±1/√H), PyTorch's default) and inputs (U(−1, 1)) from a seed.</summary>
    public void Fill(int seed)
    {
        var random = new Random(seed);
        var bound = 1.0 / Math.Sqrt(H);
        var p = Parameters;
        for (var i = 0; i < p.Length; i++) p[i] = (float)(bound * (2 * random.NextDouble() - 1));
        ResetLayerNorm();
        for (var i = 0; i < X.Length; i++) X[i] = (float)(2 * random.NextDouble() - 1);
        for (var i = 0; i < DOutput.Length; i++) DOutput[i] = (float)(2 * random.NextDouble() - 1);
        for (var i = 0; i < DhT.Length; i++) DhT[i] = (float)(2 * random.NextDouble() - 1);
        for (var i = 0; i < DcT.Length; i++) DcT[i] = (float)(2 * random.NextDouble() - 1);
    }

    protected virtual void ResetLayerNorm()
    {
    }
}

/// <summary>A runner that can also run its inference one step per call (state carried between calls).</summary>
public interface IStreamingRunner
{
    /// <summary>The same inference as <see cref="Runner.Inference"/> from a zero state, as T calls of one step each.</summary>
    void Streamed();
}

/// <summary>The generated kernels of one cell, called through the public checked API.</summary>
public sealed class GeneratedRunner<TCell> : Runner, IStreamingRunner where TCell : ILstmCell<TCell>
{
    private LstmStream<TCell, float>? _stream;
    private LstmPackedWeights<TCell, float>? _packed, _packedBFloat16;

    private readonly LstmParameters<TCell, float> _parameters = new();
    private readonly LstmParameters<TCell, float> _gradients = new();
    private readonly LstmWorkspace<TCell, float> _workspace;

    public GeneratedRunner(int steps, int batch, int threads = 1)
        : base(TCell.InputSize, TCell.HiddenSize, steps, batch)
    {
        _workspace = new LstmWorkspace<TCell, float>(steps, batch, threads);
        Threads = threads;
    }

    /// <summary>Worker threads the kernels may use (1 = the calling thread only).</summary>
    public int Threads { get; }

    public override Span<float> Parameters => _parameters.Data;

    public override Span<float> Gradients => _gradients.Data;

    protected override void ResetLayerNorm() => _parameters.ResetLayerNorm();

    public override void Inference()
    {
        if (Threads == 1) Lstm.Forward(_parameters, Steps, Batch, X, Output, HT, CT);
        else Lstm.Forward(_parameters, Steps, Batch, X, Output, HT, CT, Threads);
    }

    /// <summary>Through <see cref="LstmPackedWeights{TCell, T}"/> made on first use (so after the parameters are filled).</summary>
    public override void PackedInference() => PackedInference(LstmWeightFormat.Default, 1);

    public override void PackedInference(LstmWeightFormat format, int threads)
    {
        var weights = format == LstmWeightFormat.BFloat16
            ? _packedBFloat16 ??= new LstmPackedWeights<TCell, float>(_parameters, format)
            : _packed ??= new LstmPackedWeights<TCell, float>(_parameters);
        Lstm.Forward(weights, Steps, Batch, X, Output, HT, CT, threads);
    }

    /// <summary>Through an <see cref="LstmStream{TCell, T}"/> made on first use (so after the parameters are filled): packs once.</summary>
    public void Streamed()
    {
        _stream ??= new LstmStream<TCell, float>(_parameters, Batch);
        _stream.Reset();
        int xRow = Batch * D, hRow = Batch * H;
        for (var t = 0; t < Steps; t++) _stream.Step(X.AsSpan(t * xRow, xRow), Output.AsSpan(t * hRow, hRow));
    }

    public override void Training()
    {
        Lstm.Forward(_parameters, _workspace, Steps, Batch, X, Output, HT, CT);
        Lstm.Backward(_parameters, _workspace, _gradients, Steps, Batch, DOutput, DhT, DcT, Dx, Dh0, Dc0);
    }
}

/// <summary>The benchmark grid and the factory that turns a shape name into a runner.</summary>
public static class Grid
{
    public const int Steps = 100;

    /// <summary>D×H/B of the grid, in the order of the performance tables (docs/performance.md).</summary>
    public static readonly string[] Shapes = { "16x32/1", "32x64/1", "64x128/1", "64x128/32", "128x256/32", "256x512/1", "256x512/32" };

    /// <summary>The shapes at B = 32, where two threads can split the batch.</summary>
    public static readonly string[] BatchShapes = { "64x128/32", "128x256/32", "256x512/32" };

    public static (int D, int H, int B) Parse(string shape)
    {
        var parts = shape.Split('/', 'x');
        return (int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
    }

    /// <summary>Forward FLOPs of one call: 2·B·4H·(D+H) per step.</summary>
    public static double ForwardFlops(int d, int h, int b, int steps) => 2.0 * b * 4 * h * (d + h) * steps;

    public static Runner Generated(string shape, string variant = "standard", int threads = 1, int steps = Steps)
    {
        var (d, h, b) = Parse(shape);
        return (d, h, variant) switch
        {
            (16, 32, "standard") => new GeneratedRunner<Bench16x32>(steps, b, threads),
            (32, 64, "standard") => new GeneratedRunner<Bench32x64>(steps, b, threads),
            (64, 128, "standard") => new GeneratedRunner<Bench64x128>(steps, b, threads),
            (128, 256, "standard") => new GeneratedRunner<Bench128x256>(steps, b, threads),
            (256, 512, "standard") => new GeneratedRunner<Bench256x512>(steps, b, threads),
            (64, 128, "peephole") => new GeneratedRunner<Bench64x128Peephole>(steps, b, threads),
            (64, 128, "layernorm") => new GeneratedRunner<Bench64x128LayerNorm>(steps, b, threads),
            _ => throw new ArgumentException($"No benchmark cell for {shape} ({variant}).", nameof(shape)),
        };
    }
}
