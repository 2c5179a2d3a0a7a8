using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Layers;

/// <summary>
/// A sequence layer over the generated cell <typeparamref name="TCell"/>: a batch of variable-length sequences
/// (time-major or batch-first), an optional initial state, one or two directions. The bidirectional form is
/// PyTorch's <c>nn.LSTM(bidirectional=True)</c> layer: the reverse direction has its own parameters and the outputs
/// are concatenated per step, forward first.
/// </summary>
/// <remarks>
/// Every step runs the cell's generated kernel (no virtual calls). See <see cref="SequenceShape"/> for the
/// packed-sequence semantics of variable lengths. A layer keeps the last training forward for its backward, so one
/// layer object serves one batch at a time (one thread).
/// </remarks>
public sealed class LstmLayer<TCell, T> : RecurrentLayer<T>
    where TCell : ILstmCell<TCell>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LstmDirection<TCell, T> _forward;
    private readonly LstmDirection<TCell, T>? _reverse;
    private SequenceShape? _lastTrainingShape;

    /// <summary>A layer with zero parameters (initialise it, or load weights).</summary>
    public LstmLayer(bool bidirectional = false)
    {
        Parameters = new LstmParameters<TCell, T>();
        Gradients = new LstmParameters<TCell, T>();
        _forward = new LstmDirection<TCell, T>(Parameters, Gradients, reverse: false);
        if (bidirectional)
        {
            ReverseParameters = new LstmParameters<TCell, T>();
            ReverseGradients = new LstmParameters<TCell, T>();
            _reverse = new LstmDirection<TCell, T>(ReverseParameters, ReverseGradients, reverse: true);
        }
    }

    /// <summary>The forward direction's parameters.</summary>
    public LstmParameters<TCell, T> Parameters { get; }

    /// <summary>The forward direction's accumulated gradients.</summary>
    public LstmParameters<TCell, T> Gradients { get; }

    /// <summary>The reverse direction's parameters (null unless bidirectional).</summary>
    public LstmParameters<TCell, T>? ReverseParameters { get; }

    /// <summary>The reverse direction's accumulated gradients (null unless bidirectional).</summary>
    public LstmParameters<TCell, T>? ReverseGradients { get; }

    /// <inheritdoc/>
    public override int InputSize => TCell.InputSize;

    /// <inheritdoc/>
    public override int HiddenSize => TCell.HiddenSize;

    /// <inheritdoc/>
    public override int Directions => _reverse is null ? 1 : 2;

    /// <inheritdoc/>
    public override string CellName => typeof(TCell).Name;

    /// <inheritdoc/>
    public override LstmCellLayout CellLayout => TCell.Layout;

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterTensor<T>> GetParameters(int layerIndex)
    {
        if (layerIndex < 0) throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex, "The layer index must be non-negative.");
        var list = new List<ParameterTensor<T>>();
        Add(list, Parameters, Gradients, $"_l{layerIndex}");
        if (ReverseParameters is not null) Add(list, ReverseParameters, ReverseGradients!, $"_l{layerIndex}_reverse");
        return list;
    }

    /// <inheritdoc/>
    public override void InitializePyTorchDefault(Random random)
    {
        Initializers.PyTorchDefault(Parameters, random);
        if (ReverseParameters is not null) Initializers.PyTorchDefault(ReverseParameters, random);
    }

    /// <inheritdoc/>
    public override void InitializeDefault(Random random, double forgetBias = Initializers.DefaultForgetBias)
    {
        Initializers.InitializeDefault(Parameters, random, forgetBias);
        if (ReverseParameters is not null) Initializers.InitializeDefault(ReverseParameters, random, forgetBias);
    }

    /// <inheritdoc/>
    public override void ZeroGradients()
    {
        Gradients.Clear();
        ReverseGradients?.Clear();
    }

    /// <inheritdoc/>
    public override LstmGateTrace<T> TraceGates(ReadOnlySpan<T> x, int steps, int batch)
        => LstmGateTrace.Record(Parameters, steps, batch, x);

    private protected override SequenceShape? LastTrainingShape => _lastTrainingShape;

    internal override void ForwardCore(PackedPlan plan, ReadOnlySpan<T> x, Span<T> output,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> hN, Span<T> cN, bool training)
    {
        _lastTrainingShape = null;
        int width = OutputSize, h = HiddenSize, state = plan.Shape.Batch * h;
        _forward.Forward(plan, x, output, width, 0, Part(h0, 0, state), Part(c0, 0, state), Part(hN, 0, state), Part(cN, 0, state), training);
        _reverse?.Forward(plan, x, output, width, h, Part(h0, 1, state), Part(c0, 1, state), Part(hN, 1, state), Part(cN, 1, state), training);
        if (training) _lastTrainingShape = plan.Shape;
    }

    internal override void BackwardCore(PackedPlan plan, ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhN, ReadOnlySpan<T> dcN,
        Span<T> dx, Span<T> dh0, Span<T> dc0)
    {
        int width = OutputSize, h = HiddenSize, state = plan.Shape.Batch * h;
        _forward.Backward(plan, dOutput, width, 0, Part(dhN, 0, state), Part(dcN, 0, state), dx, accumulate: false, Part(dh0, 0, state), Part(dc0, 0, state));
        _reverse?.Backward(plan, dOutput, width, h, Part(dhN, 1, state), Part(dcN, 1, state), dx, accumulate: true, Part(dh0, 1, state), Part(dc0, 1, state));
    }

    private static ReadOnlySpan<T> Part(ReadOnlySpan<T> span, int direction, int length)
        => span.IsEmpty ? default : span.Slice(direction * length, length);

    private static Span<T> Part(Span<T> span, int direction, int length)
        => span.IsEmpty ? default : span.Slice(direction * length, length);

    private static void Add(List<ParameterTensor<T>> list, LstmParameters<TCell, T> values, LstmParameters<TCell, T> gradients, string suffix)
    {
        var valueMemory = values.AsMemory();
        var gradientMemory = gradients.AsMemory();
        foreach (var tensor in TCell.Layout.Tensors)
        {
            list.Add(new ParameterTensor<T>(tensor.Name + suffix, tensor.Shape,
                valueMemory.Slice(tensor.Offset, tensor.Length), gradientMemory.Slice(tensor.Offset, tensor.Length)));
        }
    }
}
