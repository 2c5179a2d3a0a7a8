using System;
using System.Numerics;

namespace LstmGen.Testing;

/// <summary>
/// Shape invariants every correct cell satisfies, for any weights and inputs. Each check runs the cell on an
/// <see cref="LstmCase{TCell, T}"/> and throws <see cref="LstmCheckException"/> naming the invariant, the case, the
/// tensor and the index if it does not hold; use them as FsCheck property bodies or directly in tests.
/// </summary>
/// <remarks>
/// Tolerances are normwise (max|Δ| / max|reference|). The defaults, <see cref="DefaultTolerance{T}"/>, allow
/// for a kernel that legitimately reorders sums between two computations of the same value; the kernels today
/// give bitwise-equal results for all but <see cref="GradientsAccumulate"/>.
/// </remarks>
public static class LstmInvariants
{
    /// <summary>Default tolerance per precision: 1e-12 for double, 1e-5 for float.</summary>
    public static double DefaultTolerance<T>() where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(double) ? 1e-12 : 1e-5;

    /// <summary>Runs every invariant below on the case.</summary>
    public static void CheckAll<TCell, T>(LstmCase<TCell, T> c, double? tolerance = null)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        LastOutputIsFinalState(c);
        TrainingForwardMatchesInference(c);
        SplitSequenceMatches(c, split: null, tolerance);
        BatchRowsAreIndependent(c, tolerance);
        GradientsAccumulate(c, tolerance);
        StreamMatchesForward(c);
    }

    /// <summary>output[T−1] equals hT, element for element (exactly: both are the same h_T).</summary>
    public static void LastOutputIsFinalState<TCell, T>(LstmCase<TCell, T> c)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(c);
        var run = Forward(c, c.H0, c.C0);
        var last = run.Output.AsSpan((c.Steps - 1) * c.Batch * TCell.HiddenSize);
        LstmAssert.AreClose<T>(last, run.HT, 0, "hT", [c.Batch, TCell.HiddenSize],
            $"output[T-1] == hT failed for {c.Description} (expected = output[T-1])");
    }

    /// <summary>
    /// Stepping the case one step per call through an <see cref="LstmStream{TCell, T}"/> (weights packed once, state
    /// carried) gives exactly the output, hT and cT of one inference forward over all steps.
    /// </summary>
    public static void StreamMatchesForward<TCell, T>(LstmCase<TCell, T> c)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(c);
        int d = TCell.InputSize, h = TCell.HiddenSize, b = c.Batch;
        var whole = Forward(c, c.H0, c.C0);
        var stream = new LstmStream<TCell, T>(c.Parameters, b);
        if (c.H0 is not null && c.C0 is not null) stream.SetState(c.H0, c.C0);
        var stepped = new Run<T>(new T[c.Steps * b * h], new T[b * h], new T[b * h]);
        for (var t = 0; t < c.Steps; t++)
            stream.Step(c.X.AsSpan(t * b * d, b * d), stepped.Output.AsSpan(t * b * h, b * h));
        stream.Hidden.CopyTo(stepped.HT);
        stream.Cell.CopyTo(stepped.CT);
        CompareRun(c, whole, stepped, 0, $"stream (one step per call) == forward failed for {c.Description}");
    }

    /// <summary>A training forward (recording into a workspace) gives exactly the inference forward's output, hT and cT.</summary>
    public static void TrainingForwardMatchesInference<TCell, T>(LstmCase<TCell, T> c)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(c);
        var inference = Forward(c, c.H0, c.C0);
        var training = Forward(c, c.H0, c.C0, new LstmWorkspace<TCell, T>(c.Steps, c.Batch));
        var context = $"training forward == inference forward failed for {c.Description}";
        CompareRun(c, inference, training, 0, context);
    }

    /// <summary>
    /// Running steps 0 … k−1 and then k … T−1 from the state (h_k, c_k) the first part ends in gives the same
    /// outputs and final state as running all T steps at once. <paramref name="split"/> defaults to T / 2; a
    /// one-step case has nothing to split and passes.
    /// </summary>
    public static void SplitSequenceMatches<TCell, T>(LstmCase<TCell, T> c, int? split = null, double? tolerance = null)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Steps < 2) return;
        var k = split ?? c.Steps / 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(split));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, c.Steps - 1, nameof(split));
        int d = TCell.InputSize, h = TCell.HiddenSize, rowsD = c.Batch * d, rowsH = c.Batch * h;
        var whole = Forward(c, c.H0, c.C0);
        var first = Forward(c, k, c.X.AsSpan(0, k * rowsD), c.H0, c.C0, null);
        var second = Forward(c, c.Steps - k, c.X.AsSpan(k * rowsD), first.HT, first.CT, null);
        var joined = new Run<T>(new T[c.Steps * rowsH], second.HT, second.CT);
        first.Output.CopyTo(joined.Output, 0);
        second.Output.CopyTo(joined.Output, k * rowsH);
        CompareRun(c, whole, joined, tolerance ?? DefaultTolerance<T>(),
            $"split-sequence equivalence (steps 0..{k - 1} then {k}..{c.Steps - 1}) failed for {c.Description} (expected = all steps at once)");
    }

    /// <summary>Each batch row's outputs and final state equal those of the same row run alone (B = 1).</summary>
    public static void BatchRowsAreIndependent<TCell, T>(LstmCase<TCell, T> c, double? tolerance = null)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(c);
        int h = TCell.HiddenSize;
        var whole = Forward(c, c.H0, c.C0);
        for (var b = 0; b < c.Batch; b++)
        {
            var row = c.TakeRows(b, 1);
            var alone = Forward(row, row.H0, row.C0);
            var context = $"batch-row independence failed for row {b} of {c.Description} (expected = the row run alone)";
            var output = new T[c.Steps * h];
            for (var t = 0; t < c.Steps; t++)
                Array.Copy(whole.Output, (t * c.Batch + b) * h, output, t * h, h);
            var tol = tolerance ?? DefaultTolerance<T>();
            LstmAssert.AreClose(alone.Output, output, tol, "output", [c.Steps, 1, h], context);
            LstmAssert.AreClose<T>(alone.HT, whole.HT.AsSpan(b * h, h), tol, "hT", [1, h], context);
            LstmAssert.AreClose<T>(alone.CT, whole.CT.AsSpan(b * h, h), tol, "cT", [1, h], context);
        }
    }

    /// <summary>
    /// Backward adds the parameter gradients into the buffer it is given (G₀ + g, with G₀ random) and overwrites
    /// dx, dh0 and dc0 (buffers pre-filled with NaN come back equal to a fresh backward's).
    /// </summary>
    public static void GradientsAccumulate<TCell, T>(LstmCase<TCell, T> c, double? tolerance = null)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(c);
        var fresh = Backward(c, new LstmParameters<TCell, T>(), T.Zero);

        var start = new LstmParameters<TCell, T>();
        var random = new Random(c.Steps * 7919 + c.Batch);
        for (var i = 0; i < start.Length; i++) start.Data[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        var expected = new T[start.Length];
        for (var i = 0; i < expected.Length; i++) expected[i] = start.Data[i] + fresh.Gradients.Data[i];
        var accumulated = Backward(c, start, T.NaN);

        var tol = tolerance ?? DefaultTolerance<T>();
        var context = $"gradient accumulation failed for {c.Description}";
        foreach (var tensor in TCell.Layout.Tensors)
        {
            LstmAssert.AreClose<T>(expected.AsSpan(tensor.Offset, tensor.Length), accumulated.Gradients.Tensor(tensor.Name), tol, tensor.Name,
                tensor.Shape, context + " (expected = G0 + gradients of a backward into zeros)");
        }
        context += " (expected = a backward into fresh buffers; the buffers were pre-filled with NaN)";
        LstmAssert.AreClose(fresh.Dx, accumulated.Dx, 0, "dx", [c.Steps, c.Batch, TCell.InputSize], context);
        LstmAssert.AreClose(fresh.Dh0, accumulated.Dh0, 0, "dh0", [c.Batch, TCell.HiddenSize], context);
        LstmAssert.AreClose(fresh.Dc0, accumulated.Dc0, 0, "dc0", [c.Batch, TCell.HiddenSize], context);
    }

    private sealed record Run<T>(T[] Output, T[] HT, T[] CT);

    private sealed record BackwardResult<TCell, T>(LstmParameters<TCell, T> Gradients, T[] Dx, T[] Dh0, T[] Dc0)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>;

    private static Run<T> Forward<TCell, T>(LstmCase<TCell, T> c, T[]? h0, T[]? c0, LstmWorkspace<TCell, T>? workspace = null)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(c, c.Steps, c.X, h0, c0, workspace);

    private static Run<T> Forward<TCell, T>(LstmCase<TCell, T> c, int steps, ReadOnlySpan<T> x, T[]? h0, T[]? c0,
        LstmWorkspace<TCell, T>? workspace)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = TCell.HiddenSize;
        var run = new Run<T>(new T[steps * c.Batch * h], new T[c.Batch * h], new T[c.Batch * h]);
        if (workspace is null)
        {
            if (h0 is null) Lstm.Forward(c.Parameters, steps, c.Batch, x, run.Output, run.HT, run.CT);
            else Lstm.Forward(c.Parameters, steps, c.Batch, x, h0, c0, run.Output, run.HT, run.CT);
        }
        else
        {
            if (h0 is null) Lstm.Forward(c.Parameters, workspace, steps, c.Batch, x, run.Output, run.HT, run.CT);
            else Lstm.Forward(c.Parameters, workspace, steps, c.Batch, x, h0, c0, run.Output, run.HT, run.CT);
        }
        return run;
    }

    private static BackwardResult<TCell, T> Backward<TCell, T>(LstmCase<TCell, T> c, LstmParameters<TCell, T> gradients, T fill)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var workspace = new LstmWorkspace<TCell, T>(c.Steps, c.Batch);
        Forward(c, c.H0, c.C0, workspace);
        var result = new BackwardResult<TCell, T>(gradients, new T[c.X.Length], new T[c.Batch * TCell.HiddenSize], new T[c.Batch * TCell.HiddenSize]);
        result.Dx.AsSpan().Fill(fill);
        result.Dh0.AsSpan().Fill(fill);
        result.Dc0.AsSpan().Fill(fill);
        Lstm.Backward(c.Parameters, workspace, gradients, c.Steps, c.Batch, c.DOutput, c.DhT, c.DcT, result.Dx, result.Dh0, result.Dc0);
        return result;
    }

    private static void CompareRun<TCell, T>(LstmCase<TCell, T> c, Run<T> expected, Run<T> actual, double tolerance, string context)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = TCell.HiddenSize;
        LstmAssert.AreClose(expected.Output, actual.Output, tolerance, "output", [c.Steps, c.Batch, h], context);
        LstmAssert.AreClose(expected.HT, actual.HT, tolerance, "hT", [c.Batch, h], context);
        LstmAssert.AreClose(expected.CT, actual.CT, tolerance, "cT", [c.Batch, h], context);
    }
}
