using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Layers;
using LstmGen.Testing;
using LstmGen.Training;
using NUnit.Framework;
using static LstmGen.Tests.NetworkTestSupport;

namespace LstmGen.Tests;

/// <summary>Dropout between layers, building networks, stateful (truncated-BPTT) training.</summary>
public class StackBehaviourTests
{
    // ---------------------------------------------------------------- dropout

    [Test]
    public void Dropout_IsPyTorchs_MaskPerElementAndStep_ScaledKeptValues_OnlyBetweenLayers()
    {
        const double p = 0.5;
        var stack = new LstmStack<double>(new RecurrentLayer<double>[] { new LstmLayer<Net3x4, double>(true), new LstmLayer<Net8x4, double>(true) }, dropout: p, dropoutSeed: 3);
        stack.InitializePyTorchDefault(new Random(1));
        var random = new Random(2);
        var shape = new SequenceShape(20, 16);
        var x = Normal(random, shape.Rows * 3);
        var output = new double[shape.Rows * 8];
        stack.Forward(x, shape, output, training: true);
        var mask = stack.LastMask(0, shape.Rows * 8).ToArray();

        // Values: 0 or 1/(1 − p); about a fraction p dropped, independently per element and step.
        Assert.That(mask.Distinct().OrderBy(v => v), Is.EqualTo(new[] { 0.0, 1 / (1 - p) }));
        var dropped = mask.Count(v => v == 0) / (double)mask.Length;
        Assert.That(dropped, Is.EqualTo(p).Within(0.03), "fraction dropped");
        Assert.That(mask.AsSpan(0, 8).ToArray(), Is.Not.EqualTo(mask.AsSpan(16 * 8, 8).ToArray()), "a fresh mask at every step");

        // Layer 1 reads exactly mask ⊙ (layer 0's output); the last layer's output is not masked.
        var y0 = new double[shape.Rows * 8];
        stack.Layers[0].Forward(x, shape, y0, training: false);
        var expected = new double[output.Length];
        stack.Layers[1].Forward(y0.Zip(mask, (a, m) => a * m).ToArray(), shape, expected, training: false);
        Assert.That(output, Is.EqualTo(expected));

        // Inference never drops: the same as a stack without dropout.
        var inference = new double[output.Length];
        stack.Forward(x, shape, inference, training: false);
        var plain = new double[output.Length];
        stack.Layers[1].Forward(y0, shape, plain, training: false);
        Assert.That(inference, Is.EqualTo(plain));
    }

    [Test]
    public void Dropout_Gradient_MatchesFiniteDifferences_WithTheSameMask()
    {
        var stack = new LstmStack<double>(new RecurrentLayer<double>[] { new LstmLayer<Cell2x3, double>(true), new LstmLayer<Fd6x2, double>(false) }, dropout: 0.4);
        var random = new Random(7);
        foreach (var tensor in stack.Parameters) Initializers.Uniform(tensor.Value.Span, 0.5, random);
        var shape = new SequenceShape(4, 3, SequenceLayout.TimeMajor, new[] { 4, 2, 3 });
        var x = Normal(random, shape.Rows * 2);
        var up = Normal(random, shape.Rows * 2);
        var output = new double[up.Length];

        double Loss()
        {
            stack.DropoutRandom.Reseed(99);
            stack.Forward(x, shape, output, training: true);
            return Dot(output, up);
        }

        stack.ZeroGradients();
        stack.DropoutRandom.Reseed(99);
        stack.Forward(x, shape, output, training: true);
        var dx = new double[x.Length];
        stack.Backward(up, dx);
        var tensors = new List<CheckedTensor> { new("x", x, dx) };
        tensors.AddRange(NetworkGradientCheck.Parameters(stack.Parameters));
        NetworkGradientCheck.Run("stack with dropout 0.4", Loss, tensors).ThrowIfFailed();
    }

    // ---------------------------------------------------------------- building

