using System.IO;
using System.Linq;
using System.Text.Json;
using NUnit.Framework;

namespace LstmGen.Onnx.Tests;

/// <summary>
/// Models exported by PyTorch 1.13 (<c>torch.onnx.export</c>, specs/onnx/make_onnx_fixtures.py), imported, give
/// PyTorch's outputs (float32, ≤ 1e-5 normwise).
/// </summary>
public class PyTorchFixtureTests
{
    [TestCase("lstm_head", SequenceLayout.TimeMajor, "1 LSTM layer (3x4 standard), head → 2, time-major")]
    [TestCase("bilstm2_head", SequenceLayout.TimeMajor, "2 LSTM layers (3x4 standard, bidirectional; 8x4 standard, bidirectional), head → 2, time-major")]
    [TestCase("lstm2_batch_first_states", SequenceLayout.BatchFirst, "2 LSTM layers (3x4 standard; 4x4 standard), batch-first")]
    [TestCase("lstm_gemm_head", SequenceLayout.TimeMajor, "1 LSTM layer (3x4 standard), head → 2, time-major")]
    public void ImportedModelGivesPyTorchsOutputs(string name, SequenceLayout layout, string description)
    {
        var info = OnnxModel.Read(Support.Fixture(name + ".onnx"));
        Assert.That(info.ToString(), Is.EqualTo(description));
        Assert.That(info.Layout, Is.EqualTo(layout));
        Assert.That(info.Producer, Does.StartWith("pytorch"));
        var network = info.CreateNetwork(Support.Cells);

        using var json = JsonDocument.Parse(File.ReadAllText(Support.Fixture(name + ".json")));
        var inputShape = json.RootElement.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var x = json.RootElement.GetProperty("input").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var expected = json.RootElement.GetProperty("output").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var (steps, batch) = layout == SequenceLayout.TimeMajor ? (inputShape[0], inputShape[1]) : (inputShape[1], inputShape[0]);
        var shape = new SequenceShape(steps, batch, layout);

        var actual = Support.Forward(network, x, shape);
        Assert.That(Support.Normwise(actual, expected, shape, network.OutputSize), Is.LessThanOrEqualTo(1e-5));
    }

    [Test]
    public void OnnxRuntimeAgreesWithTheFixtures()
    {
        // The fixtures themselves: ONNX Runtime runs them to PyTorch's numbers, so they say what PyTorch meant.
        var bytes = File.ReadAllBytes(Support.Fixture("bilstm2_head.onnx"));
        using var json = JsonDocument.Parse(File.ReadAllText(Support.Fixture("bilstm2_head.json")));
        var x = json.RootElement.GetProperty("input").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var expected = json.RootElement.GetProperty("output").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var ort = Support.RunOrt(bytes, x, 6, 3, 3);
        Assert.That(Support.Normwise(ort, expected, new SequenceShape(6, 3), 2), Is.LessThanOrEqualTo(1e-5));
    }
}
