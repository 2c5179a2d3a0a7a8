using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace LstmGen.Training;

/// <summary>
/// Softmax cross-entropy with integer labels, PyTorch's <c>F.cross_entropy</c> (reduction <c>mean</c>): the mean over
/// the counted rows of <c>logsumexp(z) − z[label]</c>, with the log-sum-exp taken after subtracting the row maximum so
/// no exponential overflows.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>The label that marks a row as not counted (PyTorch's default <c>ignore_index</c>).</summary>
    public const int IgnoreIndex = -100;

    /// <summary>
    /// The mean loss over rows whose label is not <paramref name="ignoreIndex"/>, and (unless
    /// <paramref name="dLogits"/> is empty) its gradient: (softmax(z) − onehot(label)) / count on counted rows, zero on
    /// the others. With no counted row the loss and gradient are zero.
    /// </summary>
    /// <param name="logits">[rows × <paramref name="classes"/>].</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="labels">[rows], each in [0, classes) or <paramref name="ignoreIndex"/>.</param>
    /// <param name="dLogits">[rows × classes], overwritten; or empty.</param>
    /// <param name="ignoreIndex">The label of rows not counted.</param>
    public static double Compute<T>(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> labels, Span<T> dLogits, int ignoreIndex = IgnoreIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Positive(classes, nameof(classes));
        Guard.Length(logits.Length, (long)labels.Length * classes, nameof(logits), $"rows {labels.Length} × classes {classes}");
        if (!dLogits.IsEmpty) Guard.Length(dLogits.Length, logits.Length, nameof(dLogits), $"rows {labels.Length} × classes {classes}");
        var count = 0;
        for (var r = 0; r < labels.Length; r++)
        {
            if (labels[r] == ignoreIndex) continue;
            if ((uint)labels[r] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[r], $"Label {labels[r]} at row {r} is outside [0, {classes}) and is not the ignore index {ignoreIndex}.");
            count++;
        }
        return Sum(logits, classes, labels, dLogits, null, ignoreIndex, count);
    }

    /// <summary>
    /// The mean loss over the real steps of a batch of sequences whose label is not <see cref="IgnoreIndex"/> (padded
    /// rows are not counted, whatever their label), and its gradient (zero on rows not counted).
    /// <paramref name="labels"/> are [rows] in <paramref name="shape"/>'s layout.
    /// </summary>
    public static double Compute<T>(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> labels, SequenceShape shape, Span<T> dLogits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        Guard.Positive(classes, nameof(classes));
        Guard.Length(labels.Length, shape.Rows, nameof(labels), $"steps {shape.Steps} × batch {shape.Batch}");
        Guard.Length(logits.Length, (long)shape.Rows * classes, nameof(logits), $"rows {shape.Rows} × classes {classes}");
        if (!dLogits.IsEmpty) Guard.Length(dLogits.Length, logits.Length, nameof(dLogits), $"rows {shape.Rows} × classes {classes}");
        var count = 0;
        for (var r = 0; r < labels.Length; r++)
        {
            if (!shape.IsValidRow(r) || labels[r] == IgnoreIndex) continue;
            if ((uint)labels[r] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[r], $"Label {labels[r]} at row {r} (a real step) is outside [0, {classes}) and is not the ignore index {IgnoreIndex}.");
            count++;
        }
        return Sum(logits, classes, labels, dLogits, shape, IgnoreIndex, count);
    }

    /// <summary>The class with the largest logit in each row, into <paramref name="predictions"/> [rows].</summary>
    public static void Argmax<T>(ReadOnlySpan<T> logits, int classes, Span<int> predictions) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Positive(classes, nameof(classes));
        Guard.Length(logits.Length, (long)predictions.Length * classes, nameof(logits), $"rows {predictions.Length} × classes {classes}");
        for (var r = 0; r < predictions.Length; r++)
            predictions[r] = TensorPrimitives.IndexOfMax(logits.Slice(r * classes, classes));
    }

    private static double Sum<T>(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> labels, Span<T> dLogits, SequenceShape? shape, int ignoreIndex, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!dLogits.IsEmpty) dLogits.Clear();
        if (count == 0) return 0;
        var pooled = ArrayPool<T>.Shared.Rent(classes);
        try
        {
            var scratch = pooled.AsSpan(0, classes);
            var inverseCount = T.One / T.CreateChecked(count);
            double total = 0;
            for (var r = 0; r < labels.Length; r++)
            {
                if (labels[r] == ignoreIndex || shape is not null && !shape.IsValidRow(r)) continue;
                var row = logits.Slice(r * classes, classes);
                var max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, scratch);
                TensorPrimitives.Exp(scratch, scratch);
                var logSum = T.Log(TensorPrimitives.Sum<T>(scratch));
                var label = labels[r];
                total += double.CreateChecked(logSum - (row[label] - max));
                if (dLogits.IsEmpty) continue;
                // softmax = exp(z − max) / Σ = exp(z − max − log Σ); divided by the count for the mean.
                var gradient = dLogits.Slice(r * classes, classes);
                TensorPrimitives.Multiply(scratch, inverseCount / TensorPrimitives.Sum<T>(scratch), gradient);
                gradient[label] -= inverseCount;
            }
            return total / count;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(pooled);
        }
    }
}
