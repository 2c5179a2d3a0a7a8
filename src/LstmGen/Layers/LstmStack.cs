using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Layers;

/// <summary>
/// Stacked recurrent layers, PyTorch's multi-layer <c>nn.LSTM</c>: layer k reads layer k−1's output (all
/// directions concatenated). Each layer may use a different cell type; sizes are checked on construction.
/// </summary>
/// <remarks>
/// <para>
/// Dropout (PyTorch semantics, specs/networks.md §3): in training only, layer k ≥ 1 reads δ ⊙ Y^(k−1) with a fresh Bernoulli
/// mask per element and step, kept values scaled by 1/(1−p). Never on the last layer's output, on h_n/c_n or on the
/// recurrent path. Masks come from <see cref="DropoutRandom"/>, so runs are reproducible.
/// </para>
/// <para>Parameter names are exactly <c>nn.LSTM</c>'s state dict (<c>weight_ih_l0</c>, …, <c>bias_hh_l1_reverse</c>).</para>
/// </remarks>
public sealed class LstmStack<T> : IParameterized<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RecurrentLayer<T>[] _layers;
    private readonly ParameterTensor<T>[] _parameters;
    private readonly T[]?[] _outputs, _inputs, _masks, _inputGradients;
    private SequenceShape? _lastTrainingShape;
    private bool _lastUsedDropout;

    /// <summary>Stacks <paramref name="layers"/> (bottom first) with dropout probability <paramref name="dropout"/> between them.</summary>
    /// <exception cref="ArgumentException">A layer's input size differs from the previous layer's output size; the message names both layers.</exception>
    public LstmStack(IEnumerable<RecurrentLayer<T>> layers, double dropout = 0, long dropoutSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = new List<RecurrentLayer<T>>(layers).ToArray();
        if (_layers.Length == 0) throw new ArgumentException("A stack needs at least one layer.", nameof(layers));
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout must be in [0, 1).");
        for (var k = 0; k < _layers.Length; k++)
        {
            if (_layers[k] is null) throw new ArgumentException($"Layer {k} is null.", nameof(layers));
            for (var j = 0; j < k; j++)
                if (ReferenceEquals(_layers[j], _layers[k])) throw new ArgumentException($"Layer {k} is the same object as layer {j}; every layer needs its own parameters.", nameof(layers));
            if (k > 0 && _layers[k].InputSize != _layers[k - 1].OutputSize)
                throw new ArgumentException($"Layer {k} ({Describe(_layers[k])}) takes {_layers[k].InputSize} input features, but layer {k - 1} ({Describe(_layers[k - 1])}) outputs {OutputText(_layers[k - 1])}.", nameof(layers));
        }
        Dropout = dropout;
        DropoutRandom = new DeterministicRandom(dropoutSeed);
        var parameters = new List<ParameterTensor<T>>();
        for (var k = 0; k < _layers.Length; k++) parameters.AddRange(_layers[k].GetParameters(k));
        _parameters = parameters.ToArray();
        _outputs = new T[_layers.Length][];
        _inputs = new T[_layers.Length][];
        _masks = new T[_layers.Length][];
        _inputGradients = new T[_layers.Length][];
    }

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<RecurrentLayer<T>> Layers => _layers;

    /// <summary>Dropout probability between layers.</summary>
    public double Dropout { get; }

    /// <summary>The generator of the dropout masks (its state is part of a checkpoint).</summary>
    public DeterministicRandom DropoutRandom { get; }

    /// <summary>Features per input row (layer 0's D).</summary>
    public int InputSize => _layers[0].InputSize;

    /// <summary>Features per output row (the last layer's directions × H).</summary>
    public int OutputSize => _layers[^1].OutputSize;

    /// <inheritdoc/>
    public IReadOnlyList<ParameterTensor<T>> Parameters => _parameters;

    /// <summary>Scalars in one state tensor (h or c) of every layer and direction for <paramref name="batch"/> samples.</summary>
    public int StateLength(int batch)
    {
        var total = 0;
        foreach (var layer in _layers) total += layer.StateLength(batch);
        return total;
    }

    /// <summary>A zero state for <paramref name="batch"/> samples, for stateful training.</summary>
    public LstmState<T> CreateState(int batch)
    {
        Guard.Positive(batch, nameof(batch));
        return new LstmState<T>(batch, StateLength(batch));
    }

    /// <summary>PyTorch's default initialisation for every layer, bottom first.</summary>
    public void InitializePyTorchDefault(Random random)
    {
        foreach (var layer in _layers) layer.InitializePyTorchDefault(random);
    }

    /// <summary>The default recipe of <see cref="Initializers"/> for every layer, bottom first.</summary>
    public void InitializeDefault(Random random, double forgetBias = Initializers.DefaultForgetBias)
    {
        foreach (var layer in _layers) layer.InitializeDefault(random, forgetBias);
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var layer in _layers) layer.ZeroGradients();
    }

    /// <summary>Forward from a zero state. <paramref name="output"/> is [rows × <see cref="OutputSize"/>].</summary>
    public void Forward(ReadOnlySpan<T> x, SequenceShape shape, Span<T> output, bool training)
    {
        CheckShapes(x, shape, output);
        ForwardCore(shape, x, output, default, default, default, default, training);
    }

    /// <summary>
    /// Forward from (<paramref name="h0"/>, <paramref name="c0"/>), writing the final states; all four are
    /// [<see cref="StateLength"/>] (see <see cref="LstmState{T}"/> for the layout). Initial and final may be the same memory.
    /// </summary>
    public void Forward(ReadOnlySpan<T> x, SequenceShape shape, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0,
        Span<T> output, Span<T> hN, Span<T> cN, bool training)
    {
        CheckShapes(x, shape, output);
        var length = StateLength(shape.Batch);
        Guard.Length(h0.Length, length, nameof(h0));
        Guard.Length(c0.Length, length, nameof(c0));
        Guard.Length(hN.Length, length, nameof(hN));
        Guard.Length(cN.Length, length, nameof(cN));
        ForwardCore(shape, x, output, h0, c0, hN, cN, training);
    }

    /// <summary>Forward that starts from <paramref name="state"/> and leaves the final state in it (truncated BPTT).</summary>
    public void Forward(ReadOnlySpan<T> x, SequenceShape shape, LstmState<T> state, Span<T> output, bool training)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(shape);
        if (state.Batch != shape.Batch) throw new ArgumentException($"'state' is for {state.Batch} samples, the batch has {shape.Batch}.", nameof(state));
        Forward(x, shape, state.H, state.C, output, state.H, state.C, training);
    }

    /// <summary>BPTT when only the outputs carry gradient and the input gradient is not needed.</summary>
    public void Backward(ReadOnlySpan<T> dOutput) => Backward(dOutput, Span<T>.Empty);

    /// <summary>BPTT when only the outputs carry gradient; writes ∂L/∂x into <paramref name="dx"/> (empty = not needed).</summary>
    public void Backward(ReadOnlySpan<T> dOutput, Span<T> dx)
    {
        var shape = RecordedShape;
        CheckBackward(shape, dOutput, dx);
        BackwardCore(shape, dOutput, default, default, dx, default, default);
    }

    /// <summary>BPTT with final-state gradients; writes the input and initial-state gradients (each may be empty = not needed).</summary>
    public void Backward(ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhN, ReadOnlySpan<T> dcN, Span<T> dx, Span<T> dh0, Span<T> dc0)
    {
        var shape = RecordedShape;
        CheckBackward(shape, dOutput, dx);
        var length = StateLength(shape.Batch);
        Guard.Length(dhN.Length, length, nameof(dhN));
        Guard.Length(dcN.Length, length, nameof(dcN));
        if (!dh0.IsEmpty) Guard.Length(dh0.Length, length, nameof(dh0));
        if (!dc0.IsEmpty) Guard.Length(dc0.Length, length, nameof(dc0));
        BackwardCore(shape, dOutput, dhN, dcN, dx, dh0, dc0);
    }

    /// <summary>The dropout mask applied between layer <paramref name="layer"/> and the next in the last training forward (tests).</summary>
    internal ReadOnlySpan<T> LastMask(int layer, int length) => _masks[layer].AsSpan(0, length);

    private SequenceShape RecordedShape => _lastTrainingShape
        ?? throw new InvalidOperationException("Backward needs a training forward first (Forward with training: true).");

    internal void ForwardCore(SequenceShape shape, ReadOnlySpan<T> x, Span<T> output,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> hN, Span<T> cN, bool training)
    {
        _lastTrainingShape = null;
        var plan = shape.Plan;
        var useDropout = training && Dropout > 0;
        ReadOnlySpan<T> input = x;
        var stateOffset = 0;
        for (var k = 0; k < _layers.Length; k++)
        {
            var layer = _layers[k];
            var last = k == _layers.Length - 1;
            var y = last ? output : Scratch.Ensure(ref _outputs[k], (long)shape.Rows * layer.OutputSize);
            var stateLength = layer.StateLength(shape.Batch);
            layer.ForwardCore(plan, input, y,
                Part(h0, stateOffset, stateLength), Part(c0, stateOffset, stateLength),
                Part(hN, stateOffset, stateLength), Part(cN, stateOffset, stateLength), training);
            stateOffset += stateLength;
            if (last) break;
            if (useDropout)
            {
                var mask = Scratch.Ensure(ref _masks[k], y.Length);
                FillMask(mask);
                var dropped = Scratch.Ensure(ref _inputs[k + 1], y.Length);
                System.Numerics.Tensors.TensorPrimitives.Multiply(y, mask, dropped);
                input = dropped;
            }
            else
            {
                input = y;
            }
        }
        if (training)
        {
            _lastTrainingShape = shape;
            _lastUsedDropout = useDropout;
        }
    }

    internal void BackwardCore(SequenceShape shape, ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhN, ReadOnlySpan<T> dcN,
        Span<T> dx, Span<T> dh0, Span<T> dc0)
    {
        var plan = shape.Plan;
        ReadOnlySpan<T> dy = dOutput;
        var stateOffset = StateLength(shape.Batch);
        for (var k = _layers.Length - 1; k >= 0; k--)
        {
            var layer = _layers[k];
            var stateLength = layer.StateLength(shape.Batch);
            stateOffset -= stateLength;
            var dInput = k == 0 ? dx : Scratch.Ensure(ref _inputGradients[k], (long)shape.Rows * layer.InputSize);
            layer.BackwardCore(plan, dy, Part(dhN, stateOffset, stateLength), Part(dcN, stateOffset, stateLength),
                dInput, Part(dh0, stateOffset, stateLength), Part(dc0, stateOffset, stateLength));
            if (k == 0) break;
            if (_lastUsedDropout)
                System.Numerics.Tensors.TensorPrimitives.Multiply(dInput, _masks[k - 1].AsSpan(0, dInput.Length), dInput);
            dy = dInput;
        }
    }

    private void FillMask(Span<T> mask)
    {
        var keep = 1 - Dropout;
        var scale = T.CreateChecked(1 / keep);
        for (var i = 0; i < mask.Length; i++)
            mask[i] = DropoutRandom.NextDouble() < keep ? scale : T.Zero;
    }

    private void CheckShapes(ReadOnlySpan<T> x, SequenceShape shape, Span<T> output)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Guard.Length(x.Length, (long)shape.Rows * InputSize, nameof(x), $"steps {shape.Steps} × batch {shape.Batch} × inputSize {InputSize}");
        Guard.Length(output.Length, (long)shape.Rows * OutputSize, nameof(output), $"steps {shape.Steps} × batch {shape.Batch} × outputSize {OutputSize}");
    }

    private void CheckBackward(SequenceShape shape, ReadOnlySpan<T> dOutput, Span<T> dx)
    {
        Guard.Length(dOutput.Length, (long)shape.Rows * OutputSize, nameof(dOutput), $"steps {shape.Steps} × batch {shape.Batch} × outputSize {OutputSize}");
        if (!dx.IsEmpty)
            Guard.Length(dx.Length, (long)shape.Rows * InputSize, nameof(dx), $"steps {shape.Steps} × batch {shape.Batch} × inputSize {InputSize}");
    }

    internal static string Describe(RecurrentLayer<T> layer)
        => $"{layer.CellName}{(layer.IsBidirectional ? ", bidirectional" : "")}";

    internal static string OutputText(RecurrentLayer<T> layer)
        => layer.IsBidirectional ? $"2 × {layer.HiddenSize} = {layer.OutputSize} features" : $"{layer.OutputSize} features";

    private static ReadOnlySpan<T> Part(ReadOnlySpan<T> span, int offset, int length)
        => span.IsEmpty ? default : span.Slice(offset, length);

    private static Span<T> Part(Span<T> span, int offset, int length)
        => span.IsEmpty ? default : span.Slice(offset, length);
}
