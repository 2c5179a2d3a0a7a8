using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;
using LstmGen.Training;

namespace LstmGen.Layers;

/// <summary>Token ids → vectors, PyTorch's <c>nn.Embedding</c>: row <c>id</c> of <c>weight</c> [vocabulary×dimension].</summary>
public sealed class Embedding<T> : IParameterized<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _weight, _gradient;
    private readonly ParameterTensor<T>[] _parameters;

    /// <summary>A zero table of <paramref name="vocabularySize"/> vectors of <paramref name="dimension"/> (initialise it, or load weights).</summary>
    public Embedding(int vocabularySize, int dimension)
    {
        Precision.EnsureSupported<T>();
        Guard.Positive(vocabularySize, nameof(vocabularySize));
        Guard.Positive(dimension, nameof(dimension));
        VocabularySize = vocabularySize;
        Dimension = dimension;
        _weight = new T[checked(vocabularySize * dimension)];
        _gradient = new T[_weight.Length];
        _parameters = new[] { new ParameterTensor<T>("weight", new[] { vocabularySize, dimension }, _weight, _gradient) };
    }

    /// <summary>Number of token ids (valid ids are 0 … <see cref="VocabularySize"/> − 1).</summary>
    public int VocabularySize { get; }

    /// <summary>Length of each vector.</summary>
    public int Dimension { get; }

    /// <summary><c>weight</c> [vocabulary×dimension].</summary>
    public Span<T> Weight => _weight;

    /// <summary>Accumulated gradient of <see cref="Weight"/>.</summary>
    public Span<T> WeightGradient => _gradient;

    /// <summary>The tensor <c>weight</c>.</summary>
    public IReadOnlyList<ParameterTensor<T>> Parameters => _parameters;

    /// <summary>PyTorch's default: N(0, 1).</summary>
    public void InitializePyTorchDefault(Random random) => Initializers.Normal<T>(_weight, 1.0, random);

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGradients() => Array.Clear(_gradient);

    /// <summary>Looks up each id of <paramref name="ids"/> into <paramref name="output"/> [ids×dimension].</summary>
    public void Forward(ReadOnlySpan<int> ids, Span<T> output)
    {
        Guard.Length(output.Length, (long)ids.Length * Dimension, nameof(output), $"ids {ids.Length} × dimension {Dimension}");
        for (var r = 0; r < ids.Length; r++) CheckId(ids[r], r);
        for (var r = 0; r < ids.Length; r++) ForwardRow(ids[r], output.Slice(r * Dimension, Dimension));
    }

    /// <summary>Adds <paramref name="dOutput"/>'s rows into the gradient rows of their ids.</summary>
    public void Backward(ReadOnlySpan<int> ids, ReadOnlySpan<T> dOutput)
    {
        Guard.Length(dOutput.Length, (long)ids.Length * Dimension, nameof(dOutput), $"ids {ids.Length} × dimension {Dimension}");
        for (var r = 0; r < ids.Length; r++) CheckId(ids[r], r);
        for (var r = 0; r < ids.Length; r++) BackwardRow(ids[r], dOutput.Slice(r * Dimension, Dimension));
    }

    internal void CheckId(int id, int row)
    {
        if ((uint)id >= (uint)VocabularySize)
            throw new ArgumentOutOfRangeException("ids", id, $"Token id {id} at row {row} is outside the vocabulary [0, {VocabularySize}).");
    }

    internal void ForwardRow(int id, Span<T> output) => _weight.AsSpan(id * Dimension, Dimension).CopyTo(output);

    internal void BackwardRow(int id, ReadOnlySpan<T> dOutput)
    {
        var row = _gradient.AsSpan(id * Dimension, Dimension);
        TensorPrimitives.Add(row, dOutput, row);
    }
}
