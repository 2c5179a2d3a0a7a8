using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Layers;

/// <summary>How <see cref="LstmNetworkBuilder{T}.Build"/> fills the parameters.</summary>
public enum NetworkInitialization
{
    /// <summary>
    /// The project's recipe: LSTM layers per <see cref="Initializers.InitializeDefault{TCell, T}"/> (Xavier-uniform input
    /// weights, orthogonal recurrent blocks, forget bias 1); head and embedding as PyTorch.
    /// </summary>
    Default,

    /// <summary>Exactly PyTorch's defaults: LSTM U(±1/√H), linear U(±1/√in), embedding N(0, 1).</summary>
    PyTorchDefault,

    /// <summary>All zeros (for loading weights afterwards).</summary>
    Zeros,
}

/// <summary>
/// Builds an <see cref="LstmNetwork{T}"/>: an input (dense features or an embedding), LSTM layers bottom first (each
/// its own cell type, optionally bidirectional), dropout between them, and an optional linear head. A builder
/// builds one network.
/// </summary>
/// <example>
/// <code>
/// var net = new LstmNetworkBuilder&lt;float&gt;()
///     .Embedding(vocabularySize: 65, dimension: 32)
///     .Lstm&lt;Cell32x128&gt;()
///     .Lstm&lt;Cell128x128&gt;()
///     .Dropout(0.2)
///     .Linear(65)
///     .Build(seed: 1);
/// </code>
/// </example>
public sealed class LstmNetworkBuilder<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<RecurrentLayer<T>> _layers = new();
    private int? _inputSize;
    private (int Vocabulary, int Dimension)? _embedding;
    private int? _headOutputs;
    private bool _headBias = true;
    private double _dropout;
    private double _forgetBias = Initializers.DefaultForgetBias;
    private bool _built;

    /// <summary>Dense inputs of <paramref name="features"/> per step (checked against layer 0; optional).</summary>
    public LstmNetworkBuilder<T> Input(int features)
    {
        Guard.Positive(features, nameof(features));
        _inputSize = features;
        return this;
    }

    /// <summary>Token-id inputs through an embedding of <paramref name="vocabularySize"/> × <paramref name="dimension"/>.</summary>
    public LstmNetworkBuilder<T> Embedding(int vocabularySize, int dimension)
    {
        Guard.Positive(vocabularySize, nameof(vocabularySize));
        Guard.Positive(dimension, nameof(dimension));
        _embedding = (vocabularySize, dimension);
        return this;
    }

    /// <summary>Adds an LSTM layer over the generated cell <typeparamref name="TCell"/> on top of the previous ones.</summary>
    public LstmNetworkBuilder<T> Lstm<TCell>(bool bidirectional = false) where TCell : ILstmCell<TCell>
    {
        _layers.Add(new LstmLayer<TCell, T>(bidirectional));
        return this;
    }

    /// <summary>Adds an existing layer (its parameters are kept unless <see cref="Build"/> initialises them).</summary>
    public LstmNetworkBuilder<T> Layer(RecurrentLayer<T> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>Dropout probability between LSTM layers (training only; PyTorch's <c>dropout</c> argument).</summary>
    public LstmNetworkBuilder<T> Dropout(double probability)
    {
        if (!(probability >= 0 && probability < 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout must be in [0, 1).");
        _dropout = probability;
        return this;
    }

    /// <summary>A linear head from the last layer's output to <paramref name="outputSize"/> features per step.</summary>
    public LstmNetworkBuilder<T> Linear(int outputSize, bool bias = true)
    {
        Guard.Positive(outputSize, nameof(outputSize));
        _headOutputs = outputSize;
        _headBias = bias;
        return this;
    }

    /// <summary>The forget-gate bias of the default recipe (default 1).</summary>
    public LstmNetworkBuilder<T> ForgetBias(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "The forget bias must be finite.");
        _forgetBias = value;
        return this;
    }

    /// <summary>
    /// Checks every size and creates the network; <paramref name="seed"/> drives the initialisation and the dropout masks.
    /// </summary>
    /// <exception cref="InvalidOperationException">No LSTM layer was added.</exception>
    /// <exception cref="ArgumentException">Sizes do not fit; the message names the layer and both sizes.</exception>
    public LstmNetwork<T> Build(int seed, NetworkInitialization initialization = NetworkInitialization.Default)
    {
        if (_built) throw new InvalidOperationException("This builder already built a network; use a new builder (layers cannot be shared).");
        if (_layers.Count == 0) throw new InvalidOperationException("Add at least one LSTM layer (Lstm<TCell>()) before Build.");
        if (_embedding is not null && _inputSize is not null)
            throw new InvalidOperationException("Choose either dense inputs (Input) or token ids (Embedding), not both.");
        if (_inputSize is { } features && features != _layers[0].InputSize)
            throw new ArgumentException($"Layer 0 ({LstmStack<T>.Describe(_layers[0])}) takes {_layers[0].InputSize} input features, but the input has {features}.");
        var random = new Random(seed);
        Embedding<T>? embedding = null;
        if (_embedding is { } e)
        {
            if (e.Dimension != _layers[0].InputSize)
                throw new ArgumentException($"Layer 0 ({LstmStack<T>.Describe(_layers[0])}) takes {_layers[0].InputSize} input features, but the embedding produces vectors of {e.Dimension}.");
            embedding = new Embedding<T>(e.Vocabulary, e.Dimension);
        }
        var stack = new LstmStack<T>(_layers, _dropout, dropoutSeed: seed ^ 0x5DEECE66DL);
        var head = _headOutputs is { } outputs ? new Linear<T>(stack.OutputSize, outputs, _headBias) : null;
        switch (initialization)
        {
            case NetworkInitialization.Default:
                embedding?.InitializePyTorchDefault(random);
                stack.InitializeDefault(random, _forgetBias);
                head?.InitializePyTorchDefault(random);
                break;
            case NetworkInitialization.PyTorchDefault:
                embedding?.InitializePyTorchDefault(random);
                stack.InitializePyTorchDefault(random);
                head?.InitializePyTorchDefault(random);
                break;
            case NetworkInitialization.Zeros:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(initialization), initialization, "Unknown initialisation.");
        }
        _built = true;
        return new LstmNetwork<T>(embedding, stack, head);
    }
}
