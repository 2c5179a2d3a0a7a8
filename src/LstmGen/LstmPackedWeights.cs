using System;
using System.Numerics;

namespace LstmGen;

/// <summary>
/// The forward weights of a cell packed once for its kernels (W_ihᵀ, W_hhᵀ gate-interleaved, b_ih + b_hh), from a
/// snapshot of the parameters. Pass it to <see cref="Lstm"/>.Forward instead of the parameters when the same weights
/// run many inference calls: a call then pays for its steps only, not for packing the weights first.
/// </summary>
/// <remarks>
/// After changing the parameters (training, loading a file), call <see cref="Refresh"/>: until then forwards use the
/// snapshot. Forwards only read the packed weights, so any number of threads may run forwards with one instance at
/// once; <see cref="Refresh"/> must not run concurrently with them.
/// </remarks>
/// <typeparam name="TCell">The generated cell type.</typeparam>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LstmPackedWeights<TCell, T>
    where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _snapshot = new T[TCell.ParameterCount];
    private readonly T[] _packed = new T[TCell.PackedWeightsLength];

    /// <summary>Takes a snapshot of <paramref name="parameters"/> and packs its weights.</summary>
    public LstmPackedWeights(LstmParameters<TCell, T> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Precision.EnsureSupported<T>();
        Parameters = parameters;
        Refresh();
    }

    /// <summary>The parameters the weights were packed from (read again only by <see cref="Refresh"/>).</summary>
    public LstmParameters<TCell, T> Parameters { get; }

    /// <summary>Takes a new snapshot of <see cref="Parameters"/> and packs it.</summary>
    public void Refresh()
    {
        if (Lstm.CheckFiniteValues) FiniteCheck.Parameters("packing", "", Parameters);
        Parameters.Data.CopyTo(_snapshot);
        KernelCalls.PackWeights<TCell, T>(_snapshot, _packed);
    }

    /// <summary>Runs the cell's packed inference kernel; the caller has checked every length.</summary>
    internal void Run(int steps, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0,
        Span<T> output, Span<T> hT, Span<T> cT)
    {
        KernelCalls.ForwardPacked<TCell, T>(_snapshot, _packed, steps, batch, x, h0, c0, output, hT, cT);
    }
}
