using System;
using System.Linq;
using LstmGen.Layers;
using NUnit.Framework;

namespace LstmGen.Onnx.Tests;

/// <summary>
/// Networks exported to ONNX and run by ONNX Runtime 1.32 give LstmGen's outputs (float32, ≤ 1e-5 normwise), and
/// importing the exported model gives back the same network bit for bit.
/// </summary>
public class ExportTests
{
    private const int Steps = 7, Batch = 3;
    private static readonly int[] Lengths = { 7, 3, 5 };

    public record Case(string Name, Func<LstmNetworkBuilder<float>, LstmNetworkBuilder<float>> Layers, int? Head, bool VariableLengths)
    {
        public override string ToString() => Name;
    }

    public static readonly Case[] Cases =
    {
        new("unidirectional", b => b.Lstm<Cell3x4>(), 2, false),
        new("unidirectional, no head", b => b.Lstm<Cell3x4>(), null, false),
        new("bidirectional", b => b.Lstm<Cell3x4>(bidirectional: true), 2, false),
        new("2 layers", b => b.Lstm<Cell3x4>().Lstm<Cell4x4>(), null, false),
        new("2 bidirectional layers", b => b.Lstm<Cell3x4>(bidirectional: true).Lstm<Cell8x4>(bidirectional: true), 3, false),
        new("variable lengths", b => b.Lstm<Cell3x4>(bidirectional: true).Lstm<Cell8x4>(), 2, true),
        new("peephole", b => b.Lstm<Peephole3x4>(bidirectional: true).Lstm<Peephole8x4>(), 2, false),
        new("clip", b => b.Lstm<Clip3x4>(bidirectional: true), 2, false),
        new("clip 0.8 (not a float)", b => b.Lstm<Clip08x3x4>(), 2, false),
        new("CIFG", b => b.Lstm<Cifg3x4>(bidirectional: true), 2, false),
        new("peephole + CIFG + clip, variable lengths", b => b.Lstm<PeepholeCifgClip3x4>(bidirectional: true), 2, true),
    };

    private static LstmNetwork<float> Build(Case c, int seed = 5)
    {
        var builder = c.Layers(new LstmNetworkBuilder<float>());
        if (c.Head is { } outputs) builder.Linear(outputs);
        return builder.Build(seed, NetworkInitialization.PyTorchDefault);
    }

    private static SequenceShape ShapeOf(Case c) => new(Steps, Batch, SequenceLayout.TimeMajor, c.VariableLengths ? Lengths : null);

    [TestCaseSource(nameof(Cases))]
    public void OnnxRuntimeGivesLstmGensOutputs(Case c)
    {
        var network = Build(c);
        var shape = ShapeOf(c);
        var x = Support.RandomInput(Steps * Batch * network.InputSize, seed: 11);
        var ours = Support.Forward(network, x, shape);
        var model = Support.Export(network, new OnnxExportOptions { SequenceLengths = c.VariableLengths });
        var theirs = Support.RunOrt(model, x, Steps, Batch, network.InputSize, c.VariableLengths ? Lengths : null);
        Assert.That(Support.Normwise(ours, theirs, shape, network.OutputSize), Is.LessThanOrEqualTo(1e-5));
    }

    [TestCaseSource(nameof(Cases))]
    public void ExportThenImportIsExact(Case c)
    {
        var network = Build(c);
        var info = OnnxModel.Read(Support.Export(network, new OnnxExportOptions { SequenceLengths = c.VariableLengths }));
        var imported = info.CreateNetwork(Support.Cells);

        Assert.That(imported.Parameters.Select(p => p.Name), Is.EqualTo(network.Parameters.Select(p => p.Name)));
        for (var i = 0; i < network.Parameters.Count; i++)
            Assert.That(imported.Parameters[i].Value.ToArray(), Is.EqualTo(network.Parameters[i].Value.ToArray()), network.Parameters[i].Name);
        for (var k = 0; k < network.Lstm.Layers.Count; k++)
            Assert.That(imported.Lstm.Layers[k].CellName, Is.EqualTo(network.Lstm.Layers[k].CellName), $"layer {k}'s cell");
        Assert.That(info.Layout, Is.EqualTo(SequenceLayout.TimeMajor));
        Assert.That(info.SequenceLengthsName, c.VariableLengths ? Is.EqualTo("sequence_lens") : Is.Null);

        var shape = ShapeOf(c);
        var x = Support.RandomInput(Steps * Batch * network.InputSize, seed: 12);
        Assert.That(Support.Forward(imported, x, shape), Is.EqualTo(Support.Forward(network, x, shape)));
    }

