using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Threading;

namespace LstmGen.Numerics;

/// <summary>
/// What the parts of a unit-split forward share (one part per thread, each owning a slice of the hidden units): a
/// barrier that each part passes after every step, so no part reads h_t before all of it is written, and the scratch
/// rows they all read. Spins (a step is microseconds), yielding when a part waits long.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StepBarrier
{
    private readonly object _gate = new();
    private int _parts;
    private int _arrived;
    private int _generation;
    private volatile bool _abandoned;
    private Array? _scratch;
    private int _scratchOffset;

    internal StepBarrier()
    {
    }

    /// <summary>Prepares for a call of <paramref name="parts"/> parts (between calls only).</summary>
    internal void Reset(int parts)
    {
        _parts = parts;
        _arrived = 0;
        _abandoned = false;
    }

    /// <summary>A part failed: the parts waiting (now or later) at the barrier throw instead of waiting for it forever.</summary>
    internal void Abandon() => _abandoned = true;

    /// <summary>Returns the scratch to the pool (after the call).</summary>
    internal void ReturnScratch<T>()
    {
        if (_scratch is T[] array) ArrayPool<T>.Shared.Return(array);
        _scratch = null;
    }

    /// <summary>
    /// Scratch of at least <paramref name="length"/> elements, the same for every part of the call: from the first
    /// cache-line boundary of the rented array, found once when it is rented, so every part uses the same elements.
    /// </summary>
    public ref T Scratch<T>(int length) where T : unmanaged
    {
        lock (_gate)
        {
            if (_scratch is not T[] array || array.Length - _scratchOffset < length)
            {
                if (_scratch is T[] smaller) ArrayPool<T>.Shared.Return(smaller);
                _scratch = array = ArrayPool<T>.Shared.Rent(CacheLine.PaddedLength<T>(length));
                _scratchOffset = CacheLine.ElementsToBoundary(ref MemoryMarshal.GetArrayDataReference(array));
            }
            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), _scratchOffset);
        }
    }

    /// <summary>Waits until every part has arrived here (the n-th arrival releases the others).</summary>
    public void SignalAndWait()
    {
        var generation = Volatile.Read(ref _generation);
        if (Interlocked.Increment(ref _arrived) == _parts)
        {
            // Reset the count before the release, so the next round counts from zero.
            Volatile.Write(ref _arrived, 0);
            Volatile.Write(ref _generation, generation + 1);
            return;
        }
        var spinner = new SpinWait();
        while (Volatile.Read(ref _generation) == generation)
        {
            if (_abandoned) throw new OperationCanceledException("Another part of this unit-split LSTM call failed.");
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
