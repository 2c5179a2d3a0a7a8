using System;

namespace LstmGen.Onnx;

/// <summary>
/// The cell an ONNX <c>LSTM</c> node needs: input size, hidden size and the variant options its attributes and inputs
/// ask for (<c>P</c> → peephole, <c>input_forget</c> → CIFG, <c>clip</c> → clip κ; never layer norm or a forget-bias
/// constant, which ONNX cannot express).
/// </summary>
/// <param name="InputSize">D, 1 … <see cref="LstmCellAttribute.MaxSize"/>.</param>
/// <param name="HiddenSize">H, 1 … <see cref="LstmCellAttribute.MaxSize"/>.</param>
/// <param name="Variant">The options; <see cref="LstmCellVariant.Clip"/> holds the ONNX float attribute widened to double.</param>
public sealed record OnnxCellSpec(int InputSize, int HiddenSize, LstmCellVariant Variant)
{
    /// <summary>
    /// Whether a cell with this layout computes what the spec asks, in float: same sizes, same structural options, no
    /// forget bias and no layer norm, and a clip κ equal to the spec's in single precision (the float kernel's constant).
    /// </summary>
    public bool IsSatisfiedBy(LstmCellLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var v = layout.Variant;
        return layout.InputSize == InputSize && layout.HiddenSize == HiddenSize
            && v.Peephole == Variant.Peephole && v.CoupledInputForget == Variant.CoupledInputForget
            && !v.LayerNorm && v.ForgetBias == 0
            && (v.Clip is null) == (Variant.Clip is null)
            && (v.Clip is null || (float)v.Clip.Value == (float)Variant.Clip!.Value);
    }

    /// <summary>e.g. <c>8x16 peephole+clip(3)</c>.</summary>
    public override string ToString() => $"{InputSize}x{HiddenSize} {Variant}";
}
