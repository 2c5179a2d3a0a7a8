using System;
using System.Numerics;
using LstmGen.Layers;

namespace LstmGen.Dynamic;

/// <summary>
/// <see cref="DynamicLstmCell"/> closed over the generated cell type once (by <c>MakeGenericType</c> when the cell is
/// loaded): every member is a direct generic call into <see cref="Lstm"/>, the layers and the stream.
/// </summary>
internal sealed class DynamicLstmCellOf<TCell> : DynamicLstmCell where TCell : ILstmCell<TCell>
{
    public DynamicLstmCellOf(LstmCellSpec spec) : base(spec, typeof(TCell))
    {
    }

    public override int ParameterCount => TCell.ParameterCount;

    public override LstmCellLayout Layout => TCell.Layout;

    public override long CacheLength(int steps, int batch) => TCell.CacheLength(steps, batch);

    public override DynamicLstmParameters<T> CreateParameters<T>() => new Parameters<T>(this, new LstmParameters<TCell, T>());

    public override DynamicLstmWorkspace<T> CreateWorkspace<T>(int maxSteps, int maxBatch)
        => new Workspace<T>(this, new LstmWorkspace<TCell, T>(maxSteps, maxBatch));

    public override DynamicLstmStream<T> CreateStream<T>(DynamicLstmParameters<T> parameters, int batch = 1)
        => new Stream<T>(new LstmStream<TCell, T>(Typed(parameters, nameof(parameters)), batch));

    public override DynamicLstmStream<T> CreateStream<T>(DynamicLstmParameters<T> parameters, int batch, LstmWeightFormat format)
        => new Stream<T>(new LstmStream<TCell, T>(Typed(parameters, nameof(parameters)), batch, format));

    public override RecurrentLayer<T> CreateLayer<T>(bool bidirectional = false) => new LstmLayer<TCell, T>(bidirectional);

    public override void Forward<T>(DynamicLstmParameters<T> parameters, int steps, int batch, ReadOnlySpan<T> x,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT)
    {
        var typed = Typed(parameters, nameof(parameters));
        if (h0.IsEmpty && c0.IsEmpty) Lstm.Forward(typed, steps, batch, x, output, hT, cT);
        else Lstm.Forward(typed, steps, batch, x, h0, c0, output, hT, cT);
    }

    public override void Forward<T>(DynamicLstmParameters<T> parameters, int steps, int batch, ReadOnlySpan<T> x,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT, int threads)
    {
        var typed = Typed(parameters, nameof(parameters));
        if (h0.IsEmpty && c0.IsEmpty) Lstm.Forward(typed, steps, batch, x, output, hT, cT, threads);
        else Lstm.Forward(typed, steps, batch, x, h0, c0, output, hT, cT, threads);
    }

    public override void Forward<T>(DynamicLstmParameters<T> parameters, DynamicLstmWorkspace<T> workspace, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT)
    {
        var typed = Typed(parameters, nameof(parameters));
        var recording = Typed(workspace, nameof(workspace));
        if (h0.IsEmpty && c0.IsEmpty) Lstm.Forward(typed, recording, steps, batch, x, output, hT, cT);
        else Lstm.Forward(typed, recording, steps, batch, x, h0, c0, output, hT, cT);
    }

    public override void Backward<T>(DynamicLstmParameters<T> parameters, DynamicLstmWorkspace<T> workspace, DynamicLstmParameters<T> gradients,
        int steps, int batch, ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhT, ReadOnlySpan<T> dcT, Span<T> dx, Span<T> dh0, Span<T> dc0)
    {
        var typed = Typed(parameters, nameof(parameters));
        var recording = Typed(workspace, nameof(workspace));
        var typedGradients = Typed(gradients, nameof(gradients));
        if (dOutput.IsEmpty) Lstm.Backward(typed, recording, typedGradients, steps, batch, dhT, dcT, dx, dh0, dc0);
        else Lstm.Backward(typed, recording, typedGradients, steps, batch, dOutput, dhT, dcT, dx, dh0, dc0);
    }

    private LstmParameters<TCell, T> Typed<T>(DynamicLstmParameters<T> parameters, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters, name);
        return parameters is Parameters<T> own && ReferenceEquals(own.Cell, this)
            ? own.Typed
            : throw new ArgumentException($"'{name}' belongs to the cell {parameters.Cell}, not to {this}.", name);
    }

    private LstmWorkspace<TCell, T> Typed<T>(DynamicLstmWorkspace<T> workspace, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(workspace, name);
        return workspace is Workspace<T> own && ReferenceEquals(own.Cell, this)
            ? own.Typed
            : throw new ArgumentException($"'{name}' belongs to the cell {workspace.Cell}, not to {this}.", name);
    }

    private sealed class Parameters<T> : DynamicLstmParameters<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Parameters(DynamicLstmCell cell, LstmParameters<TCell, T> typed) : base(cell) => Typed = typed;

        public LstmParameters<TCell, T> Typed { get; }

        public override object Value => Typed;

        public override Span<T> Data => Typed.Data;

        public override Span<T> Tensor(string name) => Typed.Tensor(name);

        public override void InitializePyTorchDefault(Random random) => Typed.InitializePyTorchDefault(random);

        public override void CopyFrom(ReadOnlySpan<T> source) => Typed.CopyFrom(source);

        public override void Clear() => Typed.Clear();
    }

    private sealed class Workspace<T> : DynamicLstmWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Workspace(DynamicLstmCell cell, LstmWorkspace<TCell, T> typed) : base(cell) => Typed = typed;

        public LstmWorkspace<TCell, T> Typed { get; }

        public override object Value => Typed;
    }

    private sealed class Stream<T> : DynamicLstmStream<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly LstmStream<TCell, T> _stream;

        public Stream(LstmStream<TCell, T> stream) => _stream = stream;

        public override object Value => _stream;

        public override int Batch => _stream.Batch;

        public override ReadOnlySpan<T> Hidden => _stream.Hidden;

        public override ReadOnlySpan<T> Cell => _stream.Cell;

        public override void Reset() => _stream.Reset();

        public override void SetState(ReadOnlySpan<T> h, ReadOnlySpan<T> c) => _stream.SetState(h, c);

        public override void Refresh() => _stream.Refresh();

        public override void Step(ReadOnlySpan<T> x, Span<T> output) => _stream.Step(x, output);

        public override void Run(int steps, ReadOnlySpan<T> x, Span<T> output) => _stream.Run(steps, x, output);
    }
}
