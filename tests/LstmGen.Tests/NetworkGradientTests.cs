using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using LstmGen.Layers;
using LstmGen.Testing;
using LstmGen.Training;
using NUnit.Framework;
using static LstmGen.Tests.NetworkTestSupport;

namespace LstmGen.Tests;

/// <summary>
/// Whole networks in double precision against central finite differences (step 1e-6, tolerance 1e-6 normwise,
/// specs/networks.md §5): stacked, bidirectional, mixed cell types, variable lengths, a linear head and cross-entropy.
/// </summary>
public class NetworkGradientTests
{
    /// <summary>The test cells by (D, H); upper layers read H or 2H of the layer below.</summary>
    private static readonly Dictionary<(int D, int H), Func<bool, RecurrentLayer<double>>> Catalogue = new()
    {
        [(2, 2)] = b => new LstmLayer<Fd2x2, double>(b), [(2, 3)] = b => new LstmLayer<Cell2x3, double>(b),
        [(3, 2)] = b => new LstmLayer<Fd3x2, double>(b), [(3, 3)] = b => new LstmLayer<Fd3x3, double>(b),
        [(4, 2)] = b => new LstmLayer<Fd4x2, double>(b), [(4, 3)] = b => new LstmLayer<Fd4x3, double>(b),
        [(6, 2)] = b => new LstmLayer<Fd6x2, double>(b), [(6, 3)] = b => new LstmLayer<Fd6x3, double>(b),
    };

    /// <summary>A network to check: layers as (H, bidirectional) over an input of D features.</summary>
    public sealed record NetworkSpec(int InputSize, (int Hidden, bool Bidirectional)[] Layers, int Steps, int Batch, int[] Lengths,
        SequenceLayout Layout, int Classes, int Seed)
    {
        public override string ToString()
            => $"D={InputSize} layers=[{string.Join(", ", Layers.Select(l => $"H{l.Hidden}{(l.Bidirectional ? " bi" : "")}"))}] T={Steps} B={Batch} lengths=[{string.Join(",", Lengths)}] {Layout} K={Classes} seed={Seed}";
    }

    [Test]
    public void TwoLayerBidirectional_WithHeadAndCrossEntropy_VariableLengths()
    {
        var spec = new NetworkSpec(3, new[] { (3, true), (3, true) }, Steps: 6, Batch: 4, Lengths: new[] { 6, 2, 5, 1 },
            SequenceLayout.TimeMajor, Classes: 4, Seed: 11);
        var report = CheckNetwork(spec);
        report.ThrowIfFailed();
        Assert.That(report.Tensors.Select(t => t.Name), Does.Contain("lstm.weight_hh_l1_reverse"));
        TestContext.Out.WriteLine(report);
    }

    [Test]
    public void RandomNetworks_MatchFiniteDifferences()
    {
        var gen =
            from input in Gen.Elements(2, 3)
            from depth in Gen.Choose(1, 3)
            from hidden in Gen.ArrayOf(Gen.Elements(2, 3), depth)
            from bidirectional in Gen.ArrayOf(Gen.Elements(false, true), depth)
            from steps in Gen.Choose(1, 6)
            from batch in Gen.Choose(1, 4)
            from lengths in Gen.ArrayOf(Gen.Choose(1, steps), batch)
            from layout in Gen.Elements(SequenceLayout.TimeMajor, SequenceLayout.BatchFirst)
            from classes in Gen.Choose(2, 5)
            from seed in Gen.Choose(0, 1_000_000)
            select new NetworkSpec(input, hidden.Zip(bidirectional).ToArray(), steps, batch, lengths, layout, classes, seed);
        var property = Prop.ForAll(Arb.From(gen), spec =>
        {
            var report = CheckNetwork(spec);
            if (!report.Passed) throw new GradientCheckFailedException($"{spec}\n{report}");
        });
        var config = Config.QuickThrowOnFailure.WithMaxTest(100)
            .WithReplay(new Replay(new Rnd(20240605UL, 0x9E3779B97F4A7C15UL), null));
        Check.One(config, property);
    }

