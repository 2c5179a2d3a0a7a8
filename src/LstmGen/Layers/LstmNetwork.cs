using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Layers;

/// <summary>
/// A sequence model: optional <see cref="Layers.Embedding{T}"/> (token ids in) or dense features in → an
/// <see cref="LstmStack{T}"/> → optional <see cref="Layers.Linear{T}"/> head applied at every step. Build one with
/// <see cref="LstmNetworkBuilder{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Parameter names follow a PyTorch module with attributes <c>embedding</c>, <c>lstm</c> (an <c>nn.LSTM</c>) and
/// <c>head</c> (an <c>nn.Linear</c>): <c>embedding.weight</c>, <c>lstm.weight_ih_l0</c>, …, <c>head.weight</c>,
/// <c>head.bias</c>, so its state dict loads in both directions.
/// </para>
/// <para>
/// Padded steps (see <see cref="SequenceShape"/>) produce all-zero output rows, their token ids are never read, and
/// the gradient given for them is ignored.
/// </para>
/// </remarks>
public sealed class LstmNetwork<T> : IParameterized<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Name prefix of the embedding's tensors.</summary>
    public const string EmbeddingPrefix = "embedding.";

    /// <summary>Name prefix of the stack's tensors.</summary>
    public const string LstmPrefix = "lstm.";

    /// <summary>Name prefix of the head's tensors.</summary>
    public const string HeadPrefix = "head.";

    private readonly ParameterTensor<T>[] _parameters;
    private T[]? _stackInput, _stackOutput, _dStackOutput, _dStackInput;
    private int[]? _tokens;
    private SequenceShape? _lastTrainingShape;
    private bool _lastUsedTokens;

    /// <summary>Composes a network; the sizes must fit (the embedding's dimension or the stack's input, the head's input).</summary>
    public LstmNetwork(Embedding<T>? embedding, LstmStack<T> lstm, Linear<T>? head)
    {
        ArgumentNullException.ThrowIfNull(lstm);
        if (embedding is not null && embedding.Dimension != lstm.InputSize)
            throw new ArgumentException($"Layer 0 ({LstmStack<T>.Describe(lstm.Layers[0])}) takes {lstm.InputSize} input features, but the embedding produces vectors of {embedding.Dimension}.", nameof(lstm));
        if (head is not null && head.InputSize != lstm.OutputSize)
            throw new ArgumentException($"The linear head takes {head.InputSize} input features, but the last layer (layer {lstm.Layers.Count - 1}, {LstmStack<T>.Describe(lstm.Layers[^1])}) outputs {LstmStack<T>.OutputText(lstm.Layers[^1])}.", nameof(head));
        Embedding = embedding;
        Lstm = lstm;
        Head = head;
        var list = new List<ParameterTensor<T>>();
        if (embedding is not null) foreach (var p in embedding.Parameters) list.Add(p.Renamed(EmbeddingPrefix + p.Name));
        foreach (var p in lstm.Parameters) list.Add(p.Renamed(LstmPrefix + p.Name));
        if (head is not null) foreach (var p in head.Parameters) list.Add(p.Renamed(HeadPrefix + p.Name));
        _parameters = list.ToArray();
    }

    /// <summary>The input embedding, or null for dense inputs.</summary>
    public Embedding<T>? Embedding { get; }

    /// <summary>The recurrent stack.</summary>
    public LstmStack<T> Lstm { get; }

    /// <summary>The per-step output layer, or null (the output is then the stack's output).</summary>
    public Linear<T>? Head { get; }

    /// <summary>Features per input row for dense inputs (the stack's input size).</summary>
    public int InputSize => Lstm.InputSize;

    /// <summary>Features per output row.</summary>
    public int OutputSize => Head?.OutputSize ?? Lstm.OutputSize;

    /// <inheritdoc/>
    public IReadOnlyList<ParameterTensor<T>> Parameters => _parameters;

    /// <summary>A zero recurrent state for <paramref name="batch"/> samples (stateful / truncated-BPTT training).</summary>
    public LstmState<T> CreateState(int batch) => Lstm.CreateState(batch);

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        Embedding?.ZeroGradients();
        Lstm.ZeroGradients();
        Head?.ZeroGradients();
    }

    /// <summary>
    /// Forward over token ids [rows] (in the shape's layout) into <paramref name="output"/> [rows × <see cref="OutputSize"/>].
    /// With <paramref name="state"/>, starts from it and leaves the final state in it.
    /// </summary>
    public void Forward(ReadOnlySpan<int> tokens, SequenceShape shape, Span<T> output, bool training, LstmState<T>? state = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var embedding = Embedding ?? throw new InvalidOperationException("This network has no embedding; pass dense inputs.");
        Guard.Length(tokens.Length, shape.Rows, nameof(tokens), $"steps {shape.Steps} × batch {shape.Batch}");
        CheckForward(shape, output, state);
        for (var r = 0; r < tokens.Length; r++)
            if (shape.IsValidRow(r)) embedding.CheckId(tokens[r], r);
        var x = Scratch.Ensure(ref _stackInput, (long)shape.Rows * embedding.Dimension);
        for (var r = 0; r < tokens.Length; r++)
        {
            var row = x.Slice(r * embedding.Dimension, embedding.Dimension);
            if (shape.IsValidRow(r)) embedding.ForwardRow(tokens[r], row);
            else row.Clear();
        }
        if (training) tokens.CopyTo(Scratch.Ensure(ref _tokens, tokens.Length));
        ForwardStackAndHead(x, shape, output, training, state);
        if (training) _lastUsedTokens = true;
    }

    /// <summary>Forward over dense inputs [rows × <see cref="InputSize"/>] (padded rows are never read).</summary>
    public void Forward(ReadOnlySpan<T> inputs, SequenceShape shape, Span<T> output, bool training, LstmState<T>? state = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (Embedding is not null) throw new InvalidOperationException("This network starts with an embedding; pass token ids.");
        Guard.Length(inputs.Length, (long)shape.Rows * InputSize, nameof(inputs), $"steps {shape.Steps} × batch {shape.Batch} × inputSize {InputSize}");
        CheckForward(shape, output, state);
        ForwardStackAndHead(inputs, shape, output, training, state);
        if (training) _lastUsedTokens = false;
    }

    /// <summary>
    /// Backpropagation for the last training forward: adds every parameter's gradient. <paramref name="dOutput"/> is
    /// ∂L/∂output [rows × <see cref="OutputSize"/>]; padded rows are ignored.
    /// </summary>
    public void Backward(ReadOnlySpan<T> dOutput) => Backward(dOutput, Span<T>.Empty);

    /// <summary>As <see cref="Backward(ReadOnlySpan{T})"/>, and writes ∂L/∂inputs for dense inputs into <paramref name="dInputs"/> (empty = not needed).</summary>
    public void Backward(ReadOnlySpan<T> dOutput, Span<T> dInputs)
    {
        var shape = _lastTrainingShape ?? throw new InvalidOperationException("Backward needs a training forward first (Forward with training: true).");
        Guard.Length(dOutput.Length, (long)shape.Rows * OutputSize, nameof(dOutput), $"steps {shape.Steps} × batch {shape.Batch} × outputSize {OutputSize}");
        if (!dInputs.IsEmpty)
        {
            if (_lastUsedTokens) throw new InvalidOperationException("The last forward used token ids; there is no dense input gradient.");
            Guard.Length(dInputs.Length, (long)shape.Rows * InputSize, nameof(dInputs), $"steps {shape.Steps} × batch {shape.Batch} × inputSize {InputSize}");
        }
        ReadOnlySpan<T> dStack = dOutput;
        if (Head is { } head)
        {
            int width = Lstm.OutputSize;
            var stackOutput = _stackOutput.AsSpan(0, shape.Rows * width);
            var gradient = Scratch.Ensure(ref _dStackOutput, (long)shape.Rows * width);
            for (var r = 0; r < shape.Rows; r++)
            {
                var row = gradient.Slice(r * width, width);
                if (shape.IsValidRow(r))
                    head.BackwardRow(stackOutput.Slice(r * width, width), dOutput.Slice(r * head.OutputSize, head.OutputSize), row);
                else
                    row.Clear();
            }
            dStack = gradient;
        }
        if (_lastUsedTokens)
        {
            var embedding = Embedding!;
            var dx = Scratch.Ensure(ref _dStackInput, (long)shape.Rows * InputSize);
            Lstm.BackwardCore(shape, dStack, default, default, dx, default, default);
            var tokens = _tokens.AsSpan(0, shape.Rows);
            for (var r = 0; r < shape.Rows; r++)
                if (shape.IsValidRow(r)) embedding.BackwardRow(tokens[r], dx.Slice(r * InputSize, InputSize));
        }
        else
        {
            Lstm.BackwardCore(shape, dStack, default, default, dInputs, default, default);
        }
    }

    private void ForwardStackAndHead(ReadOnlySpan<T> x, SequenceShape shape, Span<T> output, bool training, LstmState<T>? state)
    {
        _lastTrainingShape = null;
        var stackOutput = Head is null ? output : Scratch.Ensure(ref _stackOutput, (long)shape.Rows * Lstm.OutputSize);
        if (state is null) Lstm.ForwardCore(shape, x, stackOutput, default, default, default, default, training);
        else Lstm.ForwardCore(shape, x, stackOutput, state.H, state.C, state.H, state.C, training);
        if (Head is { } head)
        {
            int width = Lstm.OutputSize, outputs = head.OutputSize;
            for (var r = 0; r < shape.Rows; r++)
            {
                var row = output.Slice(r * outputs, outputs);
                if (shape.IsValidRow(r)) head.ForwardRow(stackOutput.Slice(r * width, width), row);
                else row.Clear();
            }
        }
        if (training) _lastTrainingShape = shape;
    }

    private void CheckForward(SequenceShape shape, Span<T> output, LstmState<T>? state)
    {
        Guard.Length(output.Length, (long)shape.Rows * OutputSize, nameof(output), $"steps {shape.Steps} × batch {shape.Batch} × outputSize {OutputSize}");
        if (state is not null && state.Batch != shape.Batch)
            throw new ArgumentException($"'state' is for {state.Batch} samples, the batch has {shape.Batch}.", nameof(state));
        if (state is not null && state.H.Length != Lstm.StateLength(shape.Batch))
            throw new ArgumentException($"'state' has {state.H.Length} scalars per tensor, this network needs {Lstm.StateLength(shape.Batch)}; create it with CreateState.", nameof(state));
    }
}
