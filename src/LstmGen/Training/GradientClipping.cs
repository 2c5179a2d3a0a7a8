using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;

namespace LstmGen.Training;

/// <summary>Gradient clipping, as <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>.</summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all gradients together, √(Σ‖g_i‖²), accumulated in double.</summary>
    public static double GlobalNorm<T>(IReadOnlyList<ParameterTensor<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        foreach (var p in parameters)
        {
            var norm = TensorNorm(p.Gradient.Span);
            sum += norm * norm;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Scales every gradient by min(1, maxNorm / (norm + 1e-6)) where norm is the <see cref="GlobalNorm"/>, so the total
    /// norm is at most <paramref name="maxNorm"/>; returns the norm before clipping. A non-finite norm throws when
    /// <paramref name="errorIfNonFinite"/> (nothing is changed), else scales as PyTorch does (the gradients become NaN).
    /// </summary>
    public static double ClipByGlobalNorm<T>(IReadOnlyList<ParameterTensor<T>> parameters, double maxNorm, bool errorIfNonFinite = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "'maxNorm' must be positive.");
        var norm = GlobalNorm(parameters);
        if (!double.IsFinite(norm) && errorIfNonFinite)
            throw new InvalidOperationException($"The total gradient norm is {norm}; clipping it is meaningless.");
        var coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1 || double.IsNaN(coefficient))
        {
            var scale = T.CreateChecked(coefficient);
            foreach (var p in parameters) TensorPrimitives.Multiply(p.Gradient.Span, scale, p.Gradient.Span);
        }
        return norm;
    }

    /// <summary>Clamps every gradient element to [−<paramref name="clipValue"/>, <paramref name="clipValue"/>].</summary>
    public static void ClipByValue<T>(IReadOnlyList<ParameterTensor<T>> parameters, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0)) throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "'clipValue' must be non-negative.");
        T high = T.CreateChecked(clipValue), low = -high;
        foreach (var p in parameters)
        {
            var g = p.Gradient.Span;
            TensorPrimitives.Min(g, high, g);
            TensorPrimitives.Max(g, low, g);
        }
    }

    internal static double TensorNorm<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Accumulate in double: a float sum of squares over a large tensor would lose digits the report shows.
        double sum = 0;
        foreach (var v in values)
        {
            var d = double.CreateChecked(v);
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }
}
