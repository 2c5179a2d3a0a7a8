using System;
using System.IO;
using System.Linq;
using LstmGen.IO;
using LstmGen.Layers;
using NUnit.Framework;

namespace LstmGen.Dynamic.Tests;

/// <summary>PyTorch state dicts loaded with no declaration give PyTorch's outputs; they stream, train and save back.</summary>
public class LstmModelTests
{
    private static LstmModelOptions Options => new() { Compiler = SharedCompiler.Instance };

    [Test]
    public void AModuleWithAnLstmAndALinearHead_GivesPyTorchsOutputs()
    {
        var model = LstmModel.Load(Fixtures.LstmModel("forecaster.safetensors"), Options);
        var golden = Fixtures.Json(Fixtures.LstmModel("forecaster.json"));
        int steps = golden.GetProperty("steps").GetInt32(), batch = golden.GetProperty("batch").GetInt32();
        var output = new float[steps * batch * 2];
        model.Forward(Fixtures.Floats(golden.GetProperty("x")), steps, batch, output);
        Assert.Multiple(() =>
        {
            Assert.That(model.Format, Is.EqualTo("safetensors"));
            Assert.That(model.InputSize, Is.EqualTo(3));
            Assert.That(model.OutputSize, Is.EqualTo(2));
            Assert.That(model.Cells.Select(c => c.Spec.ToString()), Is.EqualTo(new[] { "3x7 standard", "7x7 standard" }));
            Assert.That(model.Network.Head, Is.Not.Null);
            Assert.That(Fixtures.RelativeError(output, Fixtures.Floats(golden.GetProperty("y"))), Is.LessThanOrEqualTo(1e-6));
        });
    }

    [Test]
    public void AnEmbeddingBidirectionalTwoLayerTagger_GivesPyTorchsLogits_OverVariableLengths()
    {
        var model = LstmModel.Load(Fixtures.GoldenNetwork("tagger_f32.safetensors"), Options);
        var golden = Fixtures.Json(Fixtures.GoldenNetwork("tagger_f32.json"));
        int steps = golden.GetProperty("steps").GetInt32(), batch = golden.GetProperty("batch").GetInt32();
        var shape = new SequenceShape(steps, batch, SequenceLayout.TimeMajor, Fixtures.Ints(golden.GetProperty("lengths")));
        var logits = new float[shape.Rows * model.OutputSize];
        model.Network.Forward(Fixtures.Ints(golden.GetProperty("tokens")), shape, logits, training: false);
        Assert.Multiple(() =>
        {
            Assert.That(model.Network.Embedding, Is.Not.Null);
            Assert.That(model.Network.Lstm.Layers.Select(l => l.IsBidirectional), Is.EqualTo(new[] { true, true }));
            Assert.That(model.OutputSize, Is.EqualTo(5));
            Assert.That(Fixtures.RelativeError(logits, Fixtures.Floats(golden.GetProperty("logits"))), Is.LessThanOrEqualTo(1e-5));
        });
    }

    [Test]
    public void ABareNnLstmStateDictInDouble_LoadsWithItsLayersAndDirections()
    {
        var model = LstmModel.Load(Fixtures.GoldenNetwork("bilstm2_3x4.safetensors"), Options);
        Assert.Multiple(() =>
        {
            Assert.That(model.Network.Head, Is.Null);
            Assert.That(model.Cells.Select(c => c.Spec.ToString()), Is.EqualTo(new[] { "3x4 standard", "8x4 standard" }));
            Assert.That(model.OutputSize, Is.EqualTo(8));
            var file = SafeTensorsFile.Read(Fixtures.GoldenNetwork("bilstm2_3x4.safetensors"));
            file.TryGetTensor("weight_hh_l1_reverse", out var info);
            var expected = new float[info.ElementCount];
            file.Decode<float>(info, expected);
            Assert.That(model.Network.Parameters.Single(p => p.Name == "lstm.weight_hh_l1_reverse").Value.ToArray(), Is.EqualTo(expected));
        });
    }

    [Test]
    public void TheModel_Streams_TrainsAndSavesBackUnderItsOwnNames()
    {
        var model = LstmModel.Load(Fixtures.LstmModel("forecaster.safetensors"), Options);
        var golden = Fixtures.Json(Fixtures.LstmModel("forecaster.json"));
        var x = Fixtures.Floats(golden.GetProperty("x"));
        const int steps = 6, batch = 2;
        var whole = new float[steps * batch * 2];
        model.Forward(x, steps, batch, whole);

        // Streaming: one step at a time with a carried state gives the whole-sequence outputs.
        var state = model.Network.CreateState(batch);
        var streamed = new float[whole.Length];
        for (var t = 0; t < steps; t++)
            model.Network.Forward(x.AsSpan(t * batch * 3, batch * 3), new SequenceShape(1, batch), streamed.AsSpan(t * batch * 2, batch * 2), training: false, state);
        Assert.That(Fixtures.RelativeError(streamed, whole), Is.LessThanOrEqualTo(1e-6), "streamed");

        // Fine-tuning: a gradient step changes the weights; saving writes PyTorch's names.
        model.Network.ZeroGradients();
        var output = new float[whole.Length];
        model.Network.Forward(x, new SequenceShape(steps, batch), output, training: true);
        model.Network.Backward(output);  // d(½‖y‖²)/dy = y
        var weight = model.Network.Parameters.Single(p => p.Name == "lstm.weight_ih_l0");
        var before = weight.Value.ToArray();
        new LstmGen.Optimizers.Sgd<float>(model.Network.Parameters, learningRate: 0.1).Step();
        Assert.That(weight.Value.ToArray(), Is.Not.EqualTo(before), "trained");

        var folder = Path.Combine(Path.GetTempPath(), "lstmgen-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "tuned.safetensors");
            model.SaveSafeTensors(path);
            Assert.That(SafeTensorsFile.Read(path).Tensors.Select(t => t.Name),
                Is.EquivalentTo(SafeTensorsFile.Read(Fixtures.LstmModel("forecaster.safetensors")).Tensors.Select(t => t.Name)));
            var reloaded = LstmModel.Load(path, Options);
            Assert.That(reloaded.Network.Parameters.SelectMany(p => p.Value.ToArray()), Is.EqualTo(model.Network.Parameters.SelectMany(p => p.Value.ToArray())));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AnOnnxFile_IsRoutedToTheRegisteredImporter_WhichGetsRunTimeCells()
    {
        var missing = Path.Combine(Path.GetTempPath(), "not-registered-" + Guid.NewGuid().ToString("N") + ".lstmtest");
        var e = Assert.Throws<NotSupportedException>(() => LstmModel.Load(missing, Options))!;
        Assert.That(e.Message, Does.Contain("'.lstmtest'").And.Contain(".safetensors"));

        LstmModel.RegisterFormat(".lstmtest2", (path, cells) =>
            new LstmNetworkBuilder<float>().Lstm(cells(new LstmCellSpec(3, 5))).Build(seed: 1));
        var model = LstmModel.Load("any.lstmtest2", Options);
        Assert.Multiple(() =>
        {
            Assert.That(model.Format, Is.EqualTo("lstmtest2"));
            Assert.That(model.Cells.Single().Spec, Is.EqualTo(new LstmCellSpec(3, 5)));
            Assert.That(model.OutputSize, Is.EqualTo(5));
        });
    }
}
