using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;
using LstmGen.Training;

namespace LstmGen.Layers;

/// <summary>
/// A fully connected layer applied to each row, PyTorch's <c>nn.Linear</c>: y = W·x + b with <c>weight</c>
/// [out×in] and <c>bias</c> [out]. It keeps no forward record: backward takes the same input rows again.
/// </summary>
public sealed class Linear<T> : IParameterized<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _weight, _bias, _weightGradient, _biasGradient;
    private readonly ParameterTensor<T>[] _parameters;

    /// <summary>A zero layer from <paramref name="inputSize"/> to <paramref name="outputSize"/> features (initialise it, or load weights).</summary>
    public Linear(int inputSize, int outputSize, bool bias = true)
    {
        Precision.EnsureSupported<T>();
        Guard.Positive(inputSize, nameof(inputSize));
        Guard.Positive(outputSize, nameof(outputSize));
        InputSize = inputSize;
        OutputSize = outputSize;
        HasBias = bias;
        _weight = new T[checked(inputSize * outputSize)];
        _weightGradient = new T[_weight.Length];
        _bias = new T[bias ? outputSize : 0];
        _biasGradient = new T[_bias.Length];
        var list = new List<ParameterTensor<T>> { new("weight", new[] { outputSize, inputSize }, _weight, _weightGradient) };
        if (bias) list.Add(new ParameterTensor<T>("bias", new[] { outputSize }, _bias, _biasGradient));
        _parameters = list.ToArray();
    }

    /// <summary>Features per input row.</summary>
    public int InputSize { get; }

    /// <summary>Features per output row.</summary>
    public int OutputSize { get; }

    /// <summary>Whether the layer adds a bias.</summary>
    public bool HasBias { get; }

    /// <summary><c>weight</c> [out×in], row-major.</summary>
    public Span<T> Weight => _weight;

    /// <summary><c>bias</c> [out] (empty without bias).</summary>
    public Span<T> Bias => _bias;

    /// <summary>Accumulated gradient of <see cref="Weight"/>.</summary>
    public Span<T> WeightGradient => _weightGradient;

    /// <summary>Accumulated gradient of <see cref="Bias"/>.</summary>
    public Span<T> BiasGradient => _biasGradient;

    /// <summary>Tensors <c>weight</c> and <c>bias</c>.</summary>
    public IReadOnlyList<ParameterTensor<T>> Parameters => _parameters;

    /// <summary>PyTorch's default: weight and bias from U(±1/√in) (<c>kaiming_uniform_(a=√5)</c> and its bias rule).</summary>
    public void InitializePyTorchDefault(Random random)
    {
        var bound = 1.0 / Math.Sqrt(InputSize);
        Initializers.Uniform<T>(_weight, bound, random);
        Initializers.Uniform<T>(_bias, bound, random);
    }

    /// <summary>Sets the gradients to zero.</summary>
    public void ZeroGradients()
    {
        Array.Clear(_weightGradient);
        Array.Clear(_biasGradient);
    }

    /// <summary>y = W·x + b for each of the rows of <paramref name="x"/> [rows×in] into <paramref name="y"/> [rows×out].</summary>
    public void Forward(ReadOnlySpan<T> x, Span<T> y)
    {
        var rows = Rows(x.Length, InputSize, nameof(x));
        Guard.Length(y.Length, (long)rows * OutputSize, nameof(y), $"rows {rows} × outputSize {OutputSize}");
        for (var r = 0; r < rows; r++) ForwardRow(x.Slice(r * InputSize, InputSize), y.Slice(r * OutputSize, OutputSize));
    }

    /// <summary>
    /// Adds the gradients of W and b for rows <paramref name="x"/> with output gradients <paramref name="dy"/>, and writes
    /// ∂L/∂x = Wᵀ·dy into <paramref name="dx"/> (empty = not needed).
    /// </summary>
    public void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
    {
        var rows = Rows(x.Length, InputSize, nameof(x));
        Guard.Length(dy.Length, (long)rows * OutputSize, nameof(dy), $"rows {rows} × outputSize {OutputSize}");
        if (!dx.IsEmpty) Guard.Length(dx.Length, x.Length, nameof(dx), $"rows {rows} × inputSize {InputSize}");
        for (var r = 0; r < rows; r++)
        {
            BackwardRow(x.Slice(r * InputSize, InputSize), dy.Slice(r * OutputSize, OutputSize),
                dx.IsEmpty ? default : dx.Slice(r * InputSize, InputSize));
        }
    }

    internal void ForwardRow(ReadOnlySpan<T> x, Span<T> y)
    {
        int n = InputSize;
        ReadOnlySpan<T> weight = _weight;
        for (var o = 0; o < y.Length; o++)
        {
            var sum = TensorPrimitives.Dot(weight.Slice(o * n, n), x);
            y[o] = HasBias ? sum + _bias[o] : sum;
        }
    }

    internal void BackwardRow(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
    {
        int n = InputSize;
        Span<T> weightGradient = _weightGradient;
        ReadOnlySpan<T> weight = _weight;
        if (HasBias) TensorPrimitives.Add(_biasGradient, dy, _biasGradient);
        if (!dx.IsEmpty) dx.Clear();
        for (var o = 0; o < dy.Length; o++)
        {
            var g = dy[o];
            if (g == T.Zero) continue;
            var gradientRow = weightGradient.Slice(o * n, n);
            TensorPrimitives.MultiplyAdd(x, g, gradientRow, gradientRow);
            if (!dx.IsEmpty) TensorPrimitives.MultiplyAdd(weight.Slice(o * n, n), g, dx, dx);
        }
    }

    private static int Rows(int length, int width, string name)
    {
        if (length % width != 0)
            throw new ArgumentException($"'{name}' has length {length}, expected a multiple of {width} (rows × features).", name);
        return length / width;
    }
}
