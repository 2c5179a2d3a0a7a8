using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace LstmGen.Training;

/// <summary>
/// Takes a <see cref="GradientNormReport"/> every step, keeps the global norms and every warning, and writes the
/// warnings to an optional log as they happen.
/// </summary>
public sealed class GradientMonitor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IReadOnlyList<ParameterTensor<T>> _parameters;
    private readonly List<double> _norms = new();
    private readonly List<string> _warnings = new();

    /// <summary>Monitors <paramref name="parameters"/>; warnings also go to <paramref name="log"/> if given.</summary>
    public GradientMonitor(IReadOnlyList<ParameterTensor<T>> parameters, TextWriter? log = null,
        double vanishingThreshold = GradientNormReport.DefaultVanishingThreshold, double explodingThreshold = GradientNormReport.DefaultExplodingThreshold)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        Log = log;
        VanishingThreshold = vanishingThreshold;
        ExplodingThreshold = explodingThreshold;
    }

    /// <summary>Where warnings are written (null: nowhere).</summary>
    public TextWriter? Log { get; }

    /// <summary>Vanishing threshold.</summary>
    public double VanishingThreshold { get; }

    /// <summary>Exploding threshold.</summary>
    public double ExplodingThreshold { get; }

    /// <summary>The global norm of every recorded step, in order.</summary>
    public IReadOnlyList<double> GlobalNorms => _norms;

    /// <summary>Every warning so far.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Measures the current gradients as step <paramref name="step"/>.</summary>
    public GradientNormReport Record(long step)
    {
        var report = GradientNormReport.Create(_parameters, step, VanishingThreshold, ExplodingThreshold);
        _norms.Add(report.GlobalNorm);
        foreach (var warning in report.Warnings)
        {
            _warnings.Add(warning);
            Log?.WriteLine("warning: " + warning);
        }
        return report;
    }
}