    [Test]
    public void SizeMismatch_IsReportedAtBuild_NamingTheLayer()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new LstmNetworkBuilder<float>().Lstm<Net3x4>(bidirectional: true).Lstm<Net4x4>().Build(0),
                Throws.ArgumentException.With.Message.Contains("Layer 1 (Net4x4) takes 4 input features, but layer 0 (Net3x4, bidirectional) outputs 2 × 4 = 8 features."));
            Assert.That(() => new LstmNetworkBuilder<float>().Lstm<Net3x4>().Lstm<Net8x4>().Build(0),
                Throws.ArgumentException.With.Message.Contains("Layer 1 (Net8x4) takes 8 input features, but layer 0 (Net3x4) outputs 4 features."));
            Assert.That(() => new LstmNetworkBuilder<float>().Embedding(10, 5).Lstm<Net3x4>().Build(0),
                Throws.ArgumentException.With.Message.Contains("Layer 0 (Net3x4) takes 3 input features, but the embedding produces vectors of 5."));
            Assert.That(() => new LstmNetworkBuilder<float>().Input(2).Lstm<Net3x4>().Build(0),
                Throws.ArgumentException.With.Message.Contains("Layer 0 (Net3x4) takes 3 input features, but the input has 2."));
            Assert.That(() => new LstmNetwork<float>(null, new LstmStack<float>(new[] { new LstmLayer<Net3x4, float>() }), new Linear<float>(8, 2)),
                Throws.ArgumentException.With.Message.Contains("The linear head takes 8 input features, but the last layer (layer 0, Net3x4) outputs 4 features."));
            Assert.That(() => new LstmNetworkBuilder<float>().Build(0), Throws.InvalidOperationException);
        });
    }

    [Test]
    public void Network_HasPyTorchNames_AndDifferentCellTypesPerLayer()
    {
        var network = new LstmNetworkBuilder<float>().Embedding(7, 3).Lstm<Net3x4>(bidirectional: true).Lstm<Net8x4>().Lstm<Net4x4>().Linear(7).Build(0);
        Assert.That(network.Lstm.Layers.Select(l => l.CellName), Is.EqualTo(new[] { "Net3x4", "Net8x4", "Net4x4" }));
        Assert.That(network.Parameters.Select(p => p.Name).ToArray(), Is.EqualTo(new[]
        {
            "embedding.weight",
            "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
            "lstm.weight_ih_l0_reverse", "lstm.weight_hh_l0_reverse", "lstm.bias_ih_l0_reverse", "lstm.bias_hh_l0_reverse",
            "lstm.weight_ih_l1", "lstm.weight_hh_l1", "lstm.bias_ih_l1", "lstm.bias_hh_l1",
            "lstm.weight_ih_l2", "lstm.weight_hh_l2", "lstm.bias_ih_l2", "lstm.bias_hh_l2",
            "head.weight", "head.bias",
        }));
        Assert.That(network.Parameters.First(p => p.Name == "lstm.weight_ih_l1").ShapeArray(), Is.EqualTo(new[] { 16, 8 }));
    }

    // ---------------------------------------------------------------- stateful / truncated BPTT

    [Test]
    public void Chunks_WithCarriedState_ReproduceTheWholeSequence()
    {
        var stack = new LstmStack<double>(new RecurrentLayer<double>[] { new LstmLayer<Net3x4, double>(), new LstmLayer<Net4x4, double>() });
        stack.InitializeDefault(new Random(4));
        var random = new Random(5);
        const int steps = 30, batch = 3, chunk = 7;
        var x = Normal(random, steps * batch * 3);
        var whole = new double[steps * batch * 4];
        var wholeState = stack.CreateState(batch);
        stack.Forward(x, new SequenceShape(steps, batch), wholeState, whole, training: false);

        var state = stack.CreateState(batch);
        var chunked = new double[whole.Length];
        for (var start = 0; start < steps; start += chunk)
        {
            var length = Math.Min(chunk, steps - start);
            stack.Forward(x.AsSpan(start * batch * 3, length * batch * 3), new SequenceShape(length, batch), state,
                chunked.AsSpan(start * batch * 4, length * batch * 4), training: true);
        }
        Assert.That(chunked, Is.EqualTo(whole));
        Assert.That(state.H, Is.EqualTo(wholeState.H));
        Assert.That(state.C, Is.EqualTo(wholeState.C));
    }

    [Test]
    public void TruncatedBptt_CarriesStateButNoGradient()
    {
        // A network trained chunk by chunk: the gradient of chunk k is the derivative of chunk k's loss with the
        // carried-in state held constant — nothing flows back into earlier chunks.
        var network = new LstmNetwork<double>(null, new LstmStack<double>(new RecurrentLayer<double>[] { new LstmLayer<Cell2x3, double>(), new LstmLayer<Fd3x2, double>() }),
            new Linear<double>(2, 3));
        var random = new Random(8);
        foreach (var tensor in network.Parameters) Initializers.Uniform(tensor.Value.Span, 0.5, random);
        const int batch = 2, chunk = 4, chunks = 3;
        var shape = new SequenceShape(chunk, batch);
        var inputs = Enumerable.Range(0, chunks).Select(_ => Normal(random, chunk * batch * 2)).ToArray();
        var labels = Enumerable.Range(0, chunks).Select(_ => Enumerable.Range(0, chunk * batch).Select(_ => random.Next(3)).ToArray()).ToArray();
        var logits = new double[chunk * batch * 3];
        var dLogits = new double[logits.Length];
        var state = network.CreateState(batch);
        for (var k = 0; k < chunks - 1; k++)
        {
            network.Forward(inputs[k], shape, logits, training: true, state);
            SoftmaxCrossEntropy.Compute<double>(logits, 3, labels[k], dLogits);
            network.Backward(dLogits);
        }
        double[] h = state.H.ToArray(), c = state.C.ToArray();
        network.ZeroGradients();
        network.Forward(inputs[^1], shape, logits, training: true, state);
        SoftmaxCrossEntropy.Compute<double>(logits, 3, labels[^1], dLogits);
        network.Backward(dLogits);
        Assert.That(state.H, Is.Not.EqualTo(h), "the state moved on");

        var probe = network.CreateState(batch);
        double Loss()
        {
            h.CopyTo(probe.H, 0);
            c.CopyTo(probe.C, 0);
            network.Forward(inputs[^1], shape, logits, training: false, probe);
            return SoftmaxCrossEntropy.Compute<double>(logits, 3, labels[^1], default);
        }
        NetworkGradientCheck.Run("last chunk", Loss, NetworkGradientCheck.Parameters(network.Parameters).ToList()).ThrowIfFailed();
    }
}
