using System;
using System.Linq;
using System.Threading;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// <see cref="LstmStream{TCell, T}"/>: stepping one step per call (weights packed once) gives exactly what one
/// Lstm.Forward over the whole sequence gives, for the standard cell and the variants, in both precisions.
/// </summary>
public class StreamTests
{
    private static void StepByStepEqualsWholeSequence<TCell, T>(int steps, int batch)
        where TCell : ILstmCell<TCell> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var random = new Random(steps * 31 + batch);
        var parameters = RandomValues.Parameters<TCell, T>(random);
        var x = RandomValues.Uniform<T>(random, steps * batch * d);
        var h0 = RandomValues.Uniform<T>(random, batch * h);
        var c0 = RandomValues.Uniform<T>(random, batch * h);

        var whole = new T[steps * batch * h];
        T[] hT = new T[batch * h], cT = new T[batch * h];
        Lstm.Forward(parameters, steps, batch, x, h0, c0, whole, hT, cT);

        var stream = new LstmStream<TCell, T>(parameters, batch);
        stream.SetState(h0, c0);
        var stepped = new T[steps * batch * h];
        for (var t = 0; t < steps; t++)
            stream.Step(x.AsSpan(t * batch * d, batch * d), stepped.AsSpan(t * batch * h, batch * h));

