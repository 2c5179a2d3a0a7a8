using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace LstmGen.Layers;

/// <summary>
/// One direction of one layer over a batch of variable-length sequences: packs the rows (PyTorch's
/// <c>PackedSequence</c> order), runs the cell's kernel once per <see cref="PackedPlan.Segment"/>, and unpacks.
/// </summary>
/// <remarks>
/// <para>
/// The kernels have no notion of length. Sorting the samples by length makes the running samples of every step a
/// prefix of the batch, so a run of steps with the same number of running samples is an ordinary fixed-size kernel
/// call on a contiguous slice; between runs the finished samples simply drop off the end of the state rows, where
/// their final state stays. The reverse direction packs each sample's real steps back to front (step L−1 first),
/// so it is the same code. Padding is never read.
/// </para>
/// <para>
/// Cost beyond the kernels: one gather of the inputs and one scatter of the outputs (O(rows·(D+H)) copies, the
/// same again in backward), and one kernel call per distinct length instead of one per batch. The kernel calls do
/// the same arithmetic as one padded call would, minus the padded steps.
/// </para>
/// </remarks>
internal sealed class LstmDirection<TCell, T>
    where TCell : ILstmCell<TCell>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LstmParameters<TCell, T> _parameters;
    private readonly LstmParameters<TCell, T> _gradients;
    private T[]? _x, _y, _cache, _h, _c, _hNext, _cNext;
    private T[]? _dy, _dx, _dh, _dc, _dhNext, _dcNext;
    private PackedPlan? _recorded;

    public LstmDirection(LstmParameters<TCell, T> parameters, LstmParameters<TCell, T> gradients, bool reverse)
    {
        _parameters = parameters;
        _gradients = gradients;
        Reverse = reverse;
    }

    public bool Reverse { get; }

    /// <summary>
    /// Runs the direction. <paramref name="x"/> has rows of D in the plan's layout; this direction writes columns
    /// [<paramref name="yOffset"/>, +H) of <paramref name="y"/>'s rows of <paramref name="yWidth"/> (zero on padded rows).
    /// Empty <paramref name="h0"/>/<paramref name="c0"/> mean zeros; empty <paramref name="hN"/>/<paramref name="cN"/> mean not wanted.
    /// States are [B×H] in sample order.
    /// </summary>
    public void Forward(PackedPlan plan, ReadOnlySpan<T> x, Span<T> y, int yWidth, int yOffset,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> hN, Span<T> cN, bool training)
    {
        int d = TCell.InputSize, h = TCell.HiddenSize, batch = plan.Shape.Batch;
        _recorded = null;
        var packedX = Scratch.Ensure(ref _x, (long)plan.PackedRows * d);
        var packedY = Scratch.Ensure(ref _y, (long)plan.PackedRows * h);
        var cache = training ? Scratch.Ensure(ref _cache, plan.CacheLength<TCell>()) : default;
        var state = Scratch.Ensure(ref _h, (long)batch * h);
        var cell = Scratch.Ensure(ref _c, (long)batch * h);
        var stateNext = Scratch.Ensure(ref _hNext, (long)batch * h);
        var cellNext = Scratch.Ensure(ref _cNext, (long)batch * h);

        for (var t = 0; t < plan.MaxLength; t++)
            for (var j = 0; j < plan.BatchSizes[t]; j++)
                x.Slice(plan.SourceRow(t, j, Reverse) * d, d).CopyTo(packedX.Slice((plan.RowStart[t] + j) * d, d));
        GatherState(plan, h0, state, h);
        GatherState(plan, c0, cell, h);

        long cacheOffset = 0;
        ReadOnlySpan<T> parameters = _parameters.Data;
        foreach (var segment in plan.Segments)
        {
            int rows = segment.Steps * segment.Active, first = plan.RowStart[segment.Start], stateLength = segment.Active * h;
            var cacheSlice = default(Span<T>);
            if (training)
            {
                var length = TCell.CacheLength(segment.Steps, segment.Active);
                cacheSlice = cache.Slice((int)cacheOffset, (int)length);
                cacheOffset += length;
            }
            KernelCalls.Forward<TCell, T>(parameters, segment.Steps, segment.Active, packedX.Slice(first * d, rows * d),
                state[..stateLength], cell[..stateLength], packedY.Slice(first * h, rows * h),
                stateNext[..stateLength], cellNext[..stateLength], cacheSlice);
            stateNext[..stateLength].CopyTo(state);
            cellNext[..stateLength].CopyTo(cell);
        }

        var shape = plan.Shape;
        for (var t = 0; t < shape.Steps; t++)
        {
            for (var b = 0; b < batch; b++)
            {
                var destination = y.Slice(shape.Row(t, b) * yWidth + yOffset, h);
                var length = plan.Lengths[plan.Rank[b]];
                if (t < length)
                    packedY.Slice(PackedRow(plan, t, b, length) * h, h).CopyTo(destination);
                else
                    destination.Clear();
            }
        }
        ScatterState(plan, state, hN, h);
        ScatterState(plan, cell, cN, h);
        if (training) _recorded = plan;
    }

    /// <summary>
    /// BPTT for the last training forward. Reads columns [<paramref name="dyOffset"/>, +H) of <paramref name="dy"/>'s
    /// rows (padded rows are ignored). Writes (or, when <paramref name="accumulate"/>, adds) ∂L/∂x into
    /// <paramref name="dx"/> (zero on padded rows); empty spans mean zero (inputs) or not wanted (outputs).
    /// Adds the parameter gradients into the direction's gradient buffer.
    /// </summary>
    public void Backward(PackedPlan plan, ReadOnlySpan<T> dy, int dyWidth, int dyOffset, ReadOnlySpan<T> dhN, ReadOnlySpan<T> dcN,
        Span<T> dx, bool accumulate, Span<T> dh0, Span<T> dc0)
    {
        if (_recorded is null)
            throw new InvalidOperationException("Backward needs a training forward first (Forward with training: true).");
        if (!ReferenceEquals(_recorded, plan))
            throw new InvalidOperationException("Backward was called with a different sequence shape than the last training forward.");
        int d = TCell.InputSize, h = TCell.HiddenSize, batch = plan.Shape.Batch;
        var packedDy = Scratch.Ensure(ref _dy, (long)plan.PackedRows * h);
        var packedDx = Scratch.Ensure(ref _dx, (long)plan.PackedRows * d);
        var dState = Scratch.Ensure(ref _dh, (long)batch * h);
        var dCell = Scratch.Ensure(ref _dc, (long)batch * h);
        var dStatePrevious = Scratch.Ensure(ref _dhNext, (long)batch * h);
        var dCellPrevious = Scratch.Ensure(ref _dcNext, (long)batch * h);

        for (var t = 0; t < plan.MaxLength; t++)
            for (var j = 0; j < plan.BatchSizes[t]; j++)
                dy.Slice(plan.SourceRow(t, j, Reverse) * dyWidth + dyOffset, h).CopyTo(packedDy.Slice((plan.RowStart[t] + j) * h, h));
        GatherState(plan, dhN, dState, h);
        GatherState(plan, dcN, dCell, h);

        var cacheOffset = plan.CacheLength<TCell>();
        ReadOnlySpan<T> parameters = _parameters.Data;
        Span<T> cache = _cache;
        var gradients = _gradients.Data;
        for (var s = plan.Segments.Length - 1; s >= 0; s--)
        {
            var segment = plan.Segments[s];
            int rows = segment.Steps * segment.Active, first = plan.RowStart[segment.Start], stateLength = segment.Active * h;
            var length = TCell.CacheLength(segment.Steps, segment.Active);
            cacheOffset -= length;
            KernelCalls.Backward<TCell, T>(parameters, segment.Steps, segment.Active, cache.Slice((int)cacheOffset, (int)length),
                packedDy.Slice(first * h, rows * h), dState[..stateLength], dCell[..stateLength],
                packedDx.Slice(first * d, rows * d), dStatePrevious[..stateLength], dCellPrevious[..stateLength], gradients);
            dStatePrevious[..stateLength].CopyTo(dState);
            dCellPrevious[..stateLength].CopyTo(dCell);
        }

        if (!dx.IsEmpty)
        {
            var shape = plan.Shape;
            for (var t = 0; t < shape.Steps; t++)
            {
                for (var b = 0; b < batch; b++)
                {
                    var destination = dx.Slice(shape.Row(t, b) * d, d);
                    var length = plan.Lengths[plan.Rank[b]];
                    if (t < length)
                    {
                        var source = packedDx.Slice(PackedRow(plan, t, b, length) * d, d);
                        if (accumulate) TensorPrimitives.Add(destination, source, destination);
                        else source.CopyTo(destination);
                    }
                    else if (!accumulate)
                    {
                        destination.Clear();
                    }
                }
            }
        }
        ScatterState(plan, dState, dh0, h);
        ScatterState(plan, dCell, dc0, h);
    }

    /// <summary>The packed row of step <paramref name="t"/> of sample <paramref name="b"/> (of real length <paramref name="length"/>).</summary>
    private int PackedRow(PackedPlan plan, int t, int b, int length)
        => plan.RowStart[Reverse ? length - 1 - t : t] + plan.Rank[b];

    private static void GatherState(PackedPlan plan, ReadOnlySpan<T> source, Span<T> sorted, int h)
    {
        if (source.IsEmpty)
        {
            sorted.Clear();
            return;
        }
        for (var j = 0; j < plan.Order.Length; j++)
            source.Slice(plan.Order[j] * h, h).CopyTo(sorted.Slice(j * h, h));
    }

    private static void ScatterState(PackedPlan plan, ReadOnlySpan<T> sorted, Span<T> destination, int h)
    {
        if (destination.IsEmpty) return;
        for (var b = 0; b < plan.Order.Length; b++)
            sorted.Slice(plan.Rank[b] * h, h).CopyTo(destination.Slice(b * h, h));
    }
}
