using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Layers;

/// <summary>
/// One recurrent layer of a stack: one or two directions of a generated cell over a batch of sequences. The
/// concrete type is <see cref="LstmLayer{TCell, T}"/>; this base lets a stack hold layers of different cell types
/// (one virtual call per layer per batch, none per step).
/// </summary>
/// <remarks>
/// Shapes: input rows of <see cref="InputSize"/>, output rows of <see cref="OutputSize"/> = directions × H (forward
/// direction in columns [0, H), reverse in [H, 2H)), both in the <see cref="SequenceShape"/>'s layout. States
/// (<c>h0</c>, <c>c0</c>, <c>hN</c>, <c>cN</c>) are [directions × B × H], PyTorch's <c>h_n</c> layout for one layer.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class RecurrentLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected RecurrentLayer()
    {
    }

    /// <summary>Features per input row (the cell's D).</summary>
    public abstract int InputSize { get; }

    /// <summary>Hidden size H of each direction.</summary>
    public abstract int HiddenSize { get; }

    /// <summary>1, or 2 when bidirectional.</summary>
    public abstract int Directions { get; }

    /// <summary>Features per output row: <see cref="Directions"/> × <see cref="HiddenSize"/>.</summary>
    public int OutputSize => Directions * HiddenSize;

    /// <summary>Whether the layer has a reverse direction.</summary>
    public bool IsBidirectional => Directions == 2;

    /// <summary>The cell type's name, for messages.</summary>
    public abstract string CellName { get; }

    /// <summary>The cell's sizes, variant options and parameter layout (the same for both directions).</summary>
    public abstract LstmCellLayout CellLayout { get; }

    /// <summary>
    /// The layer's tensors with PyTorch <c>nn.LSTM</c> names for layer <paramref name="layerIndex"/>: every tensor of the
    /// cell's layout as <c>{name}_l{k}</c>, then the reverse direction's as <c>{name}_l{k}_reverse</c>.
    /// </summary>
    public abstract IReadOnlyList<ParameterTensor<T>> GetParameters(int layerIndex);

    /// <summary>PyTorch's default initialisation (U(±1/√H) everywhere), forward direction first.</summary>
    public abstract void InitializePyTorchDefault(Random random);

    /// <summary>The default recipe of <see cref="Initializers"/> for every direction.</summary>
    public abstract void InitializeDefault(Random random, double forgetBias = Initializers.DefaultForgetBias);

    /// <summary>Sets every gradient to zero.</summary>
    public abstract void ZeroGradients();

    /// <summary>Scalars in one state tensor for <paramref name="batch"/> samples: directions × batch × H.</summary>
    public int StateLength(int batch) => Directions * batch * HiddenSize;

    /// <summary>Forward from a zero state. <paramref name="training"/> records what <see cref="Backward(ReadOnlySpan{T}, Span{T})"/> needs.</summary>
    public void Forward(ReadOnlySpan<T> x, SequenceShape shape, Span<T> output, bool training)
    {
        CheckForward(x, shape, output);
        ForwardCore(shape.Plan, x, output, default, default, default, default, training);
    }

    /// <summary>Forward from (<paramref name="h0"/>, <paramref name="c0"/>), writing the final state (<paramref name="hN"/>, <paramref name="cN"/>) after each sample's last real step.</summary>
    public void Forward(ReadOnlySpan<T> x, SequenceShape shape, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0,
        Span<T> output, Span<T> hN, Span<T> cN, bool training)
    {
        CheckForward(x, shape, output);
        var stateLength = StateLength(shape.Batch);
        Guard.Length(h0.Length, stateLength, nameof(h0), $"directions {Directions} × batch {shape.Batch} × hiddenSize {HiddenSize}");
        Guard.Length(c0.Length, stateLength, nameof(c0), $"directions {Directions} × batch {shape.Batch} × hiddenSize {HiddenSize}");
        Guard.Length(hN.Length, stateLength, nameof(hN), $"directions {Directions} × batch {shape.Batch} × hiddenSize {HiddenSize}");
        Guard.Length(cN.Length, stateLength, nameof(cN), $"directions {Directions} × batch {shape.Batch} × hiddenSize {HiddenSize}");
        ForwardCore(shape.Plan, x, output, h0, c0, hN, cN, training);
    }

    /// <summary>
    /// BPTT for the last training forward, when only the outputs carry gradient. Writes ∂L/∂x into <paramref name="dx"/>
    /// (zero on padded rows) and adds the parameter gradients into the layer's gradient buffers.
    /// </summary>
    public void Backward(ReadOnlySpan<T> dOutput, Span<T> dx)
    {
        var shape = RecordedShape;
        CheckBackward(dOutput, dx, shape);
        BackwardCore(shape.Plan, dOutput, default, default, dx, default, default);
    }

    /// <summary>BPTT with gradients for the final state too; writes the initial state's gradients (<paramref name="dh0"/>, <paramref name="dc0"/>).</summary>
    public void Backward(ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhN, ReadOnlySpan<T> dcN, Span<T> dx, Span<T> dh0, Span<T> dc0)
    {
        var shape = RecordedShape;
        CheckBackward(dOutput, dx, shape);
        var stateLength = StateLength(shape.Batch);
        Guard.Length(dhN.Length, stateLength, nameof(dhN), $"directions {Directions} × batch {shape.Batch} × hiddenSize {HiddenSize}");
        Guard.Length(dcN.Length, stateLength, nameof(dcN), $"directions {Directions} × batch {shape.Batch} × hiddenSize {HiddenSize}");
        Guard.Length(dh0.Length, stateLength, nameof(dh0), $"directions {Directions} × batch {shape.Batch} × hiddenSize {HiddenSize}");
        Guard.Length(dc0.Length, stateLength, nameof(dc0), $"directions {Directions} × batch {shape.Batch} × hiddenSize {HiddenSize}");
        BackwardCore(shape.Plan, dOutput, dhN, dcN, dx, dh0, dc0);
    }

    /// <summary>
    /// The forward direction's gates (i, f, g, o, c_t, h_t per step and row) over x [T×B×D], time-major, from a zero
    /// state: the cell's own kernel run as a training forward, so every variant shows what it computes. Changes no state
    /// of the layer (its last training forward stays recorded).
    /// </summary>
    public abstract LstmGateTrace<T> TraceGates(ReadOnlySpan<T> x, int steps, int batch);

    /// <summary>The shape of the last training forward (for argument checks).</summary>
    private protected abstract SequenceShape? LastTrainingShape { get; }

    private SequenceShape RecordedShape => LastTrainingShape
        ?? throw new InvalidOperationException($"Backward of layer ({CellName}) needs a training forward first (Forward with training: true).");

    /// <summary>Runs every direction; empty state spans mean zeros (inputs) or not wanted (outputs).</summary>
    internal abstract void ForwardCore(PackedPlan plan, ReadOnlySpan<T> x, Span<T> output,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> hN, Span<T> cN, bool training);

    /// <summary>BPTT of every direction; empty spans mean zeros (inputs) or not wanted (outputs, including dx).</summary>
    internal abstract void BackwardCore(PackedPlan plan, ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhN, ReadOnlySpan<T> dcN,
        Span<T> dx, Span<T> dh0, Span<T> dc0);

    private void CheckForward(ReadOnlySpan<T> x, SequenceShape shape, Span<T> output)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Guard.Length(x.Length, (long)shape.Rows * InputSize, nameof(x), $"steps {shape.Steps} × batch {shape.Batch} × inputSize {InputSize}");
        Guard.Length(output.Length, (long)shape.Rows * OutputSize, nameof(output), $"steps {shape.Steps} × batch {shape.Batch} × outputSize {OutputSize}");
    }

    private void CheckBackward(ReadOnlySpan<T> dOutput, Span<T> dx, SequenceShape shape)
    {
        Guard.Length(dOutput.Length, (long)shape.Rows * OutputSize, nameof(dOutput), $"steps {shape.Steps} × batch {shape.Batch} × outputSize {OutputSize}");
        Guard.Length(dx.Length, (long)shape.Rows * InputSize, nameof(dx), $"steps {shape.Steps} × batch {shape.Batch} × inputSize {InputSize}");
    }
}
