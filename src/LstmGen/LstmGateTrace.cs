using System;
using System.Numerics;

namespace LstmGen;

/// <summary>
/// The gate activations of one forward as the generated kernel computed them: i, f, g, o, c_t and h_t for every step
/// and batch row, copied out of a training workspace's recording. Every variant is covered (peephole, layer norm, the
/// forget bias, CIFG's f = 1 − i, clipped pre-activations) because the values are the kernel's own.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LstmGateTrace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _gates, _cell, _hidden;

    internal LstmGateTrace(int steps, int batch, int hiddenSize)
    {
        (Steps, Batch, HiddenSize) = (steps, batch, hiddenSize);
        _gates = new T[(long)steps * batch * 4 * hiddenSize];
        _cell = new T[(long)steps * batch * hiddenSize];
        _hidden = new T[_cell.Length];
    }

    /// <summary>Steps T of the traced forward.</summary>
    public int Steps { get; }

    /// <summary>Batch rows B of the traced forward.</summary>
    public int Batch { get; }

    /// <summary>Hidden size H (the length of every span returned).</summary>
    public int HiddenSize { get; }

    /// <summary>Input gate i = σ(a_i) [H] at step <paramref name="step"/> of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<T> InputGate(int step, int row) => Gate(step, row, 0);

    /// <summary>Forget gate f [H] (1 − i for a coupled input-forget cell).</summary>
    public ReadOnlySpan<T> ForgetGate(int step, int row) => Gate(step, row, 1);

    /// <summary>Candidate g = tanh(a_g) [H].</summary>
    public ReadOnlySpan<T> CandidateGate(int step, int row) => Gate(step, row, 2);

    /// <summary>Output gate o = σ(a_o) [H].</summary>
    public ReadOnlySpan<T> OutputGate(int step, int row) => Gate(step, row, 3);

    /// <summary>Cell state c_t [H] after the step.</summary>
    public ReadOnlySpan<T> Cell(int step, int row) => _cell.AsSpan(Index(step, row) * HiddenSize, HiddenSize);

    /// <summary>Hidden state h_t [H] after the step (the step's output).</summary>
    public ReadOnlySpan<T> Hidden(int step, int row) => _hidden.AsSpan(Index(step, row) * HiddenSize, HiddenSize);

    internal Span<T> GatesAt(int step, int row) => _gates.AsSpan(Index(step, row) * 4 * HiddenSize, 4 * HiddenSize);

    internal Span<T> CellAt(int step, int row) => _cell.AsSpan(Index(step, row) * HiddenSize, HiddenSize);

    internal Span<T> HiddenAt(int step, int row) => _hidden.AsSpan(Index(step, row) * HiddenSize, HiddenSize);

    private ReadOnlySpan<T> Gate(int step, int row, int gate)
        => _gates.AsSpan(Index(step, row) * 4 * HiddenSize + gate * HiddenSize, HiddenSize);

    private int Index(int step, int row)
    {
        if ((uint)step >= (uint)Steps) throw new ArgumentOutOfRangeException(nameof(step), step, $"The trace has {Steps} steps.");
        if ((uint)row >= (uint)Batch) throw new ArgumentOutOfRangeException(nameof(row), row, $"The trace has {Batch} batch rows.");
        return step * Batch + row;
    }
}

/// <summary>Creates <see cref="LstmGateTrace{T}"/>s: from a workspace's recorded forward, or by running one.</summary>
public static class LstmGateTrace
{
    /// <summary>The gates of the forward recorded in <paramref name="workspace"/> (a one-thread workspace).</summary>
    /// <exception cref="InvalidOperationException">Nothing is recorded, or the workspace splits the batch across threads.</exception>
    public static LstmGateTrace<T> Read<TCell, T>(LstmWorkspace<TCell, T> workspace)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(workspace);
        int steps = workspace.RecordedSteps, batch = workspace.RecordedBatch, h = TCell.HiddenSize;
        if (steps == 0) throw new InvalidOperationException("The workspace holds no recorded forward: run a training Forward with it first.");
        if (workspace.Threads > 1) throw new InvalidOperationException($"The workspace splits the batch across {workspace.Threads} threads; trace a forward recorded with a one-thread workspace.");
        var layout = new LstmCacheLayout(TCell.Layout, steps, batch);
        ReadOnlySpan<T> cache = workspace.CacheFor(steps, batch);
        if (layout.RecordedLength > cache.Length)
            throw new InvalidOperationException($"{typeof(TCell).Name} records {cache.Length} scalars for {steps} × {batch}, fewer than its layout needs ({layout.RecordedLength}).");
        var trace = new LstmGateTrace<T>(steps, batch, h);
        for (var t = 0; t < steps; t++)
        {
            for (var b = 0; b < batch; b++)
            {
                cache.Slice((int)layout.Gates(t, b), 4 * h).CopyTo(trace.GatesAt(t, b));
                cache.Slice((int)layout.Cell(t, b), h).CopyTo(trace.CellAt(t, b));
                cache.Slice((int)layout.Hidden(t, b), h).CopyTo(trace.HiddenAt(t, b));
            }
        }
        return trace;
    }

    /// <summary>Runs a training forward of x [T×B×D] from a zero state and returns its gates.</summary>
    public static LstmGateTrace<T> Record<TCell, T>(LstmParameters<TCell, T> parameters, int steps, int batch, ReadOnlySpan<T> x)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var workspace = new LstmWorkspace<TCell, T>(steps, batch);
        var output = new T[(long)steps * batch * TCell.HiddenSize];
        var state = new T[(long)batch * TCell.HiddenSize];
        Lstm.Forward(parameters, workspace, steps, batch, x, output, state, new T[state.Length]);
        return Read(workspace);
    }
}
