using System;
using System.Collections.Generic;
using System.Numerics;
using LstmGen.Training;

namespace LstmGen.Optimizers;

/// <summary>
/// Base of the optimisers: holds the tensors it updates, the learning rate, the step count and per-tensor state
/// buffers (e.g. Adam's moments), all of which a checkpoint saves. Updates follow PyTorch's formulas
/// (<c>torch.optim</c>, single-tensor implementation) in the parameters' precision.
/// </summary>
public abstract class Optimizer<T> : IOptimizer where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterTensor<T>[] _parameters;
    private readonly Dictionary<string, T[][]> _state = new(StringComparer.Ordinal);
    private double _learningRate;

    /// <summary>Creates an optimiser over <paramref name="parameters"/> with per-tensor state buffers named <paramref name="stateNames"/>.</summary>
    protected Optimizer(IReadOnlyList<ParameterTensor<T>> parameters, double learningRate, params string[] stateNames)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(stateNames);
        _parameters = new List<ParameterTensor<T>>(parameters).ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in _parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (!names.Add(p.Name)) throw new ArgumentException($"Two parameters are named '{p.Name}'.", nameof(parameters));
        }
        LearningRate = learningRate;
        foreach (var name in stateNames)
        {
            var buffers = new T[_parameters.Length][];
            for (var i = 0; i < buffers.Length; i++) buffers[i] = new T[_parameters[i].Length];
            _state.Add(name, buffers);
        }
        StateNames = stateNames;
    }

    /// <summary>The tensors this optimiser updates.</summary>
    public IReadOnlyList<ParameterTensor<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and non-negative.");
            _learningRate = value;
        }
    }

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <summary>Names of the per-tensor state buffers (e.g. <c>exp_avg</c>, <c>exp_avg_sq</c>); empty for plain SGD.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>The hyperparameters, for checkpoints and messages.</summary>
    public abstract IReadOnlyDictionary<string, double> Hyperparameters { get; }

    /// <summary>Applies one update to every tensor from its accumulated gradient.</summary>
    /// <remarks>
    /// In finite-check mode (<see cref="Lstm.CheckFiniteValues"/>) the step first scans every gradient and value and
    /// throws a <see cref="NonFiniteValueException"/> naming the first NaN or ∞ (pass <c>optimiser step N</c>, tensor
    /// <c>gradient of NAME</c> or <c>NAME</c>, flat index) before changing anything; after the update it scans the new
    /// values and state buffers, so an update that overflows (e.g. a huge learning rate) is reported by tensor too.
    /// </remarks>
    public void Step()
    {
        var check = Lstm.CheckFiniteValues;
        var pass = check ? $"optimiser step {StepCount + 1}" : "";
        if (check)
        {
            foreach (var p in _parameters) FiniteCheck.Flat(pass, "gradient of " + p.Name, p.Gradient.Span);
            foreach (var p in _parameters) FiniteCheck.Flat(pass, p.Name, p.Value.Span);
        }
        StepCount++;
        for (var i = 0; i < _parameters.Length; i++)
            Update(i, _parameters[i].Value.Span, _parameters[i].Gradient.Span);
        if (check)
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                FiniteCheck.Flat(pass, _parameters[i].Name, _parameters[i].Value.Span);
                foreach (var name in StateNames) FiniteCheck.Flat(pass, $"{name} of {_parameters[i].Name}", State(name, i));
            }
        }
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var p in _parameters) p.Gradient.Span.Clear();
    }

    /// <summary>The state buffer <paramref name="name"/> of tensor <paramref name="index"/> (same length as the tensor).</summary>
    public Span<T> State(string name, int index)
    {
        if (!_state.TryGetValue(name, out var buffers))
            throw new KeyNotFoundException($"{GetType().Name} has no state '{name}'; it has: {string.Join(", ", StateNames)}.");
        return buffers[index];
    }

    /// <summary>The state buffer <paramref name="name"/> of tensor <paramref name="index"/> as memory (checkpoints write into it).</summary>
    public Memory<T> StateMemory(string name, int index)
    {
        if (!_state.TryGetValue(name, out var buffers))
            throw new KeyNotFoundException($"{GetType().Name} has no state '{name}'; it has: {string.Join(", ", StateNames)}.");
        return buffers[index];
    }

    /// <summary>Restores the step count (checkpoints).</summary>
    public void RestoreStepCount(long stepCount)
    {
        if (stepCount < 0) throw new ArgumentOutOfRangeException(nameof(stepCount), stepCount, "The step count must be non-negative.");
        StepCount = stepCount;
    }

    /// <summary>Updates tensor <paramref name="index"/>; <see cref="StepCount"/> is already the number of this step (1 for the first).</summary>
    protected abstract void Update(int index, Span<T> value, ReadOnlySpan<T> gradient);

    /// <summary>Converts a hyperparameter to the parameters' precision.</summary>
    protected static T Scalar(double value) => T.CreateChecked(value);

    /// <summary>Throws unless <paramref name="value"/> is finite and within [<paramref name="low"/>, <paramref name="high"/>).</summary>
    protected static double InRange(double value, double low, double high, string name)
    {
        if (!(value >= low && value < high)) throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be in [{low}, {high}).");
        return value;
    }
}
