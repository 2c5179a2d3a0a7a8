using System;

namespace LstmGen.Tests;

/// <summary>The ways <see cref="Faulty{TFault}"/> breaks a correct cell, one per invariant of LstmInvariants.</summary>
public enum Fault
{
    /// <summary>hT[0] is nudged after the forward, so it no longer equals output[T−1].</summary>
    FinalStateOff,

    /// <summary>Inference (no cache) adds 1e-3 to output[0]: training and inference differ.</summary>
    InferenceOff,

    /// <summary>Row b ≥ 1 of every output gets 1e-3 × row 0 added: batch rows are coupled.</summary>
    RowsCoupled,

    /// <summary>A given initial cell state c0 is ignored (treated as zero): a split sequence loses its state.</summary>
    CellStateIgnored,

    /// <summary>Backward clears the parameter gradients first instead of adding into them.</summary>
    GradientsOverwritten,

    /// <summary>Backward adds into dx instead of overwriting it.</summary>
    DxAccumulated,

    /// <summary>The backward's weight_hh gradient is scaled by 1.01 (a wrong derivative).</summary>
    WrongGradient,

    /// <summary>The packed-weights inference kernel (LstmStream's) adds 1e-3 to output[0]: stepping differs from one forward.</summary>
    StreamOff,
}

/// <summary>Selects a <see cref="Fault"/> for <see cref="Faulty{TFault}"/>.</summary>
public interface IFault
{
    static abstract Fault Kind { get; }
}

public readonly struct FinalStateOff : IFault { public static Fault Kind => Fault.FinalStateOff; }
public readonly struct InferenceOff : IFault { public static Fault Kind => Fault.InferenceOff; }
public readonly struct RowsCoupled : IFault { public static Fault Kind => Fault.RowsCoupled; }
public readonly struct CellStateIgnored : IFault { public static Fault Kind => Fault.CellStateIgnored; }
public readonly struct GradientsOverwritten : IFault { public static Fault Kind => Fault.GradientsOverwritten; }
public readonly struct DxAccumulated : IFault { public static Fault Kind => Fault.DxAccumulated; }
public readonly struct WrongGradient : IFault { public static Fault Kind => Fault.WrongGradient; }
public readonly struct StreamOff : IFault { public static Fault Kind => Fault.StreamOff; }

