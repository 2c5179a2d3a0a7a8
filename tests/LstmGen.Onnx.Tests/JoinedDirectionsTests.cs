using System.Linq;
using Google.Protobuf;
using LstmGen.Layers;
using NUnit.Framework;
using Onnx;

namespace LstmGen.Onnx.Tests;

/// <summary>
/// A bidirectional layer written as two one-direction <c>LSTM</c> nodes over the same input (forward and reverse),
/// squeezed and joined by <c>Concat</c>: ONNX Runtime and the importer read it as one bidirectional layer.
/// </summary>
public class JoinedDirectionsTests
{
    private const int Steps = 6, Batch = 2;

    private static LstmNetwork<float> Network() => new LstmNetworkBuilder<float>()
        .Lstm<Cell3x4>(bidirectional: true).Lstm<Cell8x4>().Linear(2).Build(7, NetworkInitialization.PyTorchDefault);

    /// <summary>The exported model with layer 0 rewritten as forward LSTM + reverse LSTM + Squeeze ×2 + Concat (<paramref name="reverseFirst"/>: joined in the wrong order).</summary>
    private static byte[] TwoNodeModel(LstmNetwork<float> network, bool reverseFirst = false)
    {
        var model = ModelProto.Parser.ParseFrom(Support.Export(network));
        var graph = model.Graph;
        var bidirectional = graph.Node.Single(n => n.Name == "lstm_l0");
        foreach (var name in new[] { "lstm_l0_transpose", "lstm_l0_reshape" }) graph.Node.Remove(graph.Node.Single(n => n.Name == name));
        var at = graph.Node.IndexOf(bidirectional);
        graph.Node.Remove(bidirectional);
        var nodes = new NodeProto[5];
        for (var dir = 0; dir < 2; dir++)
        {
            var suffix = dir == 0 ? "_fwd" : "_rev";
            foreach (var role in new[] { "W", "R", "B" }) graph.Initializer.Add(Half(graph.Initializer.Single(t => t.Name == $"lstm_l0.{role}"), dir, suffix));
            var lstm = new NodeProto { OpType = "LSTM", Name = "lstm_l0" + suffix, Input = { "input", "lstm_l0.W" + suffix, "lstm_l0.R" + suffix, "lstm_l0.B" + suffix }, Output = { "y" + suffix } };
            lstm.Attribute.Add(new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = 4 });
            lstm.Attribute.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(dir == 0 ? "forward" : "reverse") });
            nodes[dir] = lstm;
            nodes[2 + dir] = new NodeProto { OpType = "Squeeze", Name = "squeeze" + suffix, Input = { "y" + suffix, "squeeze_axes" }, Output = { "y_s" + suffix } };
        }
        var join = new NodeProto { OpType = "Concat", Name = "join", Input = { reverseFirst ? "y_s_rev" : "y_s_fwd", reverseFirst ? "y_s_fwd" : "y_s_rev" }, Output = { "lstm_l0_output" } };
        join.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
        nodes[4] = join;
        for (var i = 0; i < nodes.Length; i++) graph.Node.Insert(at + i, nodes[i]);
        return model.ToByteArray();
    }

    private static TensorProto Half(TensorProto tensor, int direction, string suffix)
    {
        var half = new TensorProto { Name = tensor.Name + suffix, DataType = tensor.DataType };
        half.Dims.Add(1);
        half.Dims.Add(tensor.Dims.Skip(1));
        var bytes = tensor.RawData.Length / 2;
        half.RawData = ByteString.CopyFrom(tensor.RawData.Span.Slice(direction * bytes, bytes));
        return half;
    }

    [Test]
    public void OnnxRuntimeAndTheImporterReadOneBidirectionalLayer()
    {
        var network = Network();
        var model = TwoNodeModel(network);
        var shape = new SequenceShape(Steps, Batch);
        var x = Support.RandomInput(shape.Rows * 3, seed: 4);
        var ours = Support.Forward(network, x, shape);
        Assert.That(Support.Normwise(Support.RunOrt(model, x, Steps, Batch, 3), ours, shape, 2), Is.LessThanOrEqualTo(1e-5), "ONNX Runtime on the two-node form");

        var info = OnnxModel.Read(model);
        Assert.That(info.Layers.Select(l => l.Bidirectional), Is.EqualTo(new[] { true, false }));
        var imported = info.CreateNetwork(Support.Cells);
        for (var i = 0; i < network.Parameters.Count; i++)
            Assert.That(imported.Parameters[i].Value.ToArray(), Is.EqualTo(network.Parameters[i].Value.ToArray()), network.Parameters[i].Name);
        Assert.That(Support.Forward(imported, x, shape), Is.EqualTo(ours));
    }

    [Test]
    public void DirectionsJoinedReverseFirstAreRefused()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(TwoNodeModel(Network(), reverseFirst: true)));
        Assert.That(e!.Message, Does.Contain("node 'join' (Concat)"));
    }

    [Test]
    public void AReverseNodeAloneIsRefused()
    {
        var model = ModelProto.Parser.ParseFrom(TwoNodeModel(Network()));
        var forward = model.Graph.Node.Single(n => n.Name == "lstm_l0_fwd");
        model.Graph.Node.Remove(forward);
        model.Graph.Node.Remove(model.Graph.Node.Single(n => n.Name == "squeeze_fwd"));
        model.Graph.Node.Single(n => n.Name == "join").Input[0] = "y_s_rev";
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(model.ToByteArray()));
        Assert.That(e!.Message, Does.Contain("direction 'reverse' alone"));
    }
}
