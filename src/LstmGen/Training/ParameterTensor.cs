using System;
using System.Numerics;

namespace LstmGen.Training;

/// <summary>
/// One trainable tensor of a network: its state-dict name, its shape, its values and the gradient accumulated for
/// them. Both are views into the owning layer's buffers, so optimisers, clipping and file I/O work on any layer.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ParameterTensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _shape;

    /// <summary>Creates a tensor view; <paramref name="value"/> and <paramref name="gradient"/> must have the shape's element count.</summary>
    public ParameterTensor(string name, int[] shape, Memory<T> value, Memory<T> gradient)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension in its shape.", nameof(shape));
            count *= dimension;
        }
        Guard.Length(value.Length, count, nameof(value));
        Guard.Length(gradient.Length, count, nameof(gradient));
        Name = name;
        _shape = (int[])shape.Clone();
        Value = value;
        Gradient = gradient;
    }

    /// <summary>State-dict name, e.g. <c>weight_ih_l0_reverse</c> or <c>head.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Shape, row-major (e.g. <c>[4H, D]</c>).</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The shape as a new array.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>Number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>The values.</summary>
    public Memory<T> Value { get; }

    /// <summary>The accumulated gradient of the loss with respect to the values.</summary>
    public Memory<T> Gradient { get; }

    /// <summary>The same views under another name (e.g. with a module prefix).</summary>
    public ParameterTensor<T> Renamed(string name) => new(name, _shape, Value, Gradient);

    /// <summary>The shape written as <c>[a, b]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", _shape)}]";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText}";
}
