using System;
using System.Numerics;
using LstmGen.Layers;

namespace LstmGen.Dynamic;

/// <summary>
/// A cell compiled at run time (<see cref="LstmCellCompiler"/>), for code that knows the sizes only at run time.
/// <see cref="CellType"/> is the generated type (it implements <see cref="ILstmCell{TSelf}"/>) for generic code; the
/// members here do the same without generics over the cell: each is implemented once by a class closed over the cell
/// type, so a call costs one virtual dispatch and no reflection. The precision T stays a type
/// argument (<see cref="float"/> or <see cref="double"/>).
/// </summary>
public abstract class DynamicLstmCell
{
    private protected DynamicLstmCell(LstmCellSpec spec, Type cellType)
    {
        Spec = spec;
        CellType = cellType;
    }

    /// <summary>The spec the cell was compiled from.</summary>
    public LstmCellSpec Spec { get; }

    /// <summary>The generated cell type: use it as <c>TCell</c> (e.g. <c>typeof(LstmParameters&lt;,&gt;).MakeGenericType(cell.CellType, typeof(float))</c>).</summary>
    public Type CellType { get; }

    /// <summary>Input size D.</summary>
    public int InputSize => Spec.InputSize;

    /// <summary>Hidden size H.</summary>
    public int HiddenSize => Spec.HiddenSize;

    /// <summary>Scalars in the parameter buffer.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>The named tensors in the parameter buffer (PyTorch's order and layout).</summary>
    public abstract LstmCellLayout Layout { get; }

    /// <summary>Scalars a training forward of <paramref name="steps"/> × <paramref name="batch"/> records.</summary>
    public abstract long CacheLength(int steps, int batch);

    /// <summary>A zero-filled parameter buffer (also the type of gradients).</summary>
    public abstract DynamicLstmParameters<T> CreateParameters<T>() where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>A training workspace for up to <paramref name="maxSteps"/> × <paramref name="maxBatch"/>.</summary>
    public abstract DynamicLstmWorkspace<T> CreateWorkspace<T>(int maxSteps, int maxBatch) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>A streaming state over <paramref name="parameters"/> (weights packed once; see <see cref="LstmStream{TCell, T}"/>).</summary>
    public abstract DynamicLstmStream<T> CreateStream<T>(DynamicLstmParameters<T> parameters, int batch = 1) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>A stream whose recurrent weights are stored in <paramref name="format"/> (<see cref="LstmWeightFormat.BFloat16"/>: float cells without layer norm).</summary>
    public abstract DynamicLstmStream<T> CreateStream<T>(DynamicLstmParameters<T> parameters, int batch, LstmWeightFormat format) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>A new <see cref="LstmLayer{TCell, T}"/> of this cell, for <see cref="LstmNetworkBuilder{T}.Layer"/> or an <see cref="LstmStack{T}"/>.</summary>
    public abstract RecurrentLayer<T> CreateLayer<T>(bool bidirectional = false) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Inference forward from (<paramref name="h0"/>, <paramref name="c0"/>) [B×H] (empty: zeros); as <see cref="Lstm"/>'s.</summary>
    public abstract void Forward<T>(DynamicLstmParameters<T> parameters, int steps, int batch, ReadOnlySpan<T> x,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Inference forward on up to <paramref name="threads"/> threads: the batch split, or for one or two sequences of a cell
    /// with H ≥ 128 the hidden units of every step; bit for bit the one-thread result. As <see cref="Lstm"/>'s.
    /// </summary>
    public abstract void Forward<T>(DynamicLstmParameters<T> parameters, int steps, int batch, ReadOnlySpan<T> x,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT, int threads) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Training forward from (<paramref name="h0"/>, <paramref name="c0"/>) [B×H]; records into <paramref name="workspace"/>.</summary>
    public abstract void Forward<T>(DynamicLstmParameters<T> parameters, DynamicLstmWorkspace<T> workspace, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>BPTT for the forward recorded in <paramref name="workspace"/>; adds into <paramref name="gradients"/>; as <see cref="Lstm"/>'s.</summary>
    public abstract void Backward<T>(DynamicLstmParameters<T> parameters, DynamicLstmWorkspace<T> workspace, DynamicLstmParameters<T> gradients,
        int steps, int batch, ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhT, ReadOnlySpan<T> dcT, Span<T> dx, Span<T> dh0, Span<T> dc0)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>e.g. <c>7x100 standard (Cell7x100_…)</c>.</summary>
    public override string ToString() => $"{Spec} ({CellType.Name})";
}

/// <summary>The parameters (or gradients) of a <see cref="DynamicLstmCell"/>: an <see cref="LstmParameters{TCell, T}"/> inside.</summary>
public abstract class DynamicLstmParameters<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected DynamicLstmParameters(DynamicLstmCell cell) => Cell = cell;

    /// <summary>The cell these parameters belong to.</summary>
    public DynamicLstmCell Cell { get; }

    /// <summary>The typed <see cref="LstmParameters{TCell, T}"/> for generic code.</summary>
    public abstract object Value { get; }

    /// <summary>The whole buffer.</summary>
    public abstract Span<T> Data { get; }

    /// <summary>One named tensor (e.g. <c>weight_ih</c>) inside the buffer.</summary>
    public abstract Span<T> Tensor(string name);

    /// <summary>PyTorch's default initialisation, U(±1/√H).</summary>
    public abstract void InitializePyTorchDefault(Random random);

    /// <summary>Copies <paramref name="source"/> (exactly <see cref="DynamicLstmCell.ParameterCount"/> scalars) in.</summary>
    public abstract void CopyFrom(ReadOnlySpan<T> source);

    /// <summary>Sets every scalar to zero.</summary>
    public abstract void Clear();
}

/// <summary>A training workspace of a <see cref="DynamicLstmCell"/>: an <see cref="LstmWorkspace{TCell, T}"/> inside.</summary>
public abstract class DynamicLstmWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected DynamicLstmWorkspace(DynamicLstmCell cell) => Cell = cell;

