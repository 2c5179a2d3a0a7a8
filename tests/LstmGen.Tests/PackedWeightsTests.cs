using System;
using System.Linq;
using System.Numerics;
using System.Threading;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// <see cref="LstmPackedWeights{TCell, T}"/>: an inference forward on weights packed once equals the forward on the
/// parameters bit for bit, sees parameter changes only after Refresh, checks its arguments and allocates nothing.
/// </summary>
public class PackedWeightsTests
{
    private static void PackedEqualsUnpacked<TCell, T>(int steps, int batch)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var random = new Random(steps * 17 + batch);
        var parameters = RandomValues.Parameters<TCell, T>(random);
        var x = RandomValues.Uniform<T>(random, steps * batch * d);
        var h0 = RandomValues.Uniform<T>(random, batch * h);
        var c0 = RandomValues.Uniform<T>(random, batch * h);
        var weights = new LstmPackedWeights<TCell, T>(parameters);

        foreach (var fromState in new[] { false, true })
        {
            T[] expected = new T[steps * batch * h], hT = new T[batch * h], cT = new T[batch * h];
            T[] actual = new T[steps * batch * h], hTPacked = new T[batch * h], cTPacked = new T[batch * h];
            if (fromState)
            {
                Lstm.Forward(parameters, steps, batch, x, h0, c0, expected, hT, cT);
                Lstm.Forward(weights, steps, batch, x, h0, c0, actual, hTPacked, cTPacked);
            }
            else
            {
                Lstm.Forward(parameters, steps, batch, x, expected, hT, cT);
                Lstm.Forward(weights, steps, batch, x, actual, hTPacked, cTPacked);
            }
            Assert.Multiple(() =>
            {
                Assert.That(actual, Is.EqualTo(expected), $"outputs ({typeof(TCell).Name}, {typeof(T).Name}, state {fromState})");
                Assert.That(hTPacked, Is.EqualTo(hT), "hT");
                Assert.That(cTPacked, Is.EqualTo(cT), "cT");
            });
        }
    }

    [TestCase(7, 1)]
    [TestCase(5, 6)]
    public void PackedForward_EqualsForward_Standard(int steps, int batch)
    {
        PackedEqualsUnpacked<Cell3x5, float>(steps, batch);
        PackedEqualsUnpacked<Cell3x5, double>(steps, batch);
        PackedEqualsUnpacked<Cell17x33, float>(steps, batch);
        PackedEqualsUnpacked<Cell17x33, double>(steps, batch);
        PackedEqualsUnpacked<Cell64x128, float>(steps, batch);
    }

    [Test]
    public void PackedForward_EqualsForward_Variants()
    {
        PackedEqualsUnpacked<Cell5x7_Peephole_LayerNorm_ForgetBias_Clip, float>(6, 5);
        PackedEqualsUnpacked<Cell5x7_Peephole_LayerNorm_Cifg_Clip, double>(6, 2);
        PackedEqualsUnpacked<Cell5x7_LayerNormPerGate, float>(4, 1);
        PackedEqualsUnpacked<Cell16x32_Peephole_LayerNorm_ForgetBias, float>(5, 4);
    }

    [Test]
    public void Refresh_ParameterChangesApplyOnlyAfterIt()
    {
        var parameters = new LstmParameters<Cell3x5, double>();
        parameters.InitializePyTorchDefault(new Random(5));
        var weights = new LstmPackedWeights<Cell3x5, double>(parameters);
        var x = new[] { 0.5, -0.25, 1.0, 0.75, 0.1, -1.0 };
        double[] before = new double[10], stale = new double[10], fresh = new double[10], expected = new double[10];
        Lstm.Forward(weights, 2, 1, x, before, new double[5], new double[5]);

        parameters.WeightHh[3] += 1.0;
        parameters.BiasIh[1] -= 0.5;
        Lstm.Forward(weights, 2, 1, x, stale, new double[5], new double[5]);
        Assert.That(stale, Is.EqualTo(before), "the packed weights are a snapshot");

        weights.Refresh();
        Lstm.Forward(weights, 2, 1, x, fresh, new double[5], new double[5]);
        Lstm.Forward(parameters, 2, 1, x, expected, new double[5], new double[5]);
        Assert.That(fresh, Is.EqualTo(expected), "after Refresh the change is seen");
        Assert.That(fresh, Is.Not.EqualTo(before));
    }

    [Test]
    public void BadInput_NamesTheArgument_AndWritesNothing()
    {
        var parameters = new LstmParameters<Cell3x5, float>();
        parameters.InitializePyTorchDefault(new Random(7));
        var weights = new LstmPackedWeights<Cell3x5, float>(parameters);
        var output = Enumerable.Repeat(9f, 2 * 2 * 5).ToArray();
        var hT = Enumerable.Repeat(9f, 10).ToArray();
        var cT = Enumerable.Repeat(9f, 10).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentException>(() => Lstm.Forward(weights, 2, 2, new float[11], output, hT, cT))!.Message,
                Does.Contain("'x' has length 11, expected 12"));
            Assert.That(Assert.Throws<ArgumentException>(() => Lstm.Forward(weights, 2, 2, new float[12], new float[19], hT, cT))!.ParamName,
                Is.EqualTo("output"));
            Assert.That(Assert.Throws<ArgumentException>(() => Lstm.Forward(weights, 2, 2, new float[12], new float[9], new float[10], output, hT, cT))!.ParamName,
                Is.EqualTo("h0"));
            Assert.That(Assert.Throws<ArgumentException>(() => Lstm.Forward(weights, 2, 2, new float[12], output, hT, new float[3]))!.ParamName,
                Is.EqualTo("cT"));
            Assert.Throws<ArgumentOutOfRangeException>(() => Lstm.Forward(weights, 0, 2, default, default, hT, cT));
            Assert.Throws<ArgumentNullException>(() => Lstm.Forward((LstmPackedWeights<Cell3x5, float>)null!, 2, 2, new float[12], output, hT, cT));
            Assert.Throws<ArgumentNullException>(() => _ = new LstmPackedWeights<Cell3x5, float>(null!));
            Assert.That(output, Is.All.EqualTo(9f));
            Assert.That(hT, Is.All.EqualTo(9f));
            Assert.That(cT, Is.All.EqualTo(9f));
        });
    }

    [Test]
    public void CheckMode_ReportsANonFiniteInputAndParameter()
    {
        var parameters = new LstmParameters<Cell3x5, float>();
        parameters.InitializePyTorchDefault(new Random(9));
        var weights = new LstmPackedWeights<Cell3x5, float>(parameters);
        var previous = Lstm.CheckFiniteValues;
        Lstm.CheckFiniteValues = true;
        try
        {
            var error = Assert.Throws<NonFiniteValueException>(() => Lstm.Forward(weights, 1, 1, new[] { 0f, float.NaN, 0f }, new float[5], new float[5], new float[5]))!;
            Assert.That((error.Pass, error.Tensor, error.Index), Is.EqualTo(("forward", "x", 1)));
            parameters.WeightHh[4] = float.PositiveInfinity;
            var packing = Assert.Throws<NonFiniteValueException>(weights.Refresh)!;
            Assert.That((packing.Pass, packing.Tensor, packing.Index), Is.EqualTo(("packing", "weight_hh", 4)));
        }
        finally
        {
            Lstm.CheckFiniteValues = previous;
        }
    }

    [Test]
    public void Forwards_AllocateNothing()
    {
        var parameters = new LstmParameters<Cell64x128, float>();
        parameters.InitializePyTorchDefault(new Random(8));
        var weights = new LstmPackedWeights<Cell64x128, float>(parameters);
        var x = new float[10 * 64];
        var output = new float[10 * 128];
        var state = new float[128];
        void Forwards()
        {
            for (var i = 0; i < 200; i++) Lstm.Forward(weights, 10, 1, x, output, state, state);
        }
        Forwards(); // warm-up: the runtime's one-time tiering work allocates on this thread
        Thread.Sleep(200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Forwards();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }
}
