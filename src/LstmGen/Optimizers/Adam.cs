using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with bias correction, exactly <c>torch.optim.Adam</c> (amsgrad off). Weight decay here is
/// the L2 penalty added to the gradient; for decoupled decay use <see cref="AdamW{T}"/>.
/// <code>
/// g = grad + weight_decay·p
/// m = β₁·m + (1 − β₁)·g          v = β₂·v + (1 − β₂)·g²
/// p = p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Name of the first-moment state buffer (PyTorch's <c>exp_avg</c>).</summary>
    public const string ExpAvg = "exp_avg";

    /// <summary>Name of the second-moment state buffer (PyTorch's <c>exp_avg_sq</c>).</summary>
    public const string ExpAvgSq = "exp_avg_sq";

    /// <summary>Creates the optimiser with PyTorch's defaults (lr 1e-3, β = (0.9, 0.999), ε = 1e-8, no weight decay).</summary>
    public Adam(IReadOnlyList<ParameterTensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate, ExpAvg, ExpAvgSq)
    {
        Beta1 = InRange(beta1, 0, 1, nameof(beta1));
        Beta2 = InRange(beta2, 0, 1, nameof(beta2));
        Epsilon = InRange(epsilon, 0, double.PositiveInfinity, nameof(epsilon));
        WeightDecay = InRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
    }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>Weight decay (L2 penalty for Adam, decoupled for AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>Whether weight decay is decoupled from the gradient (AdamW).</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> Hyperparameters => new Dictionary<string, double>
    {
        ["lr"] = LearningRate, ["beta1"] = Beta1, ["beta2"] = Beta2, ["eps"] = Epsilon, ["weight_decay"] = WeightDecay,
    };

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> value, ReadOnlySpan<T> gradient)
    {
        var m = State(ExpAvg, index);
        var v = State(ExpAvgSq, index);
        double step = StepCount;
        // Scalars are formed in double, as PyTorch forms them in Python floats, then used in the parameters' precision.
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, step);
        T beta1 = Scalar(Beta1), oneMinusBeta1 = Scalar(1 - Beta1), beta2 = Scalar(Beta2), oneMinusBeta2 = Scalar(1 - Beta2);
        T stepSize = Scalar(LearningRate / biasCorrection1), correction2Sqrt = Scalar(Math.Sqrt(biasCorrection2)), epsilon = Scalar(Epsilon);
        T decay = Scalar(WeightDecay), shrink = Scalar(1 - LearningRate * WeightDecay);
        var decoupled = DecoupledWeightDecay;
        for (var i = 0; i < value.Length; i++)
        {
            var g = gradient[i];
            if (WeightDecay != 0)
            {
                if (decoupled) value[i] *= shrink;
                else g += decay * value[i];
            }
            m[i] = m[i] * beta1 + g * oneMinusBeta1;
            v[i] = v[i] * beta2 + g * g * oneMinusBeta2;
            var denominator = T.Sqrt(v[i]) / correction2Sqrt + epsilon;
            value[i] -= stepSize * m[i] / denominator;
        }
    }
}
