using System;
using System.Collections.Generic;

namespace LstmGen;

/// <summary>
/// The shape of a batch of sequences: <see cref="Steps"/> padded steps × <see cref="Batch"/> samples in a
/// <see cref="SequenceLayout"/>, and optionally each sample's true length.
/// </summary>
/// <remarks>
/// <para>
/// Variable lengths follow PyTorch's packed sequences (<c>pack_padded_sequence</c> → <c>nn.LSTM</c> →
/// <c>pad_packed_sequence</c>): sample <c>b</c> is the prefix of <see cref="Length"/>(b) steps; the steps after it are
/// padding. Padding never reaches the recurrence — the forward direction's final state is the state after the
/// sample's last real step, the reverse direction starts at that step — its outputs are zero, and the gradient
/// given for padded outputs is ignored (padded inputs receive zero gradient). Whatever the padding holds, even NaN,
/// has no effect.
/// </para>
/// <para>A shape is immutable; reuse one object for batches of the same shape to reuse its packing plan.</para>
/// </remarks>
public sealed class SequenceShape
{
    private readonly int[]? _lengths;
    private PackedPlan? _plan;

    /// <summary>A batch in which every sample has all <paramref name="steps"/> steps.</summary>
    public SequenceShape(int steps, int batch, SequenceLayout layout = SequenceLayout.TimeMajor)
        : this(steps, batch, layout, null)
    {
    }

    /// <summary>
    /// A batch of variable-length samples: <paramref name="lengths"/>[b] real steps for sample b, each between 0
    /// and <paramref name="steps"/> (a length of 0 leaves the sample's state at its initial value). Null means every
    /// sample is full length.
    /// </summary>
    public SequenceShape(int steps, int batch, SequenceLayout layout, IReadOnlyList<int>? lengths)
    {
        Guard.Positive(steps, nameof(steps));
        Guard.Positive(batch, nameof(batch));
        if (layout is not (SequenceLayout.TimeMajor or SequenceLayout.BatchFirst))
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown sequence layout.");
        Steps = steps;
        Batch = batch;
        Layout = layout;
        if (lengths is not null)
        {
            if (lengths.Count != batch)
                throw new ArgumentException($"'lengths' has {lengths.Count} entries, expected one per sample ({batch}).", nameof(lengths));
            var copy = new int[batch];
            var allFull = true;
            for (var b = 0; b < batch; b++)
            {
                var length = lengths[b];
                if (length < 0 || length > steps)
                    throw new ArgumentOutOfRangeException(nameof(lengths), length, $"'lengths'[{b}] is {length}, expected 0 to {steps} (the padded steps).");
                copy[b] = length;
                allFull &= length == steps;
            }
            _lengths = allFull ? null : copy;
        }
    }

    /// <summary>Padded number of steps T.</summary>
    public int Steps { get; }

    /// <summary>Number of samples B.</summary>
    public int Batch { get; }

    /// <summary>Row order of the buffers this shape describes.</summary>
    public SequenceLayout Layout { get; }

    /// <summary>Number of rows, T × B.</summary>
    public int Rows => Steps * Batch;

    /// <summary>Whether some sample is shorter than <see cref="Steps"/>.</summary>
    public bool IsVariableLength => _lengths is not null;

    /// <summary>Real steps of sample <paramref name="b"/>.</summary>
    public int Length(int b)
    {
        if ((uint)b >= (uint)Batch) throw new ArgumentOutOfRangeException(nameof(b), b, $"Sample index must be below {Batch}.");
        return _lengths is null ? Steps : _lengths[b];
    }

    /// <summary>Total number of real (unpadded) steps over the batch.</summary>
    public int ValidRows
    {
        get
        {
            if (_lengths is null) return Rows;
            var sum = 0;
            foreach (var length in _lengths) sum += length;
            return sum;
        }
    }

    /// <summary>The row holding step <paramref name="t"/> of sample <paramref name="b"/>.</summary>
    public int Row(int t, int b) => Layout == SequenceLayout.TimeMajor ? t * Batch + b : b * Steps + t;

    /// <summary>Whether step <paramref name="t"/> of sample <paramref name="b"/> is real (not padding).</summary>
    public bool IsValid(int t, int b) => _lengths is null || t < _lengths[b];

    /// <summary>Whether a row (in this shape's layout) is a real step.</summary>
    public bool IsValidRow(int row)
    {
        if (_lengths is null) return true;
        var (t, b) = Layout == SequenceLayout.TimeMajor ? (row / Batch, row % Batch) : (row % Steps, row / Steps);
        return t < _lengths[b];
    }

    /// <summary>The same samples with the other layout (or this layout).</summary>
    public SequenceShape WithLayout(SequenceLayout layout)
        => layout == Layout ? this : new SequenceShape(Steps, Batch, layout, _lengths);

    /// <inheritdoc/>
    public override string ToString()
        => $"{Steps} steps × {Batch} samples, {Layout}{(_lengths is null ? "" : $", lengths [{string.Join(", ", _lengths)}]")}";

    internal PackedPlan Plan => _plan ??= new PackedPlan(this);
}