    [Test]
    public void Stack_WithInitialState_MixedCells_BatchFirst_IncludingGradientsOfTheState()
    {
        // Layer 0: 2 → 3 bidirectional (6 out); layer 1: 6 → 2 one direction; layer 2: 2 → 3 bidirectional.
        var layers = new[] { Catalogue[(2, 3)](true), Catalogue[(6, 2)](false), Catalogue[(2, 3)](true) };
        var stack = new LstmStack<double>(layers);
        var random = new Random(5);
        foreach (var tensor in stack.Parameters) Initializers.Uniform(tensor.Value.Span, 0.5, random);
        int steps = 5, batch = 3;
        var shape = new SequenceShape(steps, batch, SequenceLayout.BatchFirst, new[] { 3, 5, 1 });
        var x = Normal(random, shape.Rows * stack.InputSize);
        var state = stack.StateLength(batch);
        double[] h0 = Normal(random, state, 0.5), c0 = Normal(random, state, 0.5);
        double[] upOutput = Normal(random, shape.Rows * stack.OutputSize), upH = Normal(random, state), upC = Normal(random, state);

        double Loss()
        {
            var output = new double[upOutput.Length];
            double[] hN = new double[state], cN = new double[state];
            stack.Forward(x, shape, h0, c0, output, hN, cN, training: false);
            return Dot(output, upOutput) + Dot(hN, upH) + Dot(cN, upC);
        }

        stack.ZeroGradients();
        stack.Forward(x, shape, h0, c0, new double[upOutput.Length], new double[state], new double[state], training: true);
        double[] dx = new double[x.Length], dh0 = new double[state], dc0 = new double[state];
        stack.Backward(upOutput, upH, upC, dx, dh0, dc0);
        var tensors = new List<CheckedTensor> { new("x", x, dx), new("h0", h0, dh0), new("c0", c0, dc0) };
        tensors.AddRange(NetworkGradientCheck.Parameters(stack.Parameters));
        var report = NetworkGradientCheck.Run("3-layer mixed stack", Loss, tensors);
        report.ThrowIfFailed();
        // Padded steps get exactly zero input gradient.
        for (var b = 0; b < batch; b++)
            for (var t = shape.Length(b); t < steps; t++)
                Assert.That(dx.AsSpan(shape.Row(t, b) * stack.InputSize, stack.InputSize).ToArray(), Is.All.EqualTo(0.0), $"dx at padded step {t} of sample {b}");
    }

    /// <summary>Builds the network of <paramref name="spec"/> (dense input, linear head, cross-entropy) and checks x and every parameter.</summary>
    internal static GradientCheckReport CheckNetwork(NetworkSpec spec, NetworkGradientCheckOptions? options = null)
    {
        var layers = new List<RecurrentLayer<double>>();
        var input = spec.InputSize;
        foreach (var (hidden, bidirectional) in spec.Layers)
        {
            layers.Add(Catalogue[(input, hidden)](bidirectional));
            input = (bidirectional ? 2 : 1) * hidden;
        }
        var stack = new LstmStack<double>(layers);
        var network = new LstmNetwork<double>(null, stack, new Linear<double>(stack.OutputSize, spec.Classes));
        var random = new Random(spec.Seed);
        foreach (var tensor in network.Parameters) Initializers.Uniform(tensor.Value.Span, 0.5, random);
        var shape = new SequenceShape(spec.Steps, spec.Batch, spec.Layout, spec.Lengths);
        var x = Normal(random, shape.Rows * network.InputSize);
        var labels = new int[shape.Rows];
        for (var r = 0; r < labels.Length; r++) labels[r] = shape.IsValidRow(r) ? random.Next(spec.Classes) : -1;
        var logits = new double[shape.Rows * spec.Classes];
        // A non-zero initial state (carried in, as in stateful training), so no recurrent weight has an exactly-zero gradient.
        var initialState = network.CreateState(spec.Batch);
        double[] h0 = Normal(random, initialState.H.Length, 0.5), c0 = Normal(random, initialState.C.Length, 0.5);
        LstmState<double> State()
        {
            h0.CopyTo(initialState.H, 0);
            c0.CopyTo(initialState.C, 0);
            return initialState;
        }

        double Loss()
        {
            network.Forward(x, shape, logits, training: false, State());
            return SoftmaxCrossEntropy.Compute<double>(logits, spec.Classes, labels, shape, default);
        }

        network.ZeroGradients();
        network.Forward(x, shape, logits, training: true, State());
        var dLogits = new double[logits.Length];
        SoftmaxCrossEntropy.Compute<double>(logits, spec.Classes, labels, shape, dLogits);
        var dx = new double[x.Length];
        network.Backward(dLogits, dx);
        var tensors = new List<CheckedTensor> { new("x", x, dx) };
        tensors.AddRange(NetworkGradientCheck.Parameters(network.Parameters));
        return NetworkGradientCheck.Run(spec.ToString(), Loss, tensors, options);
    }
}
