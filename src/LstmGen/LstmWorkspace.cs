using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using LstmGen.Numerics;

namespace LstmGen;

/// <summary>
/// Caller-owned memory in which a training forward records what the backward pass needs.
/// Sized once for at most <see cref="MaxSteps"/> steps and <see cref="MaxBatch"/> rows; no call allocates after that.
/// A workspace is not thread-safe: use one per thread. Created with <c>threads</c> &gt; 1, it holds one recording per
/// part of the batch, and training calls with it split the batch across that many threads (see <see cref="Threads"/>).
/// </summary>
public sealed class LstmWorkspace<TCell, T>
    where TCell : ILstmCell<TCell>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AlignedArray<T> _cache;
    private readonly T[] _partGradients;
    private readonly long _partLength;

    /// <summary>Allocates a workspace for sequences of up to <paramref name="maxSteps"/> steps and batches of up to <paramref name="maxBatch"/> rows.</summary>
    /// <param name="maxSteps">Largest number of time steps a forward may record.</param>
    /// <param name="maxBatch">Largest batch a forward may record.</param>
    /// <param name="threads">
    /// Threads a training call with this workspace uses: the batch is split into that many parts (at most one per row),
    /// each run on its own thread with its own recording; the parameter gradients of the parts are summed.
    /// </param>
    public LstmWorkspace(int maxSteps, int maxBatch, int threads = 1)
    {
        Precision.EnsureSupported<T>();
        Guard.Positive(maxSteps, nameof(maxSteps));
        Guard.Positive(maxBatch, nameof(maxBatch));
        Guard.Positive(threads, nameof(threads));
        threads = Math.Min(threads, maxBatch);
        var partBatch = (maxBatch + threads - 1) / threads;
        // Each part's recording starts on a cache line (see CacheLine).
        var lineElements = CacheLine.Bytes / Unsafe.SizeOf<T>();
        _partLength = (TCell.CacheLength(maxSteps, partBatch) + lineElements - 1) / lineElements * lineElements;
        var length = threads * _partLength;
        if (length > Array.MaxLength - CacheLine.Bytes)
            throw new ArgumentException($"A workspace for {maxSteps} steps × {maxBatch} rows needs {length} elements, more than one array can hold ({Array.MaxLength}). Use shorter chunks (truncated BPTT) or smaller batches.", nameof(maxSteps));
        MaxSteps = maxSteps;
        MaxBatch = maxBatch;
        Threads = threads;
        // Pinned (split calls hand raw pointers to worker threads) and cache-line aligned.
        _cache = new AlignedArray<T>((int)length);
        _partGradients = threads == 1 ? Array.Empty<T>() : GC.AllocateArray<T>((threads - 1) * TCell.ParameterCount, pinned: true);
    }

    /// <summary>Threads (batch parts) of a training call with this workspace; 1 runs on the calling thread only.</summary>
    public int Threads { get; }

    /// <summary>Largest number of time steps a forward may record.</summary>
    public int MaxSteps { get; }

    /// <summary>Largest batch a forward may record.</summary>
    public int MaxBatch { get; }

    /// <summary>Steps of the recorded forward, or 0 if none is recorded.</summary>
    public int RecordedSteps { get; private set; }

    /// <summary>Batch size of the recorded forward, or 0 if none is recorded.</summary>
    public int RecordedBatch { get; private set; }

    internal object? RecordedParameters { get; private set; }

    internal Span<T> CacheFor(int steps, int batch) => _cache.Span[..checked((int)TCell.CacheLength(steps, batch))];

    /// <summary>The pinned recordings of the batch parts, one every <see cref="PartLength"/> elements (threads &gt; 1).</summary>
    internal Span<T> PartCaches => _cache.Span;

    internal long PartLength => _partLength;

    /// <summary>Gradient buffers of parts 1 … Threads − 1 (pinned), summed into the caller's after a split backward.</summary>
    internal T[] PartGradients => _partGradients;

    internal void BeginRecording() => (RecordedSteps, RecordedBatch, RecordedParameters) = (0, 0, null);

    internal void EndRecording(int steps, int batch, object parameters) => (RecordedSteps, RecordedBatch, RecordedParameters) = (steps, batch, parameters);
}
