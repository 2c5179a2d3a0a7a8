using System;
using System.Linq;
using NUnit.Framework;

namespace LstmGen.Dynamic.Tests;

/// <summary>
/// The non-generic handle reaches the inference options of build-time cells: a forward on two threads (one sequence of
/// a cell with H ≥ 128 splits its hidden units) equals one thread bit for bit, and a stream with bfloat16 recurrent
/// weights differs from float32 by rounding only.
/// </summary>
public class ThreadsAndWeightFormatTests
{
    private static (DynamicLstmCell Cell, DynamicLstmParameters<float> Parameters, float[] X) Setup(int steps, int batch)
    {
        var cell = SharedCompiler.Instance.GetCell(new LstmCellSpec(6, 130));
        var parameters = cell.CreateParameters<float>();
        parameters.InitializePyTorchDefault(new Random(3));
        var random = new Random(4);
        var x = Enumerable.Range(0, steps * batch * 6).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return (cell, parameters, x);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    public void TwoThreads_EqualOneThread_BitForBit(int batch)
    {
        const int steps = 9;
        var (cell, parameters, x) = Setup(steps, batch);
        float[] one = new float[steps * batch * 130], two = new float[steps * batch * 130];
        float[] hT1 = new float[batch * 130], cT1 = new float[batch * 130], hT2 = new float[batch * 130], cT2 = new float[batch * 130];
        cell.Forward(parameters, steps, batch, x, default, default, one, hT1, cT1);
        cell.Forward(parameters, steps, batch, x, default, default, two, hT2, cT2, threads: 2);
        Assert.Multiple(() =>
        {
            Assert.That(two, Is.EqualTo(one), "outputs");
            Assert.That(hT2, Is.EqualTo(hT1), "hT");
            Assert.That(cT2, Is.EqualTo(cT1), "cT");
        });
    }

    [Test]
    public void BFloat16Stream_DiffersFromFloat32ByRoundingOnly()
    {
        const int steps = 12;
        var (cell, parameters, x) = Setup(steps, 1);
        var full = cell.CreateStream(parameters, 1, LstmWeightFormat.Default);
        var reduced = cell.CreateStream(parameters, 1, LstmWeightFormat.BFloat16);
        float[] a = new float[steps * 130], b = new float[steps * 130];
        full.Run(steps, x, a);
        reduced.Run(steps, x, b);
        double worst = 0, scale = 0;
        for (var i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            scale = Math.Max(scale, Math.Abs(a[i]));
        }
        Assert.That(worst / scale, Is.GreaterThan(0).And.LessThan(1e-2), "worst relative difference");
        Assert.Throws<NotSupportedException>(() => cell.CreateStream(cell.CreateParameters<double>(), 1, LstmWeightFormat.BFloat16), "double cells keep their weights");
    }
}
