using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LstmGen;

/// <summary>
/// Unit-split inference: with fewer sequences than threads a batch split has nothing to share, so the threads split
/// each step's hidden units instead (each streams its part of W_hh and keeps it in its own cache), meeting at a
/// barrier after every step. Every unit is computed by the same FMA chains as on one thread: results are bit-identical.
/// </summary>
public static unsafe partial class Lstm
{
    /// <summary>
    /// Below this H a step is too short for a barrier per step to pay (measured: see docs/performance.md); at most this
    /// many sequences, splitting the units beats splitting the batch (each thread would stream all of W_hh).
    /// </summary>
    internal const int UnitSplitMinHidden = 128, UnitSplitMaxBatch = 2;

    /// <summary>Unit-split forwards run so far in this process (for tests: proof that a call did split).</summary>
    internal static long UnitSplitForwards;

    private struct UnitCall<T> where T : unmanaged
    {
        public T* Parameters, Packed, X, H0, Output, CT;
        public int ParameterCount, PackedLength, Steps, Batch, Parts;
        public bool BFloat16;
    }

    /// <summary>Parts of a unit split: the threads asked for, at most one per processor (the parts wait for each other every step).</summary>
    private static int UnitParts(int threads) => Math.Max(1, Math.Min(threads, Environment.ProcessorCount));

    /// <summary>Whether a forward of <paramref name="batch"/> rows on <paramref name="threads"/> threads splits the units.</summary>
    internal static bool UnitSplitPays<TCell>(int batch, int threads) where TCell : ILstmCell<TCell>
        => UnitParts(threads) > 1 && batch <= UnitSplitMaxBatch && TCell.HiddenSize >= UnitSplitMinHidden && !TCell.Layout.Variant.LayerNorm;

    /// <summary>The unit-split forward on packed weights, or false (nothing written) when the worker threads are busy.</summary>
    internal static bool TryForwardUnits<TCell, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> packed, bool bfloat16, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT, int parts)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Workers.TryAcquire()) return false;
        try
        {
            if (c0.IsEmpty) cT.Clear(); else c0.CopyTo(cT);
            Workers.Barrier.Reset(parts);
            fixed (T* pParameters = parameters, pPacked = packed, pX = x, pH0 = h0, pOutput = output, pCT = cT)
            {
                var call = new UnitCall<T>
                {
                    Parameters = pParameters, ParameterCount = parameters.Length, Packed = pPacked, PackedLength = packed.Length,
                    X = pX, H0 = h0.IsEmpty ? null : pH0, Output = pOutput, CT = pCT, Steps = steps, Batch = batch, Parts = parts, BFloat16 = bfloat16,
                };
                Workers.RunAcquired(parts, &UnitPart<TCell, T>, &call);
            }
            var rows = batch * TCell.HiddenSize;
            output.Slice((steps - 1) * rows, rows).CopyTo(hT);
            System.Threading.Interlocked.Increment(ref UnitSplitForwards);
            return true;
        }
        finally
        {
            Workers.Barrier.ReturnScratch<T>();
            Workers.Release();
        }
    }

    /// <summary>The unit-split forward on the parameters: packs them into pooled scratch first (as a forward on one thread does).</summary>
    private static bool TryForwardUnits<TCell, T>(LstmParameters<TCell, T> parameters, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT, int parts)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var packed = ArrayPool<T>.Shared.Rent(TCell.PackedWeightsLength);
        try
        {
            var weights = packed.AsSpan(0, TCell.PackedWeightsLength);
            KernelCalls.PackWeights<TCell, T>(parameters.Data, weights);
            return TryForwardUnits<TCell, T>(parameters.Data, weights, false, steps, batch, x, h0, c0, output, hT, cT, parts);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packed);
        }
    }

    private static void UnitPart<TCell, T>(int part, void* context)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var call = ref Unsafe.AsRef<UnitCall<T>>(context);
        int d = TCell.InputSize, h = TCell.HiddenSize, steps = call.Steps, batch = call.Batch;
        try
        {
            KernelCalls.ForwardPart<TCell, T>(new ReadOnlySpan<T>(call.Parameters, call.ParameterCount), new ReadOnlySpan<T>(call.Packed, call.PackedLength),
                call.BFloat16, part, call.Parts, Workers.Barrier, steps, batch, new ReadOnlySpan<T>(call.X, steps * batch * d),
                call.H0 is null ? default : new ReadOnlySpan<T>(call.H0, batch * h), new Span<T>(call.Output, steps * batch * h), new Span<T>(call.CT, batch * h));
        }
        catch
        {
            // The other parts would wait at the next barrier forever: release them (they throw), then report this failure.
            Workers.Barrier.Abandon();
            throw;
        }
    }
}
