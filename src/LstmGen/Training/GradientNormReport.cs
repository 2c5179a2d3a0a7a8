using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace LstmGen.Training;

/// <summary>How healthy a gradient norm is.</summary>
public enum GradientHealth
{
    /// <summary>Between the vanishing and exploding thresholds.</summary>
    Healthy,

    /// <summary>Below the vanishing threshold (default 1e-6): learning has (nearly) stopped.</summary>
    Vanishing,

    /// <summary>Above the exploding threshold (default 1e3): clip, or lower the learning rate.</summary>
    Exploding,

    /// <summary>NaN or infinite.</summary>
    NonFinite,
}

/// <summary>The norm of one tensor's gradient.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Norm">L2 norm of its gradient.</param>
/// <param name="Health">Classification of <paramref name="Norm"/>.</param>
public sealed record TensorGradientNorm(string Name, double Norm, GradientHealth Health);

/// <summary>
/// The gradient norms of one training step: the global norm, each tensor's norm, and a warning for every norm below
/// <see cref="VanishingThreshold"/> or above <see cref="ExplodingThreshold"/> (or not finite). Take it after backward
/// and before clipping to see what the network produced.
/// </summary>
public sealed class GradientNormReport
{
    /// <summary>Default vanishing threshold.</summary>
    public const double DefaultVanishingThreshold = 1e-6;

    /// <summary>Default exploding threshold.</summary>
    public const double DefaultExplodingThreshold = 1e3;

    private GradientNormReport(long step, double globalNorm, IReadOnlyList<TensorGradientNorm> tensors, double vanishing, double exploding)
    {
        Step = step;
        GlobalNorm = globalNorm;
        Tensors = tensors;
        VanishingThreshold = vanishing;
        ExplodingThreshold = exploding;
        Health = Classify(globalNorm, vanishing, exploding);
        var warnings = new List<string>();
        if (Health != GradientHealth.Healthy)
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"step {step}: global gradient norm {globalNorm:E3} is {Describe(Health)}"));
        foreach (var tensor in tensors)
        {
            if (tensor.Health != GradientHealth.Healthy)
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"step {step}: gradient norm of '{tensor.Name}' {tensor.Norm:E3} is {Describe(tensor.Health)}"));
        }
        Warnings = warnings;
    }

    /// <summary>The step this report is for.</summary>
    public long Step { get; }

    /// <summary>√(Σ‖g_i‖²) over all tensors.</summary>
    public double GlobalNorm { get; }

    /// <summary>Classification of <see cref="GlobalNorm"/>.</summary>
    public GradientHealth Health { get; }

    /// <summary>Each tensor's norm, in parameter order.</summary>
    public IReadOnlyList<TensorGradientNorm> Tensors { get; }

    /// <summary>Norms below this are vanishing.</summary>
    public double VanishingThreshold { get; }

    /// <summary>Norms above this are exploding.</summary>
    public double ExplodingThreshold { get; }

    /// <summary>One line per unhealthy norm (global first); empty when all are healthy.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Measures the gradients of <paramref name="parameters"/> for step <paramref name="step"/>.</summary>
    public static GradientNormReport Create<T>(IReadOnlyList<ParameterTensor<T>> parameters, long step,
        double vanishingThreshold = DefaultVanishingThreshold, double explodingThreshold = DefaultExplodingThreshold)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(vanishingThreshold >= 0 && vanishingThreshold < explodingThreshold))
            throw new ArgumentException($"Expected 0 <= vanishing threshold < exploding threshold, got {vanishingThreshold} and {explodingThreshold}.", nameof(vanishingThreshold));
        var tensors = new List<TensorGradientNorm>(parameters.Count);
        double sum = 0;
        foreach (var p in parameters)
        {
            var norm = GradientClipping.TensorNorm(p.Gradient.Span);
            sum += norm * norm;
            tensors.Add(new TensorGradientNorm(p.Name, norm, Classify(norm, vanishingThreshold, explodingThreshold)));
        }
        return new GradientNormReport(step, Math.Sqrt(sum), tensors, vanishingThreshold, explodingThreshold);
    }

    /// <summary>A table: the global norm, then one line per tensor with its norm and any flag.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"step {Step}: global gradient norm {GlobalNorm:E3} ({Health})");
        foreach (var t in Tensors)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {t.Name,-28} {t.Norm:E3}{(t.Health == GradientHealth.Healthy ? "" : "  " + t.Health.ToString().ToUpperInvariant())}");
        return text.ToString();
    }

    private static GradientHealth Classify(double norm, double vanishing, double exploding)
        => !double.IsFinite(norm) ? GradientHealth.NonFinite
            : norm < vanishing ? GradientHealth.Vanishing
            : norm > exploding ? GradientHealth.Exploding
            : GradientHealth.Healthy;

    private static string Describe(GradientHealth health) => health switch
    {
        GradientHealth.Vanishing => "vanishing (below the threshold)",
        GradientHealth.Exploding => "exploding (above the threshold)",
        _ => "not finite",
    };
}
