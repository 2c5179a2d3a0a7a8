using System;
using System.Collections.Generic;

namespace LstmGen.Optimizers;

/// <summary>Whether a lower or a higher metric is better.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss).</summary>
    Min,

    /// <summary>Higher is better (an accuracy).</summary>
    Max,
}

/// <summary>
/// <c>ReduceLROnPlateau</c>: after more than <see cref="Patience"/> epochs without improvement of the metric, multiply
/// the rate by <see cref="Factor"/> (not below <see cref="MinimumLearningRate"/>), then wait <see cref="Cooldown"/>
/// epochs. An improvement is relative (better than best·(1 ∓ threshold)), as PyTorch's default <c>threshold_mode='rel'</c>.
/// </summary>
public sealed class ReduceLearningRateOnPlateau : LearningRateSchedule
{
    private double _best;
    private int _badEpochs, _cooldownCounter;

    /// <summary>Creates the schedule with PyTorch's defaults.</summary>
    public ReduceLearningRateOnPlateau(IOptimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, int cooldown = 0, double minimumLearningRate = 0, double epsilon = 1e-8)
        : base(optimizer)
    {
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "'factor' must be in (0, 1).");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "'patience' must be non-negative.");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "'cooldown' must be non-negative.");
        if (!(threshold >= 0)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "'threshold' must be non-negative.");
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        Cooldown = cooldown;
        MinimumLearningRate = minimumLearningRate;
        Epsilon = epsilon;
        _best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>Whether lower or higher is better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>Rate multiplier on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Relative improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>Lower bound of the rate.</summary>
    public double MinimumLearningRate { get; }

    /// <summary>Reductions smaller than this are skipped.</summary>
    public double Epsilon { get; }

    /// <summary>Best metric seen.</summary>
    public double Best => _best;

    /// <summary>Ends an epoch with its <paramref name="metric"/> (e.g. validation loss) and adjusts the rate.</summary>
    public void Step(double metric)
    {
        AdvanceEpoch();
        if (IsBetter(metric))
        {
            _best = metric;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }
        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            _badEpochs = 0;
        }
        if (_badEpochs > Patience)
        {
            var old = Optimizer.LearningRate;
            var reduced = Math.Max(old * Factor, MinimumLearningRate);
            if (old - reduced > Epsilon) Optimizer.LearningRate = reduced;
            _cooldownCounter = Cooldown;
            _badEpochs = 0;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> GetState()
    {
        var state = new Dictionary<string, double>(base.GetState())
        {
            ["best"] = _best, ["num_bad_epochs"] = _badEpochs, ["cooldown_counter"] = _cooldownCounter,
        };
        return state;
    }

    internal override void CheckState(IReadOnlyDictionary<string, double> state, List<string> problems)
    {
        base.CheckState(state, problems);
        if (!state.TryGetValue("best", out var best)) problems.Add("the schedule state has no 'best'.");
        else if (double.IsNaN(best)) problems.Add("the schedule state's 'best' is NaN.");
        CheckCount(state, "num_bad_epochs", problems);
        CheckCount(state, "cooldown_counter", problems);
    }

    /// <inheritdoc/>
    public override void SetState(IReadOnlyDictionary<string, double> state)
    {
        base.SetState(state);
        _best = Read(state, "best");
        _badEpochs = checked((int)Read(state, "num_bad_epochs"));
        _cooldownCounter = checked((int)Read(state, "cooldown_counter"));
    }

    // PyTorch's rule verbatim (threshold_mode 'rel'): min: a < best·(1 − threshold); max: a > best·(1 + threshold).
    private bool IsBetter(double metric) => Mode == PlateauMode.Min
        ? metric < _best * (1 - Threshold)
        : metric > _best * (1 + Threshold);
}
