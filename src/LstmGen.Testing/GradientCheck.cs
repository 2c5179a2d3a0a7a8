using System;
using System.Collections.Generic;

namespace LstmGen.Testing;

/// <summary>How a gradient check perturbs and compares.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>Central-difference step (default 1e-6, right for double).</summary>
    public double Step { get; init; } = 1e-6;

    /// <summary>Normwise tolerance max|Δ|/max|numeric| per tensor (default 1e-6).</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Check at most this many random elements per tensor (null = every element).</summary>
    public int? SampleSize { get; init; }

    /// <summary>
    /// Fast mode (like PyTorch's <c>fast_mode</c>): compare one directional derivative per tensor along a random
    /// unit direction instead of element by element. Two forwards per tensor instead of two per element.
    /// </summary>
    public bool RandomDirection { get; init; }

    /// <summary>Seed for the element sample and the random directions.</summary>
    public int Seed { get; init; } = 12345;
}

/// <summary>
/// Checks a generated cell's analytic gradients (double kernel, BPTT) against central finite differences of the loss
/// <c>L = Σ output⊙R1 + Σ hT⊙R2 + Σ cT⊙R3</c>, for the inputs, the initial state and every parameter tensor.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks a random problem of <paramref name="steps"/> × <paramref name="batch"/> drawn from <paramref name="seed"/>.</summary>
    public static GradientCheckReport Run<TCell>(int steps, int batch, int seed, GradientCheckOptions? options = null)
        where TCell : ILstmCell<TCell>
        => Run(LstmProblem<TCell>.Random(new Random(seed), steps, batch), options);

    /// <summary>Checks the given problem. The problem's arrays are restored exactly after each perturbation.</summary>
    public static GradientCheckReport Run<TCell>(LstmProblem<TCell> problem, GradientCheckOptions? options = null)
        where TCell : ILstmCell<TCell>
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new GradientCheckOptions();
        if (!(options.Step > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.Step, "Step must be positive.");
        var random = new Random(options.Seed);
        var analytic = problem.AnalyticGradients();
        var checks = new List<TensorCheck>();
        foreach (var (name, values) in problem.Tensors())
        {
            var gradient = analytic[name];
            var check = options.RandomDirection
                ? CheckDirection(problem, name, values.Span, gradient, options, random)
                : CheckElements(problem, name, values, gradient, options, random);
            checks.Add(check with { Shape = problem.ShapeOf(name) });
        }
        return new GradientCheckReport($"{typeof(TCell).Name} ({TCell.InputSize}x{TCell.HiddenSize}, T={problem.Steps}, B={problem.Batch})", checks);
    }

    private static TensorCheck CheckElements<TCell>(LstmProblem<TCell> problem, string name, Memory<double> values, double[] gradient,
        GradientCheckOptions options, Random random)
        where TCell : ILstmCell<TCell>
    {
        var indexes = ChooseIndexes(values.Length, options.SampleSize, random);
        double maxError = 0, maxReference = 0, analyticAtWorst = 0, numericAtWorst = 0;
        var worst = -1;
        foreach (var index in indexes)
        {
            var numeric = CentralDifference(problem, values, index, options.Step);
            var error = Math.Abs(numeric - gradient[index]);
            maxReference = Math.Max(maxReference, Math.Abs(numeric));
            if (worst < 0 || error > maxError || double.IsNaN(error))
            {
                maxError = double.IsNaN(error) ? double.NaN : error;
                worst = index;
                analyticAtWorst = gradient[index];
                numericAtWorst = numeric;
                if (double.IsNaN(error)) break;
            }
        }
        return new TensorCheck(name, indexes.Length, maxError, maxReference, worst, analyticAtWorst, numericAtWorst, options.Tolerance);
    }

    private static TensorCheck CheckDirection<TCell>(LstmProblem<TCell> problem, string name, Span<double> values, double[] gradient,
        GradientCheckOptions options, Random random)
        where TCell : ILstmCell<TCell>
    {
        var direction = new double[values.Length];
        double norm = 0;
        for (var i = 0; i < direction.Length; i++)
        {
            direction[i] = random.NextDouble() * 2 - 1;
            norm += direction[i] * direction[i];
        }
        norm = Math.Sqrt(norm);
        double analytic = 0;
        for (var i = 0; i < direction.Length; i++)
        {
            direction[i] /= norm;
            analytic += direction[i] * gradient[i];
        }
        var saved = values.ToArray();
        for (var i = 0; i < values.Length; i++) values[i] = saved[i] + options.Step * direction[i];
        var plus = problem.Loss();
        for (var i = 0; i < values.Length; i++) values[i] = saved[i] - options.Step * direction[i];
        var minus = problem.Loss();
        saved.CopyTo(values);
        var numeric = (plus - minus) / (2 * options.Step);
        // The directional derivative is compared against the gradient's scale, so the tolerance means the same as elementwise.
        var scale = Math.Max(Math.Abs(numeric), MaxAbs(gradient));
        return new TensorCheck(name, 1, Math.Abs(numeric - analytic), scale, -1, analytic, numeric, options.Tolerance);
    }

    private static double CentralDifference<TCell>(LstmProblem<TCell> problem, Memory<double> values, int index, double step)
        where TCell : ILstmCell<TCell>
    {
        var span = values.Span;
        var original = span[index];
        span[index] = original + step;
        var plus = problem.Loss();
        span = values.Span;
        span[index] = original - step;
        var minus = problem.Loss();
        values.Span[index] = original;
        // Divide by the step actually taken, which differs from 'step' by rounding of original ± step.
        return (plus - minus) / ((original + step) - (original - step));
    }

    private static int[] ChooseIndexes(int length, int? sampleSize, Random random)
    {
        if (sampleSize is null || sampleSize.Value >= length)
        {
            var all = new int[length];
            for (var i = 0; i < length; i++) all[i] = i;
            return all;
        }
        var chosen = new HashSet<int>();
        while (chosen.Count < sampleSize.Value) chosen.Add(random.Next(length));
        var sample = new int[chosen.Count];
        chosen.CopyTo(sample);
        Array.Sort(sample);
        return sample;
    }

    private static double MaxAbs(double[] values)
    {
        double max = 0;
        foreach (var v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