        // The same products on the same packed weights, in the same order per element: bit for bit.
        Assert.Multiple(() =>
        {
            Assert.That(stepped, Is.EqualTo(whole), "outputs");
            Assert.That(stream.Hidden.ToArray(), Is.EqualTo(hT), "h");
            Assert.That(stream.Cell.ToArray(), Is.EqualTo(cT), "c");
        });
    }

    [TestCase(7, 1)]
    [TestCase(5, 3)]
    public void StepByStep_EqualsOneForward_Standard(int steps, int batch)
    {
        StepByStepEqualsWholeSequence<Cell3x5, float>(steps, batch);
        StepByStepEqualsWholeSequence<Cell3x5, double>(steps, batch);
        StepByStepEqualsWholeSequence<Cell17x33, float>(steps, batch);
        StepByStepEqualsWholeSequence<Cell64x128, float>(steps, batch);
    }

    [Test]
    public void StepByStep_EqualsOneForward_Variants()
    {
        StepByStepEqualsWholeSequence<Cell5x7_Peephole_LayerNorm_ForgetBias_Clip, float>(6, 2);
        StepByStepEqualsWholeSequence<Cell5x7_Peephole_LayerNorm_Cifg_Clip, double>(6, 2);
        StepByStepEqualsWholeSequence<Cell5x7_LayerNormPerGate, float>(4, 1);
        StepByStepEqualsWholeSequence<Cell16x32_Peephole_LayerNorm_ForgetBias, float>(5, 2);
    }

    [Test]
    public void Run_OfSeveralSteps_EqualsSteppingThem()
    {
        var parameters = new LstmParameters<Cell7x13, float>();
        parameters.InitializePyTorchDefault(new Random(3));
        var x = RandomValues.Uniform<float>(new Random(4), 10 * 2 * 7);
        var a = new LstmStream<Cell7x13, float>(parameters, batch: 2);
        var b = new LstmStream<Cell7x13, float>(parameters, batch: 2);
        var outA = new float[10 * 2 * 13];
        var outB = new float[10 * 2 * 13];
        a.Run(4, x.AsSpan(0, 4 * 14), outA.AsSpan(0, 4 * 26));
        a.Run(6, x.AsSpan(4 * 14), outA.AsSpan(4 * 26));
        for (var t = 0; t < 10; t++) b.Step(x.AsSpan(t * 14, 14), outB.AsSpan(t * 26, 26));
        Assert.That(outA, Is.EqualTo(outB));
    }

    [Test]
    public void SnapshotAndRefresh_ParameterChangesApplyOnlyAfterRefresh()
    {
        var parameters = new LstmParameters<Cell3x5, double>();
        parameters.InitializePyTorchDefault(new Random(5));
        var stream = new LstmStream<Cell3x5, double>(parameters);
        var x = new[] { 0.5, -0.25, 1.0 };
        var before = new double[5];
        stream.Step(x, before);

        parameters.WeightIh[0] += 1.0;
        stream.Reset();
        var stale = new double[5];
        stream.Step(x, stale);
        Assert.That(stale, Is.EqualTo(before), "the stream runs on its snapshot");

        stream.Refresh();
        stream.Reset();
        var fresh = new double[5];
        stream.Step(x, fresh);
        var expected = new double[5];
        Lstm.Forward(parameters, 1, 1, x, expected, new double[5], new double[5]);
        Assert.That(fresh, Is.EqualTo(expected), "after Refresh the change is seen");
        Assert.That(fresh, Is.Not.EqualTo(before));
    }

    [Test]
    public void Reset_StartsFromAZeroState()
    {
        var parameters = new LstmParameters<Cell3x5, float>();
        parameters.InitializePyTorchDefault(new Random(6));
        var stream = new LstmStream<Cell3x5, float>(parameters);
        var x = new[] { 1f, 2f, 3f };
        var first = new float[5];
        var second = new float[5];
        stream.Step(x, first);
        stream.Step(x, second);
        Assert.That(second, Is.Not.EqualTo(first), "the state carries over");
        stream.Reset();
        var again = new float[5];
        stream.Step(x, again);
        Assert.That(again, Is.EqualTo(first));
    }

    [Test]
    public void BadInput_NamesTheArgument_AndKeepsTheState()
    {
        var parameters = new LstmParameters<Cell3x5, float>();
        parameters.InitializePyTorchDefault(new Random(7));
        var stream = new LstmStream<Cell3x5, float>(parameters, batch: 2);
        stream.Step(new float[6], new float[10]);
        var h = stream.Hidden.ToArray();
        var output = Enumerable.Repeat(9f, 10).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentException>(() => stream.Step(new float[5], output))!.Message, Does.Contain("'x' has length 5, expected 6"));
            Assert.That(Assert.Throws<ArgumentException>(() => stream.Step(new float[6], new float[5]))!.Message, Does.Contain("'output' has length 5, expected 10"));
            Assert.That(Assert.Throws<ArgumentException>(() => stream.SetState(new float[5], new float[10]))!.ParamName, Is.EqualTo("h"));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LstmStream<Cell3x5, float>(parameters, batch: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => stream.Run(0, default, default));
            Assert.That(output, Is.All.EqualTo(9f));
            Assert.That(stream.Hidden.ToArray(), Is.EqualTo(h));
        });
    }

    [Test]
    public void Steps_AllocateNothing()
    {
        var parameters = new LstmParameters<Cell64x128, float>();
        parameters.InitializePyTorchDefault(new Random(8));
        var stream = new LstmStream<Cell64x128, float>(parameters);
        var x = new float[64];
        var output = new float[128];
        void Steps()
        {
            for (var i = 0; i < 2_000; i++) stream.Step(x, output);
        }
        Steps(); // warm-up: the runtime's one-time tiering work allocates on this thread
        Thread.Sleep(200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Steps();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }

    [Test]
    public void ReadmeSnippet_Runs()
    {
        var parameters = new LstmParameters<Cell3x5, float>();
        parameters.InitializePyTorchDefault(new Random(0));
        // --- README "One step at a time" (TinyCell there is 3×5 like Cell3x5)
        var stream = new LstmStream<Cell3x5, float>(parameters);
        var step = new float[Cell3x5.HiddenSize];
        stream.Step(new float[] { 0.1f, 0.2f, 0.3f }, step);
        stream.Step(new float[] { 0.4f, 0.5f, 0.6f }, step);
        var afterTwo = stream.Hidden.ToArray();
        stream.Reset();
        stream.Refresh();
        // --- end
        var whole = new float[2 * 5];
        Lstm.Forward(parameters, 2, 1, new[] { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f }, whole, new float[5], new float[5]);
        Assert.That(afterTwo, Is.EqualTo(whole[5..]));
        Assert.That(step, Is.EqualTo(whole[5..]));
        Assert.That(stream.Hidden.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void CheckMode_ReportsANonFiniteInput()
    {
        var parameters = new LstmParameters<Cell3x5, float>();
        parameters.InitializePyTorchDefault(new Random(9));
        var stream = new LstmStream<Cell3x5, float>(parameters);
        var previous = Lstm.CheckFiniteValues;
        Lstm.CheckFiniteValues = true;
        try
        {
            var error = Assert.Throws<NonFiniteValueException>(() => stream.Step(new[] { 0f, float.NaN, 0f }, new float[5]))!;
            Assert.That((error.Pass, error.Tensor, error.Index), Is.EqualTo(("stream", "x", 1)));
        }
        finally
        {
            Lstm.CheckFiniteValues = previous;
        }
    }
}
