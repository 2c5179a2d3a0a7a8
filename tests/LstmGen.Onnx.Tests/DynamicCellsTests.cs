using System.IO;
using System.Linq;
using System.Text.Json;
using LstmGen.Dynamic;
using NUnit.Framework;

namespace LstmGen.Onnx.Tests;

/// <summary><c>LstmModel.Load("x.onnx")</c>: no declared cell, the importer's specs compiled at run time by LstmGen.Dynamic.</summary>
public class DynamicCellsTests
{
    [Test]
    public void LstmModelLoadsAPyTorchOnnxFileWithRunTimeCells()
    {
        var options = new LstmModelOptions { Compiler = new LstmCellCompiler(new LstmCellCompilerOptions { UseDiskCache = false }) };
        var model = LstmModel.Load(Support.Fixture("bilstm2_head.onnx"), options);
        Assert.That(model.Format, Is.EqualTo("onnx"));
        Assert.That(model.Cells.Select(c => (c.Spec.InputSize, c.Spec.HiddenSize)), Is.EqualTo(new[] { (3, 4), (8, 4) }));

        using var json = JsonDocument.Parse(File.ReadAllText(Support.Fixture("bilstm2_head.json")));
        var x = json.RootElement.GetProperty("input").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var expected = json.RootElement.GetProperty("output").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var output = new float[expected.Length];
        model.Forward(x, 6, 3, output);
        Assert.That(Support.Normwise(output, expected, new SequenceShape(6, 3), 2), Is.LessThanOrEqualTo(1e-5));
    }

    [Test]
    public void LstmModelRefusesABatchFirstGraph()
    {
        // LstmModel.Forward is time-major: a batch-first graph would silently get its rows in the wrong order.
        var e = Assert.Throws<System.NotSupportedException>(() => LstmModel.Load(Support.Fixture("lstm2_batch_first_states.onnx")));
        Assert.That(e!.Message, Does.Contain("batch-first").And.Contain("SequenceLayout.BatchFirst"));
    }

    [Test]
    public void ClipOfAnImportedModelIsTheFloatValue()
    {
        // An exported [Clip(0.8)] cell says clip = 0.8f; the compiled cell clips at that float, like the original float kernel.
        var network = new Layers.LstmNetworkBuilder<float>().Lstm<Clip08x3x4>().Build(5, Layers.NetworkInitialization.PyTorchDefault);
        var path = Path.Combine(Path.GetTempPath(), $"lstmgen-clip-{System.Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModel.Export(network, path);
            var options = new LstmModelOptions { Compiler = new LstmCellCompiler(new LstmCellCompilerOptions { UseDiskCache = false }) };
            var model = LstmModel.Load(path, options);
            Assert.That(model.Cells.Single().Spec.Variant.Clip, Is.EqualTo((double)0.8f));
            var shape = new SequenceShape(7, 3);
            var x = Support.RandomInput(shape.Rows * 3, seed: 2);
            var output = new float[shape.Rows * 4];
            model.Forward(x, 7, 3, output);
            Assert.That(output, Is.EqualTo(Support.Forward(network, x, shape)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
