using System;
using System.Numerics;

namespace LstmGen.Training;

/// <summary>Mean squared error, PyTorch's <c>F.mse_loss</c> (reduction <c>mean</c>): Σ(p − y)² / n over the counted elements.</summary>
public static class MeanSquaredError
{
    /// <summary>The mean over all elements, and (unless <paramref name="dPrediction"/> is empty) its gradient 2(p − y)/n.</summary>
    public static double Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> dPrediction)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Length(target.Length, prediction.Length, nameof(target));
        if (!dPrediction.IsEmpty) Guard.Length(dPrediction.Length, prediction.Length, nameof(dPrediction));
        if (prediction.IsEmpty) return 0;
        return Sum(prediction, target, dPrediction, prediction.Length, prediction.Length, null);
    }

    /// <summary>
    /// The mean over the real steps of a batch of sequences with <paramref name="features"/> values per row (padded rows
    /// are not counted), and its gradient (zero on padded rows). Rows are in <paramref name="shape"/>'s layout.
    /// </summary>
    public static double Compute<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, int features, SequenceShape shape, Span<T> dPrediction)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        Guard.Positive(features, nameof(features));
        Guard.Length(prediction.Length, (long)shape.Rows * features, nameof(prediction), $"rows {shape.Rows} × features {features}");
        Guard.Length(target.Length, prediction.Length, nameof(target));
        if (!dPrediction.IsEmpty) Guard.Length(dPrediction.Length, prediction.Length, nameof(dPrediction));
        var count = (long)shape.ValidRows * features;
        return Sum(prediction, target, dPrediction, features, count, shape);
    }

    private static double Sum<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> dPrediction, int features, long count, SequenceShape? shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!dPrediction.IsEmpty) dPrediction.Clear();
        if (count == 0) return 0;
        var scale = T.CreateChecked(2.0 / count);
        double total = 0;
        for (var row = 0; row * features < prediction.Length; row++)
        {
            if (shape is not null && !shape.IsValidRow(row)) continue;
            for (var i = row * features; i < (row + 1) * features; i++)
            {
                var difference = prediction[i] - target[i];
                total += double.CreateChecked(difference * difference);
                if (!dPrediction.IsEmpty) dPrediction[i] = scale * difference;
            }
        }
        return total / count;
    }
}
