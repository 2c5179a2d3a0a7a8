using System;
using System.Collections.Generic;
using LstmGen.Training;

namespace LstmGen.Testing;

/// <summary>One tensor for <see cref="NetworkGradientCheck"/>: its values (perturbed in place) and its analytic gradient.</summary>
/// <param name="Name">Name shown in the report.</param>
/// <param name="Values">The values the loss reads; each is perturbed and restored exactly.</param>
/// <param name="Analytic">The analytic gradient of the loss with respect to <paramref name="Values"/>.</param>
public sealed record CheckedTensor(string Name, Memory<double> Values, double[] Analytic)
{
    /// <summary>Row-major shape, for reporting the worst element as <c>name[i, j]</c> (null: flat index).</summary>
    public IReadOnlyList<int>? Shape { get; init; }
}

/// <summary>How <see cref="NetworkGradientCheck"/> differentiates numerically.</summary>
public sealed record NetworkGradientCheckOptions
{
    /// <summary>Finite-difference step (default 1e-3, right for the fourth-order stencil in double).</summary>
    public double Step { get; init; } = 1e-3;

    /// <summary>
    /// Use the fourth-order central stencil (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h (default) instead of the
    /// second-order (f(x+h) − f(x−h)) / 2h.
    /// </summary>
    public bool FourthOrder { get; init; } = true;

    /// <summary>Normwise tolerance max|Δ|/max|numeric| per tensor (default 1e-6).</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Check at most this many random elements per tensor (null = every element).</summary>
    public int? SampleSize { get; init; }

    /// <summary>Seed for the element sample.</summary>
    public int Seed { get; init; } = 12345;
}

/// <summary>
/// Finite-difference checks of any scalar loss, for whole networks (layers, heads, losses) in double precision:
/// each element of each tensor is moved, the loss recomputed, and the slope compared normwise with the analytic
/// gradient, the same measure and report as <see cref="GradientCheck"/>.
/// </summary>
/// <remarks>
/// A whole network's loss is O(1) while some tensors' gradients are far smaller (a bottom layer's recurrent weights
/// over short sequences: 1e-6 is common). Central differences at step 1e-6 carry a rounding floor of about
/// ε·|L|/h ≈ 1e-10 absolute, which is 1e-4 of such a gradient. The default fourth-order stencil at step 1e-3 has
/// truncation error O(h⁴) and a rounding floor near 1e-13, so the 1e-6 normwise tolerance holds for every tensor.
/// </remarks>
public static class NetworkGradientCheck
{
    /// <summary>Checks <paramref name="tensors"/> against <paramref name="loss"/> (which must not change anything it reads).</summary>
    public static GradientCheckReport Run(string subject, Func<double> loss, IEnumerable<CheckedTensor> tensors, NetworkGradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(tensors);
        options ??= new NetworkGradientCheckOptions();
        if (!(options.Step > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.Step, "Step must be positive.");
        var random = new Random(options.Seed);
        var checks = new List<TensorCheck>();
        foreach (var tensor in tensors)
        {
            if (tensor.Analytic.Length != tensor.Values.Length)
                throw new ArgumentException($"Tensor '{tensor.Name}' has {tensor.Values.Length} values but {tensor.Analytic.Length} gradient entries.", nameof(tensors));
            var count = options.SampleSize is { } sample ? Math.Min(sample, tensor.Values.Length) : tensor.Values.Length;
            var indexes = Indexes(tensor.Values.Length, count, random);
            double maxError = 0, maxReference = 0, analyticAtWorst = 0, numericAtWorst = 0;
            var worst = -1;
            foreach (var index in indexes)
            {
                var numeric = Derivative(loss, tensor.Values, index, options);
                var error = Math.Abs(numeric - tensor.Analytic[index]);
                maxReference = Math.Max(maxReference, Math.Abs(numeric));
                if (worst < 0 || error > maxError || double.IsNaN(error))
                {
                    maxError = double.IsNaN(error) ? double.NaN : error;
                    worst = index;
                    analyticAtWorst = tensor.Analytic[index];
                    numericAtWorst = numeric;
                    if (double.IsNaN(error)) break;
                }
            }
            checks.Add(new TensorCheck(tensor.Name, indexes.Length, maxError, maxReference, worst, analyticAtWorst, numericAtWorst, options.Tolerance) { Shape = tensor.Shape });
        }
        return new GradientCheckReport(subject, checks);
    }

    /// <summary>The tensors of a network (values and accumulated gradients) as <see cref="CheckedTensor"/>s.</summary>
    public static IEnumerable<CheckedTensor> Parameters(IReadOnlyList<ParameterTensor<double>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var tensor in parameters) yield return new CheckedTensor(tensor.Name, tensor.Value, tensor.Gradient.ToArray()) { Shape = tensor.ShapeArray() };
    }

    private static double Derivative(Func<double> loss, Memory<double> values, int index, NetworkGradientCheckOptions options)
    {
        var original = values.Span[index];
        double At(double offset)
        {
            values.Span[index] = original + offset;
            return loss();
        }
        var h = options.Step;
        // Divide by the steps actually taken (original ± h is rounded).
        var step = ((original + h) - (original - h)) / 2;
        double result = options.FourthOrder
            ? (-At(2 * h) + 8 * At(h) - 8 * At(-h) + At(-2 * h)) / (12 * step)
            : (At(h) - At(-h)) / (2 * step);
        values.Span[index] = original;
        return result;
    }

    private static int[] Indexes(int length, int count, Random random)
    {
        if (count >= length)
        {
            var all = new int[length];
            for (var i = 0; i < length; i++) all[i] = i;
            return all;
        }
        var chosen = new SortedSet<int>();
        while (chosen.Count < count) chosen.Add(random.Next(length));
        var result = new int[count];
        chosen.CopyTo(result);
        return result;
    }
}
