using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, exactly
/// <c>torch.optim.SGD</c>:
/// <code>
/// g = grad + weight_decay·p
/// if momentum ≠ 0:  b = g on the first step, else b = momentum·b + (1 − dampening)·g
///                   g = g + momentum·b  (Nesterov)   or   g = b
/// p = p − lr·g
/// </code>
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Name of the momentum state buffer (PyTorch's <c>momentum_buffer</c>).</summary>
    public const string MomentumBuffer = "momentum_buffer";

    /// <summary>Creates the optimiser; Nesterov needs momentum &gt; 0 and zero dampening (as PyTorch requires).</summary>
    public Sgd(IReadOnlyList<ParameterTensor<T>> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate, momentum != 0 ? new[] { MomentumBuffer } : Array.Empty<string>())
    {
        Momentum = InRange(momentum, 0, double.PositiveInfinity, nameof(momentum));
        Dampening = InRange(dampening, 0, double.PositiveInfinity, nameof(dampening));
        WeightDecay = InRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening.", nameof(nesterov));
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Dampening of the gradient in the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> Hyperparameters => new Dictionary<string, double>
    {
        ["lr"] = LearningRate, ["momentum"] = Momentum, ["dampening"] = Dampening, ["weight_decay"] = WeightDecay, ["nesterov"] = Nesterov ? 1 : 0,
    };

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> value, ReadOnlySpan<T> gradient)
    {
        T lr = Scalar(LearningRate), decay = Scalar(WeightDecay), momentum = Scalar(Momentum), keep = Scalar(1 - Dampening);
        var buffer = Momentum != 0 ? State(MomentumBuffer, index) : default;
        var first = StepCount == 1;
        for (var i = 0; i < value.Length; i++)
        {
            var g = gradient[i];
            if (WeightDecay != 0) g += decay * value[i];
            if (Momentum != 0)
            {
                buffer[i] = first ? g : momentum * buffer[i] + keep * g;
                g = Nesterov ? g + momentum * buffer[i] : buffer[i];
            }
            value[i] -= lr * g;
        }
    }
}
