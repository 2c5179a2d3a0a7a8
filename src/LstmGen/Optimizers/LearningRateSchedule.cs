using System;
using System.Collections.Generic;

namespace LstmGen.Optimizers;

/// <summary>
/// Base of the learning-rate schedules: each sets the optimiser's learning rate as epochs (or steps — whatever the
/// caller counts) pass, like <c>torch.optim.lr_scheduler</c>. The base rate is the optimiser's rate when the schedule
/// is created; epoch 0 uses it unchanged.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Attaches to <paramref name="optimizer"/>.</summary>
    protected LearningRateSchedule(IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimiser whose rate is set.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The starting rate.</summary>
    public double BaseLearningRate { get; private set; }

    /// <summary>Number of <c>Step</c> calls so far (PyTorch's <c>last_epoch</c>).</summary>
    public int Epoch { get; private set; }

    /// <summary>The schedule's state (epoch, base rate and any counters), for checkpoints.</summary>
    public virtual IReadOnlyDictionary<string, double> GetState() => new Dictionary<string, double>
    {
        ["epoch"] = Epoch, ["base_lr"] = BaseLearningRate, ["lr"] = Optimizer.LearningRate,
    };

    /// <summary>Restores a state from <see cref="GetState"/> (and the optimiser's rate with it).</summary>
    public virtual void SetState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        CheckState(state, problems);
        if (problems.Count > 0) throw new ArgumentException("Invalid schedule state: " + string.Join(" ", problems), nameof(state));
        Epoch = checked((int)Read(state, "epoch"));
        BaseLearningRate = Read(state, "base_lr");
        Optimizer.LearningRate = Read(state, "lr");
    }

    /// <summary>
    /// Adds to <paramref name="problems"/> every reason <see cref="SetState"/> would reject <paramref name="state"/>, so a
    /// checkpoint can be validated completely before anything is restored.
    /// </summary>
    internal virtual void CheckState(IReadOnlyDictionary<string, double> state, List<string> problems)
    {
        CheckCount(state, "epoch", problems);
        CheckRate(state, "base_lr", problems);
        CheckRate(state, "lr", problems);
    }

    private protected static void CheckCount(IReadOnlyDictionary<string, double> state, string key, List<string> problems)
    {
        if (!state.TryGetValue(key, out var value)) problems.Add($"the schedule state has no '{key}'.");
        else if (!(value >= 0 && value <= int.MaxValue && Math.Floor(value) == value)) problems.Add($"the schedule state's '{key}' is {value}, expected a non-negative integer.");
    }

    private static void CheckRate(IReadOnlyDictionary<string, double> state, string key, List<string> problems)
    {
        if (!state.TryGetValue(key, out var value)) problems.Add($"the schedule state has no '{key}'.");
        else if (!(value >= 0 && double.IsFinite(value))) problems.Add($"the schedule state's '{key}' is {value}, expected a finite non-negative rate.");
    }

    /// <summary>Advances the epoch counter.</summary>
    protected void AdvanceEpoch() => Epoch++;

    /// <summary>Reads a key of a saved state or throws naming it.</summary>
    protected static double Read(IReadOnlyDictionary<string, double> state, string key)
        => state.TryGetValue(key, out var value) ? value : throw new ArgumentException($"The schedule state has no '{key}'.", nameof(state));
}

/// <summary><c>StepLR</c>: lr = base · γ^⌊epoch / stepSize⌋.</summary>
public sealed class StepLearningRate : LearningRateSchedule
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepLearningRate(IOptimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        Guard.Positive(stepSize, nameof(stepSize));
        if (!(gamma > 0) || !double.IsFinite(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "'gamma' must be positive.");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <summary>Ends an epoch and sets the next epoch's rate.</summary>
    public void Step()
    {
        AdvanceEpoch();
        Optimizer.LearningRate = BaseLearningRate * Math.Pow(Gamma, Epoch / StepSize);
    }
}

/// <summary><c>CosineAnnealingLR</c> (closed form): lr = η_min + (base − η_min)·(1 + cos(π·epoch/T_max))/2.</summary>
public sealed class CosineLearningRate : LearningRateSchedule
{
    /// <summary>Anneals from the base rate to <paramref name="minimum"/> over <paramref name="period"/> epochs.</summary>
    public CosineLearningRate(IOptimizer optimizer, int period, double minimum = 0) : base(optimizer)
    {
        Guard.Positive(period, nameof(period));
        if (!(minimum >= 0) || !double.IsFinite(minimum)) throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "'minimum' must be finite and non-negative.");
        Period = period;
        Minimum = minimum;
    }

    /// <summary>T_max: epochs from the base rate to the minimum.</summary>
    public int Period { get; }

    /// <summary>η_min.</summary>
    public double Minimum { get; }

    /// <summary>Ends an epoch and sets the next epoch's rate.</summary>
    public void Step()
    {
        AdvanceEpoch();
        Optimizer.LearningRate = Minimum + (BaseLearningRate - Minimum) * (1 + Math.Cos(Math.PI * Epoch / Period)) / 2;
    }
}
