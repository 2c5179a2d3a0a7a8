using System;

namespace LstmGen;

/// <summary>
/// Implemented by every generated cell type. The static members let generic code
/// (<c>where TCell : ILstmCell&lt;TCell&gt;</c>) call the specialised kernel directly, with no virtual dispatch.
/// </summary>
/// <remarks>
/// The <c>*Kernel</c> members are the raw entry points: they trust their arguments (lengths already checked,
/// an empty <c>h0</c>/<c>c0</c>/<c>dOutput</c> meaning zeros, an empty <c>cache</c> meaning inference).
/// Call them through <see cref="Lstm"/> or the cell's generated <c>Forward</c>/<c>Backward</c> methods,
/// which validate every argument first.
/// </remarks>
/// <typeparam name="TSelf">The generated cell type itself.</typeparam>
public interface ILstmCell<TSelf> where TSelf : ILstmCell<TSelf>
{
    /// <summary>Input size D.</summary>
    static abstract int InputSize { get; }

    /// <summary>Hidden size H.</summary>
    static abstract int HiddenSize { get; }

    /// <summary>Number of scalars in the contiguous parameter buffer.</summary>
    static abstract int ParameterCount { get; }

    /// <summary>The named tensors inside the parameter buffer, in PyTorch's order and layout.</summary>
    static abstract LstmCellLayout Layout { get; }

    /// <summary>Number of scalars a training forward records for <paramref name="steps"/> × <paramref name="batch"/>.</summary>
    static abstract long CacheLength(int steps, int batch);

    /// <summary>Raw forward kernel (float). See the type remarks for the conventions.</summary>
    static abstract void ForwardKernel(ReadOnlySpan<float> parameters, int steps, int batch,
        ReadOnlySpan<float> x, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        Span<float> output, Span<float> hT, Span<float> cT, Span<float> cache);

    /// <summary>Raw forward kernel (double). See the type remarks for the conventions.</summary>
    static abstract void ForwardKernel(ReadOnlySpan<double> parameters, int steps, int batch,
        ReadOnlySpan<double> x, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0,
        Span<double> output, Span<double> hT, Span<double> cT, Span<double> cache);

    /// <summary>Scalars of the packed forward weights that <c>PackWeights</c> writes: W_ihᵀ, W_hhᵀ and b_ih + b_hh, in the
    /// panel layout the products read (which depends on the CPU's vector width: pack and use in the same process).</summary>
    static abstract int PackedWeightsLength { get; }

    /// <summary>Packs the forward weights of <paramref name="parameters"/> into <paramref name="packed"/> [<c>PackedWeightsLength</c>] (float).</summary>
    static abstract void PackWeights(ReadOnlySpan<float> parameters, Span<float> packed);

    /// <summary>Packs the forward weights of <paramref name="parameters"/> into <paramref name="packed"/> [<c>PackedWeightsLength</c>] (double).</summary>
    static abstract void PackWeights(ReadOnlySpan<double> parameters, Span<double> packed);

    /// <summary>Raw inference forward (float) with weights packed beforehand by <c>PackWeights</c> from the same parameters,
    /// so a call packs nothing (what <see cref="LstmStream{TCell, T}"/> uses for one step per call).</summary>
    static abstract void ForwardPackedKernel(ReadOnlySpan<float> parameters, ReadOnlySpan<float> packed, int steps, int batch,
        ReadOnlySpan<float> x, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, Span<float> output, Span<float> hT, Span<float> cT);

    /// <summary>Raw inference forward (double) with weights packed beforehand by <c>PackWeights</c> from the same parameters.</summary>
    static abstract void ForwardPackedKernel(ReadOnlySpan<double> parameters, ReadOnlySpan<double> packed, int steps, int batch,
        ReadOnlySpan<double> x, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0, Span<double> output, Span<double> hT, Span<double> cT);

    /// <summary>Packs the forward weights (float) as <c>PackWeights</c> does, but W_hhᵀ in bfloat16 pairs for <c>ForwardPackedBFloat16Kernel</c>
    /// (see <see cref="LstmWeightFormat.BFloat16"/>); layer-norm cells throw <see cref="NotSupportedException"/>.</summary>
    static abstract void PackWeightsBFloat16(ReadOnlySpan<float> parameters, Span<float> packed);

    /// <summary>Raw inference forward (float) on weights packed by <c>PackWeightsBFloat16</c>; layer-norm cells throw <see cref="NotSupportedException"/>.</summary>
    static abstract void ForwardPackedBFloat16Kernel(ReadOnlySpan<float> parameters, ReadOnlySpan<float> packed, int steps, int batch,
        ReadOnlySpan<float> x, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, Span<float> output, Span<float> hT, Span<float> cT);

    /// <summary>
    /// One part of a unit-split inference forward (float) on packed weights (<c>PackWeights</c>, or <c>PackWeightsBFloat16</c>
    /// with <paramref name="bfloat16Weights"/>): run by <paramref name="parts"/> threads at once, part = 0 … parts − 1,
    /// all with the same <paramref name="barrier"/>; <paramref name="cT"/> holds c_0 on entry. Layer-norm cells throw
    /// <see cref="NotSupportedException"/>.
    /// </summary>
    static abstract void ForwardPartKernel(ReadOnlySpan<float> parameters, ReadOnlySpan<float> packed, bool bfloat16Weights, int part, int parts,
        Numerics.StepBarrier barrier, int steps, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> h0, Span<float> output, Span<float> cT);

    /// <summary>One part of a unit-split inference forward (double); <paramref name="bfloat16Weights"/> must be false.</summary>
    static abstract void ForwardPartKernel(ReadOnlySpan<double> parameters, ReadOnlySpan<double> packed, bool bfloat16Weights, int part, int parts,
        Numerics.StepBarrier barrier, int steps, int batch, ReadOnlySpan<double> x, ReadOnlySpan<double> h0, Span<double> output, Span<double> cT);

    /// <summary>Raw BPTT kernel (float): overwrites dx, dh0, dc0 and the cache's scratch (never the recording); adds into <paramref name="gradients"/>.</summary>
    static abstract void BackwardKernel(ReadOnlySpan<float> parameters, int steps, int batch, Span<float> cache,
        ReadOnlySpan<float> dOutput, ReadOnlySpan<float> dhT, ReadOnlySpan<float> dcT,
        Span<float> dx, Span<float> dh0, Span<float> dc0, Span<float> gradients);

    /// <summary>Raw BPTT kernel (double): overwrites dx, dh0, dc0 and the cache's scratch (never the recording); adds into <paramref name="gradients"/>.</summary>
    static abstract void BackwardKernel(ReadOnlySpan<double> parameters, int steps, int batch, Span<double> cache,
        ReadOnlySpan<double> dOutput, ReadOnlySpan<double> dhT, ReadOnlySpan<double> dcT,
        Span<double> dx, Span<double> dh0, Span<double> dc0, Span<double> gradients);
}
