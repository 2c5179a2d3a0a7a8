using System;
using System.Numerics;
using LstmGen.Layers;
using LstmGen.Testing;
using LstmGen.Training;
using NUnit.Framework;
using static LstmGen.Tests.NetworkTestSupport;

namespace LstmGen.Tests;

/// <summary>
/// Variable lengths have PyTorch's packed-sequence semantics: a sample of length L inside a padded batch gives exactly
/// what running it alone for L steps gives, whatever the padding holds.
/// </summary>
public class PackedSequenceTests
{
    private static readonly int[] Lengths = { 3, 7, 1, 5, 7 };
    private const int Steps = 7;

    private static LstmStack<T> NewStack<T>(int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var stack = new LstmStack<T>(new RecurrentLayer<T>[] { new LstmLayer<Net3x4, T>(true), new LstmLayer<Net8x4, T>(true) });
        stack.InitializePyTorchDefault(new Random(seed));
        return stack;
    }

    [TestCase(SequenceLayout.TimeMajor)]
    [TestCase(SequenceLayout.BatchFirst)]
    public void SampleInPaddedBatch_EqualsSampleAlone_Double(SequenceLayout layout) => SampleInPaddedBatch_EqualsSampleAlone<double>(layout, 1e-13);

    [TestCase(SequenceLayout.TimeMajor)]
    [TestCase(SequenceLayout.BatchFirst)]
    public void SampleInPaddedBatch_EqualsSampleAlone_Float(SequenceLayout layout) => SampleInPaddedBatch_EqualsSampleAlone<float>(layout, 1e-5);

    /// <summary>
    /// Outputs, final states and input gradients of each sample are bit-identical to running it alone; the parameter
    /// gradients of the batch equal the sum of the samples' (up to summation order, <paramref name="sumTolerance"/>).
    /// Padded inputs and padded output gradients are NaN, so any read of padding would show.
    /// </summary>
    private static void SampleInPaddedBatch_EqualsSampleAlone<T>(SequenceLayout layout, double sumTolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var batch = Lengths.Length;
        var stack = NewStack<T>(3);
        var random = new Random(4);
        var shape = new SequenceShape(Steps, batch, layout, Lengths);
        int d = stack.InputSize, o = stack.OutputSize, state = stack.StateLength(batch), perSample = stack.StateLength(1);
        var x = Convert<T>(Normal(random, shape.Rows * d));
        var dy = Convert<T>(Normal(random, shape.Rows * o));
        var h0 = Convert<T>(Normal(random, state, 0.5));
        var c0 = Convert<T>(Normal(random, state, 0.5));
        var dhN = Convert<T>(Normal(random, state));
        var dcN = Convert<T>(Normal(random, state));
        for (var b = 0; b < batch; b++)
            for (var t = Lengths[b]; t < Steps; t++)
            {
                x.AsSpan(shape.Row(t, b) * d, d).Fill(T.NaN);
                dy.AsSpan(shape.Row(t, b) * o, o).Fill(T.NaN);
            }

        var output = new T[shape.Rows * o];
        T[] hN = new T[state], cN = new T[state], dx = new T[x.Length], dh0 = new T[state], dc0 = new T[state];
        stack.ZeroGradients();
        stack.Forward(x, shape, h0, c0, output, hN, cN, training: true);
        stack.Backward(dy, dhN, dcN, dx, dh0, dc0);
        var batchGradients = Gradients(stack);

        var summed = new double[batchGradients.Length];
        stack.ZeroGradients();
        for (var b = 0; b < batch; b++)
        {
            var length = Lengths[b];
            var alone = new SequenceShape(length, 1, layout);
            T[] xb = new T[length * d], dyb = new T[length * o];
            for (var t = 0; t < length; t++)
            {
                x.AsSpan(shape.Row(t, b) * d, d).CopyTo(xb.AsSpan(t * d, d));
                dy.AsSpan(shape.Row(t, b) * o, o).CopyTo(dyb.AsSpan(t * o, o));
            }
            T[] h0b = PerSample(h0, b, batch), c0b = PerSample(c0, b, batch), dhNb = PerSample(dhN, b, batch), dcNb = PerSample(dcN, b, batch);
            var outputB = new T[length * o];
            T[] hNb = new T[perSample], cNb = new T[perSample], dxb = new T[xb.Length], dh0b = new T[perSample], dc0b = new T[perSample];
            stack.ZeroGradients();
            stack.Forward(xb, alone, h0b, c0b, outputB, hNb, cNb, training: true);
            stack.Backward(dyb, dhNb, dcNb, dxb, dh0b, dc0b);
            var gradients = Gradients(stack);
            for (var i = 0; i < summed.Length; i++) summed[i] += gradients[i];

            for (var t = 0; t < Steps; t++)
            {
                var row = shape.Row(t, b);
                if (t < length)
                {
                    Assert.That(output.AsSpan(row * o, o).ToArray(), Is.EqualTo(outputB.AsSpan(t * o, o).ToArray()), $"output of sample {b} at step {t}");
                    Assert.That(dx.AsSpan(row * d, d).ToArray(), Is.EqualTo(dxb.AsSpan(t * d, d).ToArray()), $"dx of sample {b} at step {t}");
                }
                else
                {
                    Assert.That(output.AsSpan(row * o, o).ToArray(), Is.All.EqualTo(T.Zero), $"padded output of sample {b} at step {t}");
                    Assert.That(dx.AsSpan(row * d, d).ToArray(), Is.All.EqualTo(T.Zero), $"padded dx of sample {b} at step {t}");
                }
            }
            Assert.That(PerSample(hN, b, batch), Is.EqualTo(hNb), $"h_n of sample {b}");
            Assert.That(PerSample(cN, b, batch), Is.EqualTo(cNb), $"c_n of sample {b}");
            Assert.That(PerSample(dh0, b, batch), Is.EqualTo(dh0b), $"dh0 of sample {b}");
            Assert.That(PerSample(dc0, b, batch), Is.EqualTo(dc0b), $"dc0 of sample {b}");
        }
        Assert.That(Normwise.RelativeError(batchGradients, summed), Is.LessThanOrEqualTo(sumTolerance), "parameter gradients = sum over samples");
    }

