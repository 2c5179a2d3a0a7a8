using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Optimizers;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019), exactly <c>torch.optim.AdamW</c>: weight decay is decoupled — the parameters
/// shrink by (1 − lr·weight_decay) before the Adam step, and the gradient is not changed.
/// <code>
/// p = p·(1 − lr·weight_decay)
/// m = β₁·m + (1 − β₁)·grad       v = β₂·v + (1 − β₂)·grad²
/// p = p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimiser with PyTorch's defaults (lr 1e-3, β = (0.9, 0.999), ε = 1e-8, weight decay 1e-2).</summary>
    public AdamW(IReadOnlyList<ParameterTensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 1e-2)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
