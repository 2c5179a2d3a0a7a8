using System.Collections.Generic;
using System.Globalization;

namespace LstmGen;

/// <summary>What a cell computes beyond the standard PyTorch LSTM (each option from its attribute).</summary>
/// <param name="Peephole">Peephole connections (<see cref="PeepholeAttribute"/>).</param>
/// <param name="LayerNorm">Layer normalisation (<see cref="LayerNormAttribute"/>).</param>
/// <param name="LayerNormEpsilon">ε of the layer norm (meaningful when <paramref name="LayerNorm"/>).</param>
/// <param name="LayerNormPerGate">Per-gate statistics for the gate terms.</param>
/// <param name="ForgetBias">Constant φ added to the forget pre-activation (0 = none).</param>
/// <param name="CoupledInputForget">CIFG: f = 1 − i.</param>
/// <param name="Clip">Pre-activation clip κ, or null.</param>
public sealed record LstmCellVariant(bool Peephole, bool LayerNorm, double LayerNormEpsilon, bool LayerNormPerGate,
    double ForgetBias, bool CoupledInputForget, double? Clip)
{
    /// <summary>The standard cell: equal to <c>torch.nn.LSTM</c>.</summary>
    public static LstmCellVariant Standard { get; } = new(false, false, 1e-5, false, 0, false, null);

    /// <summary>Whether no option is on.</summary>
    public bool IsStandard => !Peephole && !LayerNorm && ForgetBias == 0 && !CoupledInputForget && Clip is null;

    /// <summary>e.g. <c>standard</c> or <c>peephole+layerNorm(eps=1E-05)+forgetBias(1)+cifg+clip(0.8)</c>.</summary>
    public override string ToString()
    {
        if (IsStandard) return "standard";
        var parts = new List<string>();
        if (Peephole) parts.Add("peephole");
        if (LayerNorm) parts.Add(string.Format(CultureInfo.InvariantCulture, LayerNormPerGate ? "layerNorm(perGate, eps={0:R})" : "layerNorm(eps={0:R})", LayerNormEpsilon));
        if (ForgetBias != 0) parts.Add(string.Format(CultureInfo.InvariantCulture, "forgetBias({0:R})", ForgetBias));
        if (CoupledInputForget) parts.Add("cifg");
        if (Clip is { } clip) parts.Add(string.Format(CultureInfo.InvariantCulture, "clip({0:R})", clip));
        return string.Join("+", parts);
    }
}