    [Test]
    public void ZeroLengthSample_KeepsItsInitialState_AndOutputsZeros()
    {
        var stack = NewStack<double>(8);
        var random = new Random(9);
        var shape = new SequenceShape(4, 2, SequenceLayout.TimeMajor, new[] { 4, 0 });
        var state = stack.StateLength(2);
        var x = Normal(random, shape.Rows * stack.InputSize);
        double[] h0 = Normal(random, state), c0 = Normal(random, state), hN = new double[state], cN = new double[state];
        var output = new double[shape.Rows * stack.OutputSize];
        stack.Forward(x, shape, h0, c0, output, hN, cN, training: false);
        Assert.That(PerSample(hN, 1, 2), Is.EqualTo(PerSample(h0, 1, 2)));
        Assert.That(PerSample(cN, 1, 2), Is.EqualTo(PerSample(c0, 1, 2)));
        for (var t = 0; t < 4; t++) Assert.That(output.AsSpan(shape.Row(t, 1) * 8, 8).ToArray(), Is.All.EqualTo(0.0));
        Assert.That(PerSample(hN, 0, 2), Is.Not.EqualTo(PerSample(h0, 0, 2)), "the full-length sample moved");
    }

    [Test]
    public void InferenceAndTrainingForward_Agree()
    {
        var stack = NewStack<float>(10);
        var random = new Random(11);
        var shape = new SequenceShape(6, 3, SequenceLayout.BatchFirst, new[] { 2, 6, 4 });
        var x = Convert<float>(Normal(random, shape.Rows * stack.InputSize));
        float[] a = new float[shape.Rows * stack.OutputSize], b = new float[a.Length];
        stack.Forward(x, shape, a, training: false);
        stack.Forward(x, shape, b, training: true);
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void Lengths_AreValidated()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new SequenceShape(3, 2, SequenceLayout.TimeMajor, new[] { 1, 4 }),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'lengths'[1] is 4, expected 0 to 3"));
            Assert.That(() => new SequenceShape(3, 2, SequenceLayout.TimeMajor, new[] { 1 }),
                Throws.ArgumentException.With.Message.Contains("1 entries, expected one per sample (2)"));
            Assert.That(() => new SequenceShape(3, 1, SequenceLayout.TimeMajor, new[] { -1 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void BackwardWithoutTrainingForward_Throws()
    {
        var stack = NewStack<double>(1);
        var shape = new SequenceShape(2, 1);
        stack.Forward(new double[2 * 3], shape, new double[2 * 8], training: false);
        Assert.That(() => stack.Backward(new double[2 * 8]), Throws.InvalidOperationException.With.Message.Contains("training forward"));
    }

    [Test]
    public void WrongLengths_AreRejected_BeforeAnythingIsWritten()
    {
        var layer = new LstmLayer<Net3x4, double>(bidirectional: true);
        var shape = new SequenceShape(2, 3);
        var output = new double[2 * 3 * 8];
        output.AsSpan().Fill(42);
        Assert.That(() => layer.Forward(new double[17], shape, output, training: true),
            Throws.ArgumentException.With.Message.Contains("'x' has length 17, expected 18"));
        Assert.That(() => layer.Forward(new double[18], shape, new double[47], training: true),
            Throws.ArgumentException.With.Message.Contains("'output' has length 47, expected 48"));
        Assert.That(output, Is.All.EqualTo(42.0));
    }

    private static double[] Gradients<T>(LstmStack<T> stack) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = new System.Collections.Generic.List<double>();
        foreach (var tensor in stack.Parameters) list.AddRange(ToDouble<T>(tensor.Gradient.Span));
        return list.ToArray();
    }

    /// <summary>Sample <paramref name="b"/>'s rows of a stack state [blocks × B × H] (H = 4 in every block here).</summary>
    private static T[] PerSample<T>(T[] state, int b, int batch)
    {
        const int h = 4;
        var blocks = state.Length / (batch * h);
        var result = new T[blocks * h];
        for (var k = 0; k < blocks; k++) state.AsSpan((k * batch + b) * h, h).CopyTo(result.AsSpan(k * h, h));
        return result;
    }
}
