using System;
using LstmGen.Testing;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// Batch-split calls (inference with <c>threads</c>, training with a workspace of several threads) against the
/// single-threaded call: rows never interact, so outputs, states, dx, dh0 and dc0 are bit-for-bit the same; the
/// parameter gradients are sums of per-part sums, equal to 1e-12 normwise; and a split backward still adds into the
/// caller's gradients.
/// </summary>
[TestFixture(typeof(Cell7x13))]
[TestFixture(typeof(Cell16x32))]
[TestFixture(typeof(Cell17x33))]
[TestFixture(typeof(Cell5x7_Peephole_LayerNorm_ForgetBias_Clip))]
public class ThreadedTests<TCell> where TCell : ILstmCell<TCell>
{
    private static readonly int D = TCell.InputSize;
    private static readonly int H = TCell.HiddenSize;

    [Test]
    public void SplitInference_EqualsOneThread_BitForBit([Values(2, 3)] int threads)
        => Properties.ForAll($"split inference {typeof(TCell).Name}", Properties.Problems(maxBatch: 7), 8, c =>
        {
            var p = LstmProblem<TCell>.Random(new Random(c.Seed), c.Steps, c.Batch);
            double[] o1 = new double[c.Steps * c.Batch * H], h1 = new double[c.Batch * H], c1 = new double[c.Batch * H];
            double[] o2 = new double[o1.Length], h2 = new double[h1.Length], c2 = new double[c1.Length];
            Lstm.Forward(p.Parameters, c.Steps, c.Batch, p.X, p.H0, p.C0, o1, h1, c1);
            Lstm.Forward(p.Parameters, c.Steps, c.Batch, p.X, p.H0, p.C0, o2, h2, c2, threads);
            Same(o2, o1, "output", c);
            Same(h2, h1, "hT", c);
            Same(c2, c1, "cT", c);
            Lstm.Forward(p.Parameters, c.Steps, c.Batch, p.X, o1, h1, c1);
            Lstm.Forward(p.Parameters, c.Steps, c.Batch, p.X, o2, h2, c2, threads);
            Same(o2, o1, "output (zero state)", c);
        });

    [Test]
    public void SplitTraining_EqualsOneThread([Values(2, 3)] int threads)
        => Properties.ForAll($"split training {typeof(TCell).Name}", Properties.Problems(maxBatch: 7), 8, c =>
        {
            var p = LstmProblem<TCell>.Random(new Random(c.Seed), c.Steps, c.Batch);
            var one = Train(p, new LstmWorkspace<TCell, double>(c.Steps, c.Batch));
            var split = Train(p, new LstmWorkspace<TCell, double>(c.Steps + 1, c.Batch + 2, threads));
            Same(split.Output, one.Output, "output", c);
            Same(split.HT, one.HT, "hT", c);
            Same(split.CT, one.CT, "cT", c);
            Same(split.Dx, one.Dx, "dx", c);
            Same(split.Dh0, one.Dh0, "dh0", c);
            Same(split.Dc0, one.Dc0, "dc0", c);
            var error = Normwise.RelativeError(split.Gradients.Data, one.Gradients.Data);
            if (!(error <= 1e-12)) throw new AssertionException($"{c}: parameter gradients differ by {error:E2} normwise");
        });

    private sealed record Result(double[] Output, double[] HT, double[] CT, double[] Dx, double[] Dh0, double[] Dc0, LstmParameters<TCell, double> Gradients);

    private static Result Train(LstmProblem<TCell> p, LstmWorkspace<TCell, double> workspace)
    {
        int steps = p.Steps, batch = p.Batch;
        var r = new Result(new double[steps * batch * H], new double[batch * H], new double[batch * H],
            new double[steps * batch * D], new double[batch * H], new double[batch * H], new LstmParameters<TCell, double>());
        // Start from non-zero gradients: a split backward must add into them, like a single-threaded one.
        r.Gradients.Data.Fill(0.25);
        Lstm.Forward(p.Parameters, workspace, steps, batch, p.X, p.H0, p.C0, r.Output, r.HT, r.CT);
        Lstm.Backward(p.Parameters, workspace, r.Gradients, steps, batch, p.OutputWeights, p.HTWeights, p.CTWeights, r.Dx, r.Dh0, r.Dc0);
        return r;
    }

    private static void Same(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, string what, ProblemCase c)
    {
        if (!Runs.BitwiseEqual(actual, expected))
            throw new AssertionException($"{typeof(TCell).Name} {c}: {what} is not bit-for-bit equal; {Runs.FirstDifference(actual, expected)}");
    }
}
