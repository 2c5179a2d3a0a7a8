using System;
using System.Collections.Generic;

namespace LstmGen;

/// <summary>
/// How a <see cref="SequenceShape"/> is packed for the fixed-length kernels, as PyTorch's <c>PackedSequence</c>:
/// samples sorted by length (longest first, ties by index), and packed step t holding the rows of the
/// <see cref="BatchSizes"/>[t] samples still running. Runs of steps with the same batch size are
/// <see cref="Segments"/>; each is one kernel call over a contiguous slice of the packed buffer.
/// </summary>
internal sealed class PackedPlan
{
    public PackedPlan(SequenceShape shape)
    {
        Shape = shape;
        var batch = shape.Batch;
        Order = new int[batch];
        Lengths = new int[batch];
        for (var b = 0; b < batch; b++) Order[b] = b;
        // Ties are broken by sample index, so the order (and every result) is deterministic.
        Array.Sort(Order, (a, b) => shape.Length(a) != shape.Length(b) ? shape.Length(b).CompareTo(shape.Length(a)) : a.CompareTo(b));
        Rank = new int[batch];
        for (var j = 0; j < batch; j++)
        {
            Rank[Order[j]] = j;
            Lengths[j] = shape.Length(Order[j]);
        }
        MaxLength = batch == 0 ? 0 : Lengths[0];
        BatchSizes = new int[MaxLength];
        RowStart = new int[MaxLength + 1];
        for (var t = 0; t < MaxLength; t++)
        {
            var active = 0;
            while (active < batch && Lengths[active] > t) active++;
            BatchSizes[t] = active;
            RowStart[t + 1] = RowStart[t] + active;
        }
        PackedRows = RowStart[MaxLength];
        var segments = new List<Segment>();
        for (var t = 0; t < MaxLength;)
        {
            var start = t;
            while (t < MaxLength && BatchSizes[t] == BatchSizes[start]) t++;
            segments.Add(new Segment(start, t - start, BatchSizes[start]));
        }
        Segments = segments.ToArray();
    }

    /// <summary>One kernel call: <see cref="Steps"/> packed steps from <see cref="Start"/>, <see cref="Active"/> samples each.</summary>
    public readonly record struct Segment(int Start, int Steps, int Active);

    public SequenceShape Shape { get; }

    /// <summary>Sample index of sorted position j.</summary>
    public int[] Order { get; }

    /// <summary>Sorted position of sample b.</summary>
    public int[] Rank { get; }

    /// <summary>Length of sorted position j (non-increasing).</summary>
    public int[] Lengths { get; }

    public int MaxLength { get; }

    /// <summary>Samples running at packed step t.</summary>
    public int[] BatchSizes { get; }

    /// <summary>First packed row of step t; <c>RowStart[MaxLength]</c> = <see cref="PackedRows"/>.</summary>
    public int[] RowStart { get; }

    /// <summary>Total real steps over the batch.</summary>
    public int PackedRows { get; }

    public Segment[] Segments { get; }

    /// <summary>
    /// The row, in the shape's layout, that packed step <paramref name="t"/> of sorted position <paramref name="j"/>
    /// reads: step t of the sample, or step L−1−t when the direction runs in reverse.
    /// </summary>
    public int SourceRow(int t, int j, bool reverse)
    {
        var sample = Order[j];
        var step = reverse ? Lengths[j] - 1 - t : t;
        return Shape.Row(step, sample);
    }

    /// <summary>Scalars of kernel cache the whole plan needs for a cell.</summary>
    public long CacheLength<TCell>() where TCell : ILstmCell<TCell>
    {
        long total = 0;
        foreach (var segment in Segments) total += TCell.CacheLength(segment.Steps, segment.Active);
        return total;
    }
}
