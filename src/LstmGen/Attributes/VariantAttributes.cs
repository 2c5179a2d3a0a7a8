using System;

namespace LstmGen;

/// <summary>
/// Adds peephole connections (Gers &amp; Schmidhuber 2000): diagonal weights <c>w_ci</c>, <c>w_cf</c>, <c>w_co</c> [H];
/// the input and forget gates read c(t−1), the output gate reads the new c(t).
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PeepholeAttribute : Attribute
{
}

/// <summary>
/// Adds layer normalisation (Ba, Kiros &amp; Hinton 2016): W_ih·x and W_hh·h are normalised separately over all 4H
/// entries (gains <c>ln_ih_weight</c>/<c>ln_hh_weight</c>, shifts <c>ln_ih_bias</c>/<c>ln_hh_bias</c> [4H]) before the
/// biases are added, and c(t) is normalised (<c>ln_c_weight</c>, <c>ln_c_bias</c> [H]) inside the output tanh only;
/// the carried c(t) stays un-normalised.
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>ε inside the square root, <c>sqrt(var + ε)</c>. Default 1e-5 (torch.nn.LayerNorm); must be positive.</summary>
    public double Epsilon { get; set; } = 1e-5;

    /// <summary>
    /// Compute the gate-term statistics per gate block of H entries (as in tf.contrib's LayerNormBasicLSTMCell)
    /// instead of over all 4H entries. Default false.
    /// </summary>
    public bool PerGateStatistics { get; set; }
}

/// <summary>
/// Adds the constant φ to the forget-gate pre-activation at every step (TensorFlow's <c>forget_bias</c>). It is not a
/// parameter: not trained, not saved, no gradient. To initialise the trainable forget bias instead, call
/// <c>LstmParameters.InitializeForgetGateBias</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ForgetBiasAttribute : Attribute
{
    /// <summary>Adds <paramref name="value"/> to the forget pre-activation.</summary>
    public ForgetBiasAttribute(double value) => Value = value;

    /// <summary>φ, a finite constant.</summary>
    public double Value { get; }
}

/// <summary>
/// Couples the input and forget gates (CIFG, Greff et al. 2017): f = 1 − i. The 4H layout is kept; the forget-gate
/// rows, biases and <c>w_cf</c> get zero gradient (with shared layer-norm statistics the forget rows of the weight
/// matrices still feed the statistics and do get gradient).
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CoupledInputForgetGateAttribute : Attribute
{
}

/// <summary>
/// Clamps each gate pre-activation to [−κ, κ] after all its additions and before its activation (ONNX's <c>clip</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ClipAttribute : Attribute
{
    /// <summary>Clamps pre-activations to [−<paramref name="threshold"/>, <paramref name="threshold"/>].</summary>
    public ClipAttribute(double threshold) => Threshold = threshold;

    /// <summary>κ, positive and finite.</summary>
    public double Threshold { get; }
}