    [Test]
    public void ClipIsActiveInTheClipCaseAndTheCellStateExceedsIt()
    {
        // So the clip case tells clipping from not clipping, and clipping the pre-activations from clipping c as well.
        var clipped = new LstmNetworkBuilder<float>().Lstm<Clip3x4>().Build(5, NetworkInitialization.PyTorchDefault);
        var plain = new LstmNetworkBuilder<float>().Lstm<Cell3x4>().Build(5, NetworkInitialization.PyTorchDefault);
        for (var i = 0; i < plain.Parameters.Count; i++) plain.Parameters[i].Value.Span.Fill(0);
        for (var i = 0; i < plain.Parameters.Count; i++) clipped.Parameters[i].Value.Span.CopyTo(plain.Parameters[i].Value.Span);
        var shape = new SequenceShape(Steps, Batch);
        var x = Support.RandomInput(Steps * Batch * 3, seed: 11);
        var a = Support.Forward(clipped, x, shape);
        var b = Support.Forward(plain, x, shape);
        Assert.That(a.Zip(b, (p, q) => Math.Abs(p - q)).Max(), Is.GreaterThan(1e-2), "clip changes the outputs");
        var state = clipped.CreateState(Batch);
        clipped.Forward(x, shape, new float[shape.Rows * 4], training: false, state);
        Assert.That(state.C.ToArray().Max(Math.Abs), Is.GreaterThan(0.75f), "some |c| exceeds κ");
    }

    [Test]
    public void ForgetBiasFoldsIntoTheBias()
    {
        var network = new LstmNetworkBuilder<float>().Lstm<ForgetBias3x4>(bidirectional: true).Linear(2).Build(5, NetworkInitialization.PyTorchDefault);
        var shape = new SequenceShape(Steps, Batch);
        var x = Support.RandomInput(Steps * Batch * 3, seed: 11);
        var ours = Support.Forward(network, x, shape);
        var model = Support.Export(network);
        Assert.That(Support.Normwise(ours, Support.RunOrt(model, x, Steps, Batch, 3), shape, 2), Is.LessThanOrEqualTo(1e-5));

        var imported = OnnxModel.Read(model).CreateNetwork(Support.Cells);   // a φ = 0 cell with φ in bias_ih
        Assert.That(imported.Lstm.Layers[0].CellName, Is.EqualTo(nameof(Cell3x4)));
        Assert.That(Support.Normwise(Support.Forward(imported, x, shape), ours, shape, 2), Is.LessThanOrEqualTo(1e-6));
    }

    [Test]
    public void LayerNormIsRefusedByName()
    {
        var network = new LstmNetworkBuilder<float>().Lstm<LayerNorm3x4>().Build(5);
        var e = Assert.Throws<NotSupportedException>(() => Support.Export(network));
        Assert.That(e!.Message, Does.Contain("[LayerNorm]").And.Contain("Layer 0"));
    }

    [Test]
    public void EmbeddingIsRefused()
    {
        var network = new LstmNetworkBuilder<float>().Embedding(10, 3).Lstm<Cell3x4>().Build(5);
        var e = Assert.Throws<NotSupportedException>(() => Support.Export(network));
        Assert.That(e!.Message, Does.Contain("embedding"));
    }

    [Test]
    public void DoubleNetworkIsWrittenInFloat32()
    {
        // ONNX Runtime's LSTM runs float only: a double network goes out with its weights rounded to float.
        var network = new LstmNetworkBuilder<double>().Lstm<Clip08x3x4>(bidirectional: true).Linear(2).Build(5, NetworkInitialization.PyTorchDefault);
        using var stream = new System.IO.MemoryStream();
        OnnxModel.Export(network, stream);
        var shape = new SequenceShape(Steps, Batch);
        var x = Support.RandomInput(shape.Rows * 3, seed: 11);
        var ours = new double[shape.Rows * 2];
        network.Forward(Array.ConvertAll(x, v => (double)v), shape, ours, training: false);
        var theirs = Support.RunOrt(stream.ToArray(), x, Steps, Batch, 3);
        Assert.That(Support.Normwise(theirs, Array.ConvertAll(ours, v => (float)v), shape, 2), Is.LessThanOrEqualTo(1e-5));
    }
}
