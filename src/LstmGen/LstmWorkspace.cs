using System;
using System.Numerics;

namespace LstmGen;

/// <summary>
/// Caller-owned memory in which a training forward records what the backward pass needs.
/// Sized once for at most <see cref="MaxSteps"/> steps and <see cref="MaxBatch"/> rows; no call allocates after that.
/// A workspace is not thread-safe: use one per thread.
/// </summary>
public sealed class LstmWorkspace<TCell, T>
    where TCell : ILstmCell<TCell>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _cache;

    /// <summary>Allocates a workspace for sequences of up to <paramref name="maxSteps"/> steps and batches of up to <paramref name="maxBatch"/> rows.</summary>
    public LstmWorkspace(int maxSteps, int maxBatch)
    {
        Precision.EnsureSupported<T>();
        Check.Positive(maxSteps, nameof(maxSteps));
        Check.Positive(maxBatch, nameof(maxBatch));
        var length = TCell.CacheLength(maxSteps, maxBatch);
        if (length > Array.MaxLength)
            throw new ArgumentException($"A workspace for {maxSteps} steps × {maxBatch} rows needs {length} elements, more than one array can hold ({Array.MaxLength}). Use shorter chunks (truncated BPTT) or smaller batches.", nameof(maxSteps));
        MaxSteps = maxSteps;
        MaxBatch = maxBatch;
        _cache = new T[length];
    }

    /// <summary>Largest number of time steps a forward may record.</summary>
    public int MaxSteps { get; }

    /// <summary>Largest batch a forward may record.</summary>
    public int MaxBatch { get; }

    /// <summary>Steps of the recorded forward, or 0 if none is recorded.</summary>
    public int RecordedSteps { get; private set; }

    /// <summary>Batch size of the recorded forward, or 0 if none is recorded.</summary>
    public int RecordedBatch { get; private set; }

    internal object? RecordedParameters { get; private set; }

    internal Span<T> CacheFor(int steps, int batch) => _cache.AsSpan(0, checked((int)TCell.CacheLength(steps, batch)));

    internal void BeginRecording() => (RecordedSteps, RecordedBatch, RecordedParameters) = (0, 0, null);

    internal void EndRecording(int steps, int batch, object parameters) => (RecordedSteps, RecordedBatch, RecordedParameters) = (steps, batch, parameters);
}
