using System;
using System.Numerics;

namespace LstmGen;

/// <summary>
/// Step-by-step inference (a sensor stream, a game loop, sampling text one character at a time): keeps the state
/// (h, c) between calls and the forward weights packed once, so a call of one step costs that step and not the
/// packing that every <see cref="Lstm"/>.Forward call starts with. Results equal one <c>Lstm.Forward</c> over the
/// same steps.
/// </summary>
/// <remarks>
/// The stream works on a snapshot of the parameters taken when it is created and at every <see cref="Refresh"/>:
/// after changing the parameters (training, loading a file), call <see cref="Refresh"/>. Not thread-safe: one stream
/// per thread (the parameters may be shared). Nothing is allocated per call.
/// </remarks>
/// <typeparam name="TCell">The generated cell type.</typeparam>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LstmStream<TCell, T>
    where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LstmPackedWeights<TCell, T> _weights;
    private T[] _h, _c, _hNext, _cNext;

    /// <summary>Creates a stream of <paramref name="batch"/> independent sequences from a zero state.</summary>
    public LstmStream(LstmParameters<TCell, T> parameters, int batch = 1)
        : this(parameters, batch, LstmWeightFormat.Default)
    {
    }

    /// <summary>
    /// Creates a stream of <paramref name="batch"/> sequences whose recurrent weights are stored in <paramref name="format"/>
    /// (<see cref="LstmWeightFormat.BFloat16"/>: faster at large H, about 1e-3 relative error; see <see cref="LstmWeightFormat"/>).
    /// </summary>
    public LstmStream(LstmParameters<TCell, T> parameters, int batch, LstmWeightFormat format)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Precision.EnsureSupported<T>();
        Guard.Positive(batch, nameof(batch));
        Batch = batch;
        var state = checked(batch * TCell.HiddenSize);
        (_h, _c, _hNext, _cNext) = (new T[state], new T[state], new T[state], new T[state]);
        _weights = new LstmPackedWeights<TCell, T>(parameters, format);
    }

    /// <summary>How the stream stores its recurrent weights.</summary>
    public LstmWeightFormat WeightFormat => _weights.Format;

    /// <summary>The parameters the stream was created from (read again only by <see cref="Refresh"/>).</summary>
    public LstmParameters<TCell, T> Parameters => _weights.Parameters;

    /// <summary>Number of sequences stepped together (B).</summary>
    public int Batch { get; }

    /// <summary>The current hidden state h [B×H] (the last output row).</summary>
    public ReadOnlySpan<T> Hidden => _h;

    /// <summary>The current cell state c [B×H].</summary>
    public ReadOnlySpan<T> Cell => _c;

    /// <summary>Takes a new snapshot of <see cref="Parameters"/> and packs its weights; the state is kept.</summary>
    public void Refresh() => _weights.Refresh();

    /// <summary>Sets the state to zero (a new sequence).</summary>
    public void Reset()
    {
        _h.AsSpan().Clear();
        _c.AsSpan().Clear();
    }

    /// <summary>Sets the state to (<paramref name="h"/>, <paramref name="c"/>) [B×H] each.</summary>
    public void SetState(ReadOnlySpan<T> h, ReadOnlySpan<T> c)
    {
        Guard.StateLength(h.Length, Batch, TCell.HiddenSize, nameof(h));
        Guard.StateLength(c.Length, Batch, TCell.HiddenSize, nameof(c));
        h.CopyTo(_h);
        c.CopyTo(_c);
    }

    /// <summary>One step: reads x [B×D], writes output [B×H] (the new h) and advances the state.</summary>
    public void Step(ReadOnlySpan<T> x, Span<T> output) => Run(1, x, output);

    /// <summary><paramref name="steps"/> steps: reads x [T×B×D], writes output [T×B×H] and advances the state.</summary>
    public void Run(int steps, ReadOnlySpan<T> x, Span<T> output)
    {
        Guard.Positive(steps, nameof(steps));
        Guard.SequenceLength(x.Length, steps, Batch, TCell.InputSize, nameof(x), "inputSize");
        Guard.SequenceLength(output.Length, steps, Batch, TCell.HiddenSize, nameof(output), "hiddenSize");
        if (Lstm.CheckFiniteValues) FiniteCheck.Sequence<T>("stream", "x", x, steps, Batch, TCell.InputSize);

        _weights.Run(steps, Batch, x, _h, _c, output, _hNext, _cNext);
        (_h, _hNext) = (_hNext, _h);
        (_c, _cNext) = (_cNext, _c);

        if (Lstm.CheckFiniteValues)
        {
            FiniteCheck.Sequence<T>("stream", "output", output, steps, Batch, TCell.HiddenSize);
            FiniteCheck.State<T>("stream", "c", _c, TCell.HiddenSize);
        }
    }
}