/// <summary>
/// A deliberately broken cell for testing the testing kit: the generated 3×5 kernels (<see cref="Cell3x5"/>) with
/// one <see cref="Fault"/> injected, so each invariant and the gradient check can be shown to fail.
/// </summary>
public readonly struct Faulty<TFault> : ILstmCell<Faulty<TFault>> where TFault : IFault
{
    public static int InputSize => Cell3x5.InputSize;
    public static int HiddenSize => Cell3x5.HiddenSize;
    public static int ParameterCount => Cell3x5.ParameterCount;
    public static LstmCellLayout Layout => Cell3x5.Layout;
    public static long CacheLength(int steps, int batch) => Cell3x5.CacheLength(steps, batch);
    public static int PackedWeightsLength => Call<Cell3x5>.PackedWeightsLength;

    public static void PackWeights(ReadOnlySpan<float> parameters, Span<float> packed) => Call<Cell3x5>.PackWeights(parameters, packed);
    public static void PackWeights(ReadOnlySpan<double> parameters, Span<double> packed) => Call<Cell3x5>.PackWeights(parameters, packed);

    // The packed path goes through the faulty forward too, so every fault shows whichever entry point is used.
    public static void ForwardPackedKernel(ReadOnlySpan<float> parameters, ReadOnlySpan<float> packed, int steps, int batch, ReadOnlySpan<float> x,
        ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, Span<float> output, Span<float> hT, Span<float> cT)
    {
        ForwardKernel(parameters, steps, batch, x, h0, c0, output, hT, cT, default);
        if (TFault.Kind == Fault.StreamOff) output[0] += 1e-3f;
    }

    public static void ForwardPackedKernel(ReadOnlySpan<double> parameters, ReadOnlySpan<double> packed, int steps, int batch, ReadOnlySpan<double> x,
        ReadOnlySpan<double> h0, ReadOnlySpan<double> c0, Span<double> output, Span<double> hT, Span<double> cT)
    {
        ForwardKernel(parameters, steps, batch, x, h0, c0, output, hT, cT, default);
        if (TFault.Kind == Fault.StreamOff) output[0] += 1e-3;
    }

    public static void PackWeightsBFloat16(ReadOnlySpan<float> parameters, Span<float> packed) => Call<Cell3x5>.PackWeightsBFloat16(parameters, packed);

    public static void ForwardPackedBFloat16Kernel(ReadOnlySpan<float> parameters, ReadOnlySpan<float> packed, int steps, int batch, ReadOnlySpan<float> x,
        ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, Span<float> output, Span<float> hT, Span<float> cT)
        => ForwardPackedKernel(parameters, packed, steps, batch, x, h0, c0, output, hT, cT);

    // Unit-split parts run the real kernels (a 3x5 cell is below the size where forwards split their units).
    public static void ForwardPartKernel(ReadOnlySpan<float> parameters, ReadOnlySpan<float> packed, bool bfloat16Weights, int part, int parts,
        LstmGen.Numerics.StepBarrier barrier, int steps, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> h0, Span<float> output, Span<float> cT)
        => Call<Cell3x5>.ForwardPart(parameters, packed, bfloat16Weights, part, parts, barrier, steps, batch, x, h0, output, cT);

    public static void ForwardPartKernel(ReadOnlySpan<double> parameters, ReadOnlySpan<double> packed, bool bfloat16Weights, int part, int parts,
        LstmGen.Numerics.StepBarrier barrier, int steps, int batch, ReadOnlySpan<double> x, ReadOnlySpan<double> h0, Span<double> output, Span<double> cT)
        => Call<Cell3x5>.ForwardPart(parameters, packed, bfloat16Weights, part, parts, barrier, steps, batch, x, h0, output, cT);

    public static void ForwardKernel(ReadOnlySpan<float> parameters, int steps, int batch, ReadOnlySpan<float> x,
        ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, Span<float> output, Span<float> hT, Span<float> cT, Span<float> cache)
    {
        var zeros = new float[c0.Length];
        Real.Forward(parameters, steps, batch, x, h0, TFault.Kind == Fault.CellStateIgnored ? zeros : c0, output, hT, cT, cache);
        AfterForward(steps, batch, output, hT, inference: cache.IsEmpty, 1e-3f);
    }

    public static void ForwardKernel(ReadOnlySpan<double> parameters, int steps, int batch, ReadOnlySpan<double> x,
        ReadOnlySpan<double> h0, ReadOnlySpan<double> c0, Span<double> output, Span<double> hT, Span<double> cT, Span<double> cache)
    {
        var zeros = new double[c0.Length];
        Real.Forward(parameters, steps, batch, x, h0, TFault.Kind == Fault.CellStateIgnored ? zeros : c0, output, hT, cT, cache);
        AfterForward(steps, batch, output, hT, inference: cache.IsEmpty, 1e-3);
    }

    public static void BackwardKernel(ReadOnlySpan<float> parameters, int steps, int batch, Span<float> cache,
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> dhT, ReadOnlySpan<float> dcT,
        Span<float> dx, Span<float> dh0, Span<float> dc0, Span<float> gradients)
    {
        var before = dx.ToArray();
        if (TFault.Kind == Fault.GradientsOverwritten) gradients.Clear();
        Real.Backward(parameters, steps, batch, cache, dOutput, dhT, dcT, dx, dh0, dc0, gradients);
        AfterBackward(before, dx, gradients, 1.01f);
    }

    public static void BackwardKernel(ReadOnlySpan<double> parameters, int steps, int batch, Span<double> cache,
        ReadOnlySpan<double> dOutput, ReadOnlySpan<double> dhT, ReadOnlySpan<double> dcT,
        Span<double> dx, Span<double> dh0, Span<double> dc0, Span<double> gradients)
    {
        var before = dx.ToArray();
        if (TFault.Kind == Fault.GradientsOverwritten) gradients.Clear();
        Real.Backward(parameters, steps, batch, cache, dOutput, dhT, dcT, dx, dh0, dc0, gradients);
        AfterBackward(before, dx, gradients, 1.01);
    }

    private static void AfterForward<T>(int steps, int batch, Span<T> output, Span<T> hT, bool inference, T nudge)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        int h = HiddenSize;
        switch (TFault.Kind)
        {
            case Fault.FinalStateOff:
                hT[0] += nudge;
                break;
            case Fault.InferenceOff when inference:
                output[0] += nudge;
                break;
            case Fault.RowsCoupled:
                for (var t = 0; t < steps; t++)
                    for (var b = 1; b < batch; b++)
                        for (var j = 0; j < h; j++)
                            output[(t * batch + b) * h + j] += nudge * output[t * batch * h + j];
                break;
        }
    }

    private static void AfterBackward<T>(T[] dxBefore, Span<T> dx, Span<T> gradients, T scale)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        if (TFault.Kind == Fault.DxAccumulated)
        {
            for (var i = 0; i < dx.Length; i++) dx[i] += dxBefore[i];
        }
        else if (TFault.Kind == Fault.WrongGradient)
        {
            var weightHh = Layout["weight_hh"];
            foreach (ref var g in gradients.Slice(weightHh.Offset, weightHh.Length)) g *= scale;
        }
    }

    /// <summary>Calls the generated cell's raw kernels (explicit interface members, reached through a constraint).</summary>
    private static class Real
    {
        public static void Forward(ReadOnlySpan<float> p, int s, int b, ReadOnlySpan<float> x, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
            Span<float> o, Span<float> hT, Span<float> cT, Span<float> cache) => Call<Cell3x5>.Forward(p, s, b, x, h0, c0, o, hT, cT, cache);

        public static void Forward(ReadOnlySpan<double> p, int s, int b, ReadOnlySpan<double> x, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0,
            Span<double> o, Span<double> hT, Span<double> cT, Span<double> cache) => Call<Cell3x5>.Forward(p, s, b, x, h0, c0, o, hT, cT, cache);

        public static void Backward(ReadOnlySpan<float> p, int s, int b, Span<float> cache, ReadOnlySpan<float> dO, ReadOnlySpan<float> dhT,
            ReadOnlySpan<float> dcT, Span<float> dx, Span<float> dh0, Span<float> dc0, Span<float> g)
            => Call<Cell3x5>.Backward(p, s, b, cache, dO, dhT, dcT, dx, dh0, dc0, g);

        public static void Backward(ReadOnlySpan<double> p, int s, int b, Span<double> cache, ReadOnlySpan<double> dO, ReadOnlySpan<double> dhT,
            ReadOnlySpan<double> dcT, Span<double> dx, Span<double> dh0, Span<double> dc0, Span<double> g)
            => Call<Cell3x5>.Backward(p, s, b, cache, dO, dhT, dcT, dx, dh0, dc0, g);
    }

    private static class Call<TCell> where TCell : ILstmCell<TCell>
    {
        public static int PackedWeightsLength => TCell.PackedWeightsLength;

        public static void PackWeights(ReadOnlySpan<float> p, Span<float> packed) => TCell.PackWeights(p, packed);

        public static void PackWeights(ReadOnlySpan<double> p, Span<double> packed) => TCell.PackWeights(p, packed);

        public static void PackWeightsBFloat16(ReadOnlySpan<float> p, Span<float> packed) => TCell.PackWeightsBFloat16(p, packed);

        public static void ForwardPart(ReadOnlySpan<float> p, ReadOnlySpan<float> packed, bool bf16, int part, int parts, LstmGen.Numerics.StepBarrier barrier,
            int s, int b, ReadOnlySpan<float> x, ReadOnlySpan<float> h0, Span<float> o, Span<float> cT)
            => TCell.ForwardPartKernel(p, packed, bf16, part, parts, barrier, s, b, x, h0, o, cT);

        public static void ForwardPart(ReadOnlySpan<double> p, ReadOnlySpan<double> packed, bool bf16, int part, int parts, LstmGen.Numerics.StepBarrier barrier,
            int s, int b, ReadOnlySpan<double> x, ReadOnlySpan<double> h0, Span<double> o, Span<double> cT)
            => TCell.ForwardPartKernel(p, packed, bf16, part, parts, barrier, s, b, x, h0, o, cT);

        public static void Forward(ReadOnlySpan<float> p, int s, int b, ReadOnlySpan<float> x, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
            Span<float> o, Span<float> hT, Span<float> cT, Span<float> cache) => TCell.ForwardKernel(p, s, b, x, h0, c0, o, hT, cT, cache);

        public static void Forward(ReadOnlySpan<double> p, int s, int b, ReadOnlySpan<double> x, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0,
            Span<double> o, Span<double> hT, Span<double> cT, Span<double> cache) => TCell.ForwardKernel(p, s, b, x, h0, c0, o, hT, cT, cache);

        public static void Backward(ReadOnlySpan<float> p, int s, int b, Span<float> cache, ReadOnlySpan<float> dO, ReadOnlySpan<float> dhT,
            ReadOnlySpan<float> dcT, Span<float> dx, Span<float> dh0, Span<float> dc0, Span<float> g)
            => TCell.BackwardKernel(p, s, b, cache, dO, dhT, dcT, dx, dh0, dc0, g);

        public static void Backward(ReadOnlySpan<double> p, int s, int b, Span<double> cache, ReadOnlySpan<double> dO, ReadOnlySpan<double> dhT,
            ReadOnlySpan<double> dcT, Span<double> dx, Span<double> dh0, Span<double> dc0, Span<double> g)
            => TCell.BackwardKernel(p, s, b, cache, dO, dhT, dcT, dx, dh0, dc0, g);
    }
}
