using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Layers;
using LstmGen.Testing;
using LstmGen.Training;
using NUnit.Framework;
using static LstmGen.Tests.NetworkTestSupport;

namespace LstmGen.Tests;

/// <summary>Cross-entropy and MSE: values, gradients, numerical stability, masking.</summary>
public class LossTests
{
    [Test]
    public void CrossEntropy_IsLogSumExpMinusTheLabelsLogit_WithSoftmaxMinusOneHotGradient()
    {
        // Row 0: logits (1, 2, 3), label 2: loss = log(e + e² + e³) − 3. Row 1 is ignored.
        double[] logits = { 1, 2, 3, 5, 5, 5 };
        var gradient = new double[6];
        var loss = SoftmaxCrossEntropy.Compute<double>(logits, 3, new[] { 2, SoftmaxCrossEntropy.IgnoreIndex }, gradient);
        var sum = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.That(loss, Is.EqualTo(Math.Log(sum) - 3).Within(1e-15));
        Assert.That(gradient, Is.EqualTo(new[] { Math.Exp(1) / sum, Math.Exp(2) / sum, Math.Exp(3) / sum - 1, 0, 0, 0 }).Within(1e-15));
    }

    [Test]
    public void CrossEntropy_IsStable_ForHugeLogits()
    {
        float[] logits = { 1e4f, 0, -1e4f, 3e38f, -3e38f, 0 };
        var gradient = new float[6];
        var loss = SoftmaxCrossEntropy.Compute<float>(logits, 3, new[] { 1, 0 }, gradient);
        // Row 0: the label's logit is 1e4 below the max → loss 1e4; row 1: the label holds the max → loss 0.
        Assert.That(loss, Is.EqualTo((1e4 + 0) / 2).Within(1e-3));
        Assert.That(gradient.All(float.IsFinite), Is.True);
        Assert.That(gradient, Is.EqualTo(new[] { 0.5f, -0.5f, 0, 0, 0, 0 }));
    }

    [Test]
    public void CrossEntropy_OverSequences_CountsOnlyRealSteps()
    {
        var shape = new SequenceShape(2, 2, SequenceLayout.TimeMajor, new[] { 2, 1 });
        double[] logits = { 0, 1, 1, 0, 2, 0, double.NaN, double.NaN };   // row 3 = step 1 of sample 1: padding
        var gradient = new double[8];
        var loss = SoftmaxCrossEntropy.Compute<double>(logits, 2, new[] { 1, 0, 0, 7 }, shape, gradient);
        var expected = (Math.Log(1 + Math.E) - 1 + Math.Log(Math.E + 1) - 1 + Math.Log(Math.Exp(2) + 1) - 2) / 3;
        Assert.That(loss, Is.EqualTo(expected).Within(1e-15));
        Assert.That(gradient[6..], Is.All.EqualTo(0.0));
        Assert.That(() => SoftmaxCrossEntropy.Compute<double>(logits, 2, new[] { 1, 5, 0, 0 }, shape, gradient),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Label 5 at row 1"));
    }

    [Test]
    public void MeanSquaredError_IsPyTorchsMean_AndMasksPadding()
    {
        float[] prediction = { 1, 2, 3, 4 }, target = { 0, 2, 5, 4 };
        var gradient = new float[4];
        Assert.That(MeanSquaredError.Compute<float>(prediction, target, gradient), Is.EqualTo((1.0 + 0 + 4 + 0) / 4));
        Assert.That(gradient, Is.EqualTo(new[] { 0.5f, 0, -1, 0 }));

        var shape = new SequenceShape(2, 2, SequenceLayout.BatchFirst, new[] { 1, 2 });   // row 1 = step 1 of sample 0: padding
        Assert.That(MeanSquaredError.Compute<float>(prediction, target, 1, shape, gradient), Is.EqualTo((1.0 + 4 + 0) / 3).Within(1e-7));
        Assert.That(gradient[1], Is.EqualTo(0f));
        Assert.That(gradient[0], Is.EqualTo(2f / 3).Within(1e-7));
    }

    [Test]
    public void EmbeddingNetwork_MatchesFiniteDifferences()
    {
        var network = new LstmNetworkBuilder<double>().Embedding(6, 3).Lstm<Fd3x2>(bidirectional: true).Lstm<Fd4x3>().Linear(6).Build(0);
        var random = new Random(12);
        foreach (var tensor in network.Parameters) Initializers.Uniform(tensor.Value.Span, 0.5, random);
        var shape = new SequenceShape(5, 3, SequenceLayout.BatchFirst, new[] { 5, 3, 4 });
        var tokens = Enumerable.Range(0, shape.Rows).Select(r => shape.IsValidRow(r) ? random.Next(6) : -7).ToArray();
        var labels = Enumerable.Range(0, shape.Rows).Select(_ => random.Next(6)).ToArray();
        var logits = new double[shape.Rows * 6];

        double Loss()
        {
            network.Forward(tokens, shape, logits, training: false);
            return SoftmaxCrossEntropy.Compute<double>(logits, 6, labels, shape, default);
        }

        network.ZeroGradients();
        network.Forward(tokens, shape, logits, training: true);
        var dLogits = new double[logits.Length];
        SoftmaxCrossEntropy.Compute<double>(logits, 6, labels, shape, dLogits);
        network.Backward(dLogits);
        var report = NetworkGradientCheck.Run("embedding network", Loss, NetworkGradientCheck.Parameters(network.Parameters).ToList());
        report.ThrowIfFailed();
        Assert.That(report["embedding.weight"].MaxAbsReference, Is.GreaterThan(0));
    }
}
