using System;
using System.Collections.Generic;

namespace LstmGen.Kernels;

/// <summary>One precompiled cell of this package: its sizes, variant and type.</summary>
/// <param name="InputSize">D.</param>
/// <param name="HiddenSize">H.</param>
/// <param name="Variant">The cell variant; <c>standard</c> is PyTorch's <c>nn.LSTM</c> cell.</param>
/// <param name="CellType">The cell type, e.g. <c>typeof(Standard16x32)</c>: use it as <c>TCell</c> of
/// <see cref="LstmParameters{TCell, T}"/>, <see cref="LstmWorkspace{TCell, T}"/> and <see cref="Lstm"/>.</param>
/// <param name="Layout">The tensors of the cell's parameter buffer (names, offsets, shapes).</param>
public sealed record LstmKernelInfo(int InputSize, int HiddenSize, string Variant, Type CellType, LstmCellLayout Layout)
{
    /// <summary>What the cell computes beyond the standard one (from its attributes).</summary>
    public LstmCellVariant CellVariant => Layout.Variant;

    /// <summary>Number of scalars in the parameter buffer: 4H(D + H) + 8H for the standard cell.</summary>
    public int ParameterCount => Layout.ParameterCount;

    /// <inheritdoc/>
    public override string ToString() => $"{CellType.Name} ({Variant}, D={InputSize}, H={HiddenSize}, {ParameterCount} parameters)";
}

/// <summary>
/// The cells precompiled into this package, for discovery from any .NET language. Each is a type such as
/// <see cref="Standard16x32"/>, named <c>Standard{D}x{H}</c>, with the generated static members
/// (<c>InputSize</c>, <c>HiddenSize</c>, <c>Layout</c>, <c>Forward</c>, <c>Backward</c>) and the
/// <see cref="ILstmCell{TSelf}"/> implementation, so the generic <see cref="Lstm"/> entry points work with it.
/// </summary>
/// <remarks>
/// The grid is every D in <see cref="InputSizes"/> × every H in <see cref="HiddenSizes"/>, standard cell, plus the
/// variants <c>peephole</c>, <c>layerNorm</c> and <c>cifg</c> (types <c>Peephole{D}x{H}</c>, <c>LayerNorm{D}x{H}</c>,
/// <c>Cifg{D}x{H}</c>) at the sizes in <see cref="VariantSizes"/>. For any other size or variant, declare <c>[LstmCell(D, H)]</c> on a <c>partial struct</c> in a C# project with the LstmGen package.
/// </remarks>
public static class LstmKernels
{
    /// <summary>The input sizes D of the grid.</summary>
    public static IReadOnlyList<int> InputSizes { get; } = [1, 16, 32, 64, 128];

    /// <summary>The hidden sizes H of the grid.</summary>
    public static IReadOnlyList<int> HiddenSizes { get; } = [32, 64, 128, 256];

    /// <summary>The (D, H) sizes at which each variant in <see cref="Variants"/> is shipped.</summary>
    public static IReadOnlyList<(int InputSize, int HiddenSize)> VariantSizes { get; } = [(16, 64), (32, 128)];

    /// <summary>The shipped variants besides <c>standard</c>, as <see cref="Find"/> names them.</summary>
    public static IReadOnlyList<string> Variants { get; } = ["peephole", "layerNorm", "cifg"];

    /// <summary>Every shipped cell, ordered by variant (standard first), D, then H.</summary>
    public static IReadOnlyList<LstmKernelInfo> All { get; } =
    [
        Entry<Standard1x32>("standard"),
        Entry<Standard1x64>("standard"),
        Entry<Standard1x128>("standard"),
        Entry<Standard1x256>("standard"),
        Entry<Standard16x32>("standard"),
        Entry<Standard16x64>("standard"),
        Entry<Standard16x128>("standard"),
        Entry<Standard16x256>("standard"),
        Entry<Standard32x32>("standard"),
        Entry<Standard32x64>("standard"),
        Entry<Standard32x128>("standard"),
        Entry<Standard32x256>("standard"),
        Entry<Standard64x32>("standard"),
        Entry<Standard64x64>("standard"),
        Entry<Standard64x128>("standard"),
        Entry<Standard64x256>("standard"),
        Entry<Standard128x32>("standard"),
        Entry<Standard128x64>("standard"),
        Entry<Standard128x128>("standard"),
        Entry<Standard128x256>("standard"),
        Entry<Peephole16x64>("peephole"),
        Entry<Peephole32x128>("peephole"),
        Entry<LayerNorm16x64>("layerNorm"),
        Entry<LayerNorm32x128>("layerNorm"),
        Entry<Cifg16x64>("cifg"),
        Entry<Cifg32x128>("cifg"),
    ];

    /// <summary>The shipped cell with input size <paramref name="inputSize"/> and hidden size <paramref name="hiddenSize"/>, or null.</summary>
    /// <param name="inputSize">D.</param>
    /// <param name="hiddenSize">H.</param>
    /// <param name="variant">The variant: <c>standard</c> (default), <c>peephole</c>, <c>layerNorm</c> or <c>cifg</c>.</param>
    public static LstmKernelInfo? Find(int inputSize, int hiddenSize, string variant = "standard")
    {
        foreach (var kernel in All)
        {
            if (kernel.InputSize == inputSize && kernel.HiddenSize == hiddenSize && kernel.Variant == variant)
                return kernel;
        }
        return null;
    }

    private static LstmKernelInfo Entry<TCell>(string variant) where TCell : ILstmCell<TCell>
        => new(TCell.InputSize, TCell.HiddenSize, variant, typeof(TCell), TCell.Layout);
}