    /// <summary>The cell this workspace belongs to.</summary>
    public DynamicLstmCell Cell { get; }

    /// <summary>The typed <see cref="LstmWorkspace{TCell, T}"/> for generic code.</summary>
    public abstract object Value { get; }
}

/// <summary>Streaming inference with a <see cref="DynamicLstmCell"/>: an <see cref="LstmStream{TCell, T}"/> inside.</summary>
public abstract class DynamicLstmStream<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected DynamicLstmStream() { }

    /// <summary>The typed <see cref="LstmStream{TCell, T}"/> for generic code.</summary>
    public abstract object Value { get; }

    /// <summary>Sequences stepped together.</summary>
    public abstract int Batch { get; }

    /// <summary>The current h [B×H].</summary>
    public abstract ReadOnlySpan<T> Hidden { get; }

    /// <summary>The current c [B×H].</summary>
    public abstract ReadOnlySpan<T> Cell { get; }

    /// <summary>Zeros the state.</summary>
    public abstract void Reset();

    /// <summary>Sets the state to (<paramref name="h"/>, <paramref name="c"/>) [B×H].</summary>
    public abstract void SetState(ReadOnlySpan<T> h, ReadOnlySpan<T> c);

    /// <summary>Repacks the weights after the parameters changed.</summary>
    public abstract void Refresh();

    /// <summary>One step: <paramref name="x"/> [B×D] in, the new h [B×H] out.</summary>
    public abstract void Step(ReadOnlySpan<T> x, Span<T> output);

    /// <summary><paramref name="steps"/> steps: <paramref name="x"/> [T×B×D] in, every h [T×B×H] out.</summary>
    public abstract void Run(int steps, ReadOnlySpan<T> x, Span<T> output);
}
