using System;
using System.Collections.Generic;

namespace LstmGen;

/// <summary>One named tensor inside a cell's contiguous parameter buffer (row-major).</summary>
/// <param name="Name">PyTorch state-dict name without the layer suffix, e.g. <c>weight_ih</c>.</param>
/// <param name="Offset">Index of the first element in the parameter buffer.</param>
/// <param name="Rows">Number of rows (4H for gate tensors).</param>
/// <param name="Columns">Number of columns (1 for vectors).</param>
/// <param name="Rank">2 for a matrix (even one with a single column, such as weight_ih when D = 1), 1 for a vector.</param>
public sealed record LstmTensorInfo(string Name, int Offset, int Rows, int Columns, int Rank)
{
    /// <summary>Number of elements: <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public int Length => Rows * Columns;

    /// <summary>The PyTorch shape: <c>[Rows, Columns]</c> for matrices, <c>[Rows]</c> for vectors.</summary>
    public int[] Shape => Rank == 2 ? new[] { Rows, Columns } : new[] { Rows };
}

/// <summary>What a cell computes and where each parameter tensor lives in its buffer.</summary>
public sealed class LstmCellLayout
{
    private readonly LstmTensorInfo[] _tensors;

    /// <summary>Creates a layout; the generator emits one per cell.</summary>
    public LstmCellLayout(int inputSize, int hiddenSize, LstmCellVariant variant, LstmTensorInfo[] tensors)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(tensors);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Variant = variant;
        _tensors = (LstmTensorInfo[])tensors.Clone();
        var expectedOffset = 0;
        foreach (var tensor in _tensors)
        {
            if (tensor.Offset != expectedOffset)
                throw new ArgumentException($"Tensor '{tensor.Name}' starts at {tensor.Offset}, expected {expectedOffset}: tensors must be contiguous and in order.", nameof(tensors));
            expectedOffset += tensor.Length;
        }
        ParameterCount = expectedOffset;
    }

    /// <summary>Input size D.</summary>
    public int InputSize { get; }

    /// <summary>Hidden size H.</summary>
    public int HiddenSize { get; }

    /// <summary>The variant options of the cell.</summary>
    public LstmCellVariant Variant { get; }

    /// <summary>Total number of scalars in the parameter buffer.</summary>
    public int ParameterCount { get; }

    /// <summary>The tensors in buffer order (PyTorch's order).</summary>
    public IReadOnlyList<LstmTensorInfo> Tensors => _tensors;

    /// <summary>Finds a tensor by name, or throws naming the tensors that exist.</summary>
    public LstmTensorInfo this[string name]
    {
        get
        {
            foreach (var tensor in _tensors)
                if (tensor.Name == name) return tensor;
            throw new KeyNotFoundException($"This {Variant} {InputSize}x{HiddenSize} cell has no tensor '{name}'. Tensors: {string.Join(", ", Array.ConvertAll(_tensors, t => t.Name))}.");
        }
    }

    /// <summary>Whether a tensor of that name exists.</summary>
    public bool Contains(string name) => Array.Exists(_tensors, t => t.Name == name);

    /// <summary>
    /// Sizes, variant and buffer map, e.g. <c>D = 3, H = 4, standard: weight_ih [16, 3] at 0, weight_hh [16, 4] at 48,
    /// bias_ih [16] at 112, bias_hh [16] at 128 (144 scalars)</c>.
    /// </summary>
    public override string ToString()
    {
        var tensors = Array.ConvertAll(_tensors, t => $"{t.Name} [{string.Join(", ", t.Shape)}] at {t.Offset}");
        return $"D = {InputSize}, H = {HiddenSize}, {Variant}: {string.Join(", ", tensors)} ({ParameterCount} scalars)";
    }
}
