using System;
using System.Numerics;

namespace LstmGen;

/// <summary>
/// The checked entry points of every generated cell: forward over a whole sequence (inference or training) and
/// backpropagation through time. Each generated cell also exposes these as its own static <c>Forward</c> and
/// <c>Backward</c> methods. Shapes are time-major and row-major: <c>x[t, b, d]</c>, <c>output[t, b, h]</c>,
/// states <c>[b, h]</c>.
/// </summary>
/// <remarks>
/// Every argument is checked before anything is written: a wrong length, a non-positive <c>steps</c> or
/// <c>batch</c>, or a workspace too small for the call throws an <see cref="ArgumentException"/> naming the
/// argument with the expected and actual sizes, and leaves every output untouched.
/// </remarks>
public static partial class Lstm
{
    /// <summary>
    /// Finite-check mode, off by default (it costs a scan of every tensor). When on, every checked Forward and Backward
    /// first scans its inputs and parameters and throws a <see cref="NonFiniteValueException"/> naming the tensor, time
    /// step and batch row of the first NaN or ∞ before writing anything; then scans what the kernel wrote (outputs in
    /// time order; gradients from the last step back) and throws for the first non-finite value there. Process-wide.
    /// </summary>
    public static bool CheckFiniteValues { get; set; }

    /// <summary>Inference forward from zero initial state. Records nothing.</summary>
    public static void Forward<TCell, T>(LstmParameters<TCell, T> parameters, int steps, int batch,
        ReadOnlySpan<T> x, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardChecked(parameters, null, steps, batch, x, default, default, hasState: false, output, hT, cT);

    /// <summary>Inference forward from the initial state (<paramref name="h0"/>, <paramref name="c0"/>) [B×H]. Records nothing.</summary>
    public static void Forward<TCell, T>(LstmParameters<TCell, T> parameters, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardChecked(parameters, null, steps, batch, x, h0, c0, hasState: true, output, hT, cT);

    /// <summary>
    /// Inference forward from zero initial state with the batch split into <paramref name="threads"/> parts, each run
    /// on its own thread (results equal the single-threaded call bit for bit). Records nothing.
    /// </summary>
    public static void Forward<TCell, T>(LstmParameters<TCell, T> parameters, int steps, int batch,
        ReadOnlySpan<T> x, Span<T> output, Span<T> hT, Span<T> cT, int threads)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardChecked(parameters, null, steps, batch, x, default, default, hasState: false, output, hT, cT, threads);

    /// <summary>Inference forward from (<paramref name="h0"/>, <paramref name="c0"/>) with the batch split into <paramref name="threads"/> parts. Records nothing.</summary>
    public static void Forward<TCell, T>(LstmParameters<TCell, T> parameters, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT, int threads)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardChecked(parameters, null, steps, batch, x, h0, c0, hasState: true, output, hT, cT, threads);

    /// <summary>
    /// Inference forward from zero initial state with weights packed beforehand (<see cref="LstmPackedWeights{TCell, T}"/>):
    /// for many calls with unchanged parameters. Results equal the call with the parameters bit for bit. Records nothing.
    /// </summary>
    public static void Forward<TCell, T>(LstmPackedWeights<TCell, T> weights, int steps, int batch,
        ReadOnlySpan<T> x, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardPacked(weights, steps, batch, x, default, default, hasState: false, output, hT, cT);

    /// <summary>Inference forward from (<paramref name="h0"/>, <paramref name="c0"/>) [B×H] with weights packed beforehand. Records nothing.</summary>
    public static void Forward<TCell, T>(LstmPackedWeights<TCell, T> weights, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardPacked(weights, steps, batch, x, h0, c0, hasState: true, output, hT, cT);

    /// <summary>
    /// Inference forward from zero initial state on packed weights with up to <paramref name="threads"/> threads: one or two
    /// sequences of a large cell split each step's hidden units, more sequences split the batch (see
    /// <see cref="Forward{TCell, T}(LstmParameters{TCell, T}, int, int, ReadOnlySpan{T}, Span{T}, Span{T}, Span{T}, int)"/>).
    /// Results equal the call on one thread bit for bit.
    /// </summary>
    public static void Forward<TCell, T>(LstmPackedWeights<TCell, T> weights, int steps, int batch,
        ReadOnlySpan<T> x, Span<T> output, Span<T> hT, Span<T> cT, int threads)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardPacked(weights, steps, batch, x, default, default, hasState: false, output, hT, cT, threads);

    /// <summary>Inference forward from (<paramref name="h0"/>, <paramref name="c0"/>) on packed weights with up to <paramref name="threads"/> threads.</summary>
    public static void Forward<TCell, T>(LstmPackedWeights<TCell, T> weights, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT, int threads)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => ForwardPacked(weights, steps, batch, x, h0, c0, hasState: true, output, hT, cT, threads);

    /// <summary>Training forward from zero initial state; records what <c>Backward</c> needs in <paramref name="workspace"/>.</summary>
    public static void Forward<TCell, T>(LstmParameters<TCell, T> parameters, LstmWorkspace<TCell, T> workspace, int steps, int batch,
        ReadOnlySpan<T> x, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ForwardChecked(parameters, workspace, steps, batch, x, default, default, hasState: false, output, hT, cT);
    }

    /// <summary>Training forward from (<paramref name="h0"/>, <paramref name="c0"/>); records what <c>Backward</c> needs in <paramref name="workspace"/>.</summary>
    public static void Forward<TCell, T>(LstmParameters<TCell, T> parameters, LstmWorkspace<TCell, T> workspace, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ForwardChecked(parameters, workspace, steps, batch, x, h0, c0, hasState: true, output, hT, cT);
    }

    /// <summary>
    /// Backpropagation through time for the forward recorded in <paramref name="workspace"/>, given the gradient of
    /// the loss with respect to every output [T×B×H] and to the final state (<paramref name="dhT"/>, <paramref name="dcT"/>) [B×H].
    /// Overwrites <paramref name="dx"/> [T×B×D], <paramref name="dh0"/> and <paramref name="dc0"/> [B×H];
    /// adds the parameter gradients into <paramref name="gradients"/>.
    /// </summary>
    public static void Backward<TCell, T>(LstmParameters<TCell, T> parameters, LstmWorkspace<TCell, T> workspace,
        LstmParameters<TCell, T> gradients, int steps, int batch,
        ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhT, ReadOnlySpan<T> dcT, Span<T> dx, Span<T> dh0, Span<T> dc0)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => BackwardChecked(parameters, workspace, gradients, steps, batch, dOutput, hasOutputGradient: true, dhT, dcT, dx, dh0, dc0);

    /// <summary>
    /// Backpropagation through time when only the final state carries gradient (the outputs' gradient is zero).
    /// Overwrites <paramref name="dx"/>, <paramref name="dh0"/>, <paramref name="dc0"/>; adds into <paramref name="gradients"/>.
    /// </summary>
    public static void Backward<TCell, T>(LstmParameters<TCell, T> parameters, LstmWorkspace<TCell, T> workspace,
        LstmParameters<TCell, T> gradients, int steps, int batch,
        ReadOnlySpan<T> dhT, ReadOnlySpan<T> dcT, Span<T> dx, Span<T> dh0, Span<T> dc0)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => BackwardChecked(parameters, workspace, gradients, steps, batch, default, hasOutputGradient: false, dhT, dcT, dx, dh0, dc0);

    private static void ForwardChecked<TCell, T>(LstmParameters<TCell, T> parameters, LstmWorkspace<TCell, T>? workspace,
        int steps, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, bool hasState,
        Span<T> output, Span<T> hT, Span<T> cT, int threads = 1)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.Positive(threads, nameof(threads));
        CheckForwardShapes<TCell, T>(steps, batch, x, h0, c0, hasState, output, hT, cT);
        if (workspace is not null)
        {
            if (steps > workspace.MaxSteps)
                throw new ArgumentException($"'workspace' holds at most {workspace.MaxSteps} steps, the call has {steps}.", nameof(workspace));
            if (batch > workspace.MaxBatch)
                throw new ArgumentException($"'workspace' holds at most {workspace.MaxBatch} batch rows, the call has {batch}.", nameof(workspace));
        }

        if (CheckFiniteValues)
        {
            CheckForwardInputs<TCell, T>(steps, batch, x, h0, c0);
            FiniteCheck.Parameters("forward", "", parameters);
        }

        workspace?.BeginRecording();
        var parts = Math.Min(batch, workspace?.Threads ?? threads);
        if (workspace is null && UnitSplitPays<TCell>(batch, threads)
            && TryForwardUnits(parameters, steps, batch, x, h0, c0, output, hT, cT, UnitParts(threads)))
        {
            // Done: the threads split the hidden units of every step.
        }
        else if (parts > 1 || workspace is { Threads: > 1 })
        {
            ForwardSplit(parameters.Data, workspace, steps, batch, x, h0, c0, hasState, output, hT, cT, parts);
        }
        else
        {
            var cache = workspace is null ? default : workspace.CacheFor(steps, batch);
            KernelCalls.Forward<TCell, T>(parameters.Data, steps, batch, x, h0, c0, output, hT, cT, cache);
        }
        workspace?.EndRecording(steps, batch, parameters);
        if (CheckFiniteValues) CheckForwardOutputs<TCell, T>(steps, batch, output, cT);
    }

    private static void ForwardPacked<TCell, T>(LstmPackedWeights<TCell, T> weights, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, bool hasState, Span<T> output, Span<T> hT, Span<T> cT, int threads = 1)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weights);
        Guard.Positive(threads, nameof(threads));
        CheckForwardShapes<TCell, T>(steps, batch, x, h0, c0, hasState, output, hT, cT);
        if (CheckFiniteValues) CheckForwardInputs<TCell, T>(steps, batch, x, h0, c0);
        var bfloat16 = weights.Format == LstmWeightFormat.BFloat16;
        if (UnitSplitPays<TCell>(batch, threads)
            && TryForwardUnits<TCell, T>(weights.Snapshot, weights.Packed, bfloat16, steps, batch, x, h0, c0, output, hT, cT, UnitParts(threads)))
        {
            // Done: the threads split the hidden units of every step.
        }
        else if (Math.Min(batch, threads) > 1)
        {
            ForwardSplit<TCell, T>(weights.Snapshot, null, steps, batch, x, h0, c0, hasState, output, hT, cT, Math.Min(batch, threads), weights.Packed, bfloat16);
        }
        else
        {
            weights.Run(steps, batch, x, h0, c0, output, hT, cT);
        }
        if (CheckFiniteValues) CheckForwardOutputs<TCell, T>(steps, batch, output, cT);
    }

    private static void CheckForwardShapes<TCell, T>(int steps, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> h0,
        ReadOnlySpan<T> c0, bool hasState, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Positive(steps, nameof(steps));
        Guard.Positive(batch, nameof(batch));
        long d = TCell.InputSize, h = TCell.HiddenSize;
        Guard.SequenceLength(x.Length, steps, batch, d, nameof(x), "inputSize");
        if (hasState)
        {
            Guard.StateLength(h0.Length, batch, h, nameof(h0));
            Guard.StateLength(c0.Length, batch, h, nameof(c0));
        }
        Guard.SequenceLength(output.Length, steps, batch, h, nameof(output), "hiddenSize");
        Guard.StateLength(hT.Length, batch, h, nameof(hT));
        Guard.StateLength(cT.Length, batch, h, nameof(cT));
    }

    private static void CheckForwardInputs<TCell, T>(int steps, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        FiniteCheck.Sequence<T>("forward", "x", x, steps, batch, TCell.InputSize);
        FiniteCheck.State<T>("forward", "h0", h0, TCell.HiddenSize);
        FiniteCheck.State<T>("forward", "c0", c0, TCell.HiddenSize);
    }

    private static void CheckForwardOutputs<TCell, T>(int steps, int batch, Span<T> output, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        FiniteCheck.Sequence<T>("forward", "output", output, steps, batch, TCell.HiddenSize);
        FiniteCheck.State<T>("forward", "cT", cT, TCell.HiddenSize);
    }

    private static void BackwardChecked<TCell, T>(LstmParameters<TCell, T> parameters, LstmWorkspace<TCell, T> workspace,
        LstmParameters<TCell, T> gradients, int steps, int batch, ReadOnlySpan<T> dOutput, bool hasOutputGradient,
        ReadOnlySpan<T> dhT, ReadOnlySpan<T> dcT, Span<T> dx, Span<T> dh0, Span<T> dc0)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(gradients);
        if (ReferenceEquals(parameters, gradients))
            throw new ArgumentException("'gradients' must be a separate buffer from 'parameters'.", nameof(gradients));
        Guard.Positive(steps, nameof(steps));
        Guard.Positive(batch, nameof(batch));
        if (workspace.RecordedSteps == 0)
            throw new ArgumentException("'workspace' holds no recorded forward: call Forward with this workspace first.", nameof(workspace));
        if (workspace.RecordedSteps != steps || workspace.RecordedBatch != batch)
            throw new ArgumentException($"'workspace' recorded a forward of {workspace.RecordedSteps} steps × {workspace.RecordedBatch} rows, the call has {steps} × {batch}.", nameof(workspace));
        if (!ReferenceEquals(workspace.RecordedParameters, parameters))
            throw new ArgumentException("'workspace' recorded a forward with a different 'parameters' object.", nameof(parameters));
        long d = TCell.InputSize, h = TCell.HiddenSize;
        if (hasOutputGradient)
            Guard.SequenceLength(dOutput.Length, steps, batch, h, nameof(dOutput), "hiddenSize");
        Guard.StateLength(dhT.Length, batch, h, nameof(dhT));
        Guard.StateLength(dcT.Length, batch, h, nameof(dcT));
        Guard.SequenceLength(dx.Length, steps, batch, d, nameof(dx), "inputSize");
        Guard.StateLength(dh0.Length, batch, h, nameof(dh0));
        Guard.StateLength(dc0.Length, batch, h, nameof(dc0));

        if (CheckFiniteValues)
        {
            FiniteCheck.Sequence<T>("backward", "dOutput", dOutput, hasOutputGradient ? steps : 0, batch, (int)h, reverse: true);
            FiniteCheck.State<T>("backward", "dhT", dhT, (int)h);
            FiniteCheck.State<T>("backward", "dcT", dcT, (int)h);
            FiniteCheck.Parameters("backward", "", parameters);
        }

        if (workspace.Threads > 1)
        {
            BackwardSplit(parameters, workspace, gradients, steps, batch, dOutput, hasOutputGradient, dhT, dcT, dx, dh0, dc0, Math.Min(batch, workspace.Threads));
        }
        else
        {
            var cache = workspace.CacheFor(steps, batch);
            KernelCalls.Backward<TCell, T>(parameters.Data, steps, batch, cache, dOutput, dhT, dcT, dx, dh0, dc0, gradients.Data);
        }
        if (CheckFiniteValues)
        {
            FiniteCheck.Sequence<T>("backward", "dx", dx, steps, batch, (int)d, reverse: true);
            FiniteCheck.State<T>("backward", "dh0", dh0, (int)h);
            FiniteCheck.State<T>("backward", "dc0", dc0, (int)h);
            FiniteCheck.Parameters("backward", "gradient of ", gradients);
        }
    }
}
