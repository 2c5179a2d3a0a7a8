using System;
using System.Numerics;
using LstmGen.Numerics;

namespace LstmGen;

/// <summary>
/// The forward weights of a cell packed once for its kernels (W_ihᵀ, W_hhᵀ gate-interleaved, b_ih + b_hh), from a
/// snapshot of the parameters. Pass it to <see cref="Lstm"/>.Forward instead of the parameters when the same weights
/// run many inference calls: a call then pays for its steps only, not for packing the weights first.
/// </summary>
/// <remarks>
/// With <see cref="LstmWeightFormat.BFloat16"/>, W_hh is stored in bfloat16 for the bandwidth-bound case (few sequences,
/// large H): faster, and no longer bit-equal to the float32 forward (see <see cref="LstmWeightFormat"/>).
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
    private readonly AlignedArray<T> _packed = new(TCell.PackedWeightsLength);

    /// <summary>Takes a snapshot of <paramref name="parameters"/> and packs its weights in the cell's own precision.</summary>
    public LstmPackedWeights(LstmParameters<TCell, T> parameters)
        : this(parameters, LstmWeightFormat.Default)
    {
    }

    /// <summary>Takes a snapshot of <paramref name="parameters"/> and packs its weights in <paramref name="format"/>.</summary>
    /// <exception cref="NotSupportedException"><see cref="LstmWeightFormat.BFloat16"/> for a double or layer-norm cell.</exception>
    public LstmPackedWeights(LstmParameters<TCell, T> parameters, LstmWeightFormat format)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Precision.EnsureSupported<T>();
        EnsureSupported(format);
        Parameters = parameters;
        Format = format;
        Refresh();
    }

    /// <summary>How the recurrent weights are stored.</summary>
    public LstmWeightFormat Format { get; }

    /// <summary>The parameters the weights were packed from (read again only by <see cref="Refresh"/>).</summary>
    public LstmParameters<TCell, T> Parameters { get; }

    /// <summary>Takes a new snapshot of <see cref="Parameters"/> and packs it.</summary>
    public void Refresh()
    {
        if (Lstm.CheckFiniteValues) FiniteCheck.Parameters("packing", "", Parameters);
        Parameters.Data.CopyTo(_snapshot);
        if (Format == LstmWeightFormat.BFloat16)
            KernelCalls.PackWeightsBFloat16<TCell, T>(_snapshot, _packed.Span);
        else
            KernelCalls.PackWeights<TCell, T>(_snapshot, _packed.Span);
    }

    /// <summary>The parameters as packed (the snapshot).</summary>
    internal ReadOnlySpan<T> Snapshot => _snapshot;

    /// <summary>The packed weights.</summary>
    internal ReadOnlySpan<T> Packed => _packed.Span;

    /// <summary>Runs the cell's packed inference kernel; the caller has checked every length.</summary>
    internal void Run(int steps, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0,
        Span<T> output, Span<T> hT, Span<T> cT)
    {
        if (Format == LstmWeightFormat.BFloat16)
            KernelCalls.ForwardPackedBFloat16<TCell, T>(_snapshot, _packed.Span, steps, batch, x, h0, c0, output, hT, cT);
        else
            KernelCalls.ForwardPacked<TCell, T>(_snapshot, _packed.Span, steps, batch, x, h0, c0, output, hT, cT);
    }

    private static void EnsureSupported(LstmWeightFormat format)
    {
        switch (format)
        {
            case LstmWeightFormat.Default:
                return;
            case LstmWeightFormat.BFloat16 when typeof(T) != typeof(float):
                throw new NotSupportedException($"bfloat16 weights are for float cells; this one runs in {typeof(T).Name}.");
            case LstmWeightFormat.BFloat16 when TCell.Layout.Variant.LayerNorm:
                throw new NotSupportedException($"bfloat16 weights are for cells without layer norm; {typeof(TCell).Name} has layer norm.");
            case LstmWeightFormat.BFloat16:
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Not a weight format: use LstmWeightFormat.Default or LstmWeightFormat.BFloat16.");
        }
    }
}
