using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using LstmGen.Layers;
using NUnit.Framework;
using Onnx;

namespace LstmGen.Onnx.Tests;

/// <summary>
/// Damaged and unsupported models: always an <see cref="OnnxFormatException"/> naming the problem (or, for a model
/// that still parses to a valid graph, a network or a resolver's <see cref="InvalidOperationException"/>), never
/// another exception, a crash or a hang.
/// </summary>
public class HostileModelTests
{
    private static byte[] SmallModel() => Support.Export(
        new LstmNetworkBuilder<float>().Lstm<Cell2x3>().Linear(2).Build(3, NetworkInitialization.PyTorchDefault));

    private static ModelProto Parse(byte[] bytes) => ModelProto.Parser.ParseFrom(bytes);

    private static OnnxFormatException Refused(ModelProto model) => Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(model.ToByteArray(), "test.onnx"))!;

    [Test]
    public void EveryTruncationIsRefused()
    {
        var bytes = SmallModel();
        for (var length = 0; length < bytes.Length; length++)
            Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(bytes.AsSpan(0, length), "truncated"), $"prefix of {length} of {bytes.Length} bytes");
    }

    [TestCase("export")]
    [TestCase("lstm_head.onnx")]
    public void EveryFlippedByteIsRefusedOrStillAModel(string which)
    {
        var bytes = which == "export" ? SmallModel() : File.ReadAllBytes(Support.Fixture(which));
        int refused = 0, read = 0;
        foreach (var flip in new byte[] { 0xFF, 0x01, 0x80 })
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var damaged = (byte[])bytes.Clone();
                damaged[i] ^= flip;
                OnnxNetworkInfo info;
                try
                {
                    info = OnnxModel.Read(damaged, "damaged");
                }
                catch (OnnxFormatException)
                {
                    refused++;
                    continue;
                }
                read++;
                try
                {
                    info.CreateNetwork(Support.Cells);   // a changed weight or name is still a model
                }
                catch (InvalidOperationException e) when (e.Message.Contains("No cell for"))
                {
                    // a changed size or option asks for a cell the tests do not declare
                }
            }
        }
        Assert.That(refused, Is.GreaterThan(0));
        TestContext.Out.WriteLine($"{which}: {refused} refused, {read} read");
    }

    [Test]
    public void UnsupportedOperatorIsNamed()
    {
        var model = Parse(SmallModel());
        model.Graph.Node.Add(new NodeProto { OpType = "Relu", Name = "act", Input = { "output" }, Output = { "relu_out" } });
        var e = Refused(model);
        Assert.That(e.Message, Does.StartWith("test.onnx: ").And.Contain("'Relu'").And.Contain("node 'act'"));
        Assert.That(e.FileName, Is.EqualTo("test.onnx"));
    }

    [Test]
    public void OperatorOfAnotherDomainIsNamed()
    {
        var model = Parse(SmallModel());
        model.Graph.Node.Add(new NodeProto { OpType = "FusedLstm", Domain = "com.example", Input = { "output" }, Output = { "y2" } });
        Assert.That(Refused(model).Message, Does.Contain("com.example.FusedLstm"));
    }

    [Test]
    public void ShapesThatDisagreeAreNamed()
    {
        var model = Parse(SmallModel());
        var r = model.Graph.Initializer.Single(t => t.Name == "lstm_l0.R");
        r.Dims.Clear();
        r.Dims.Add(new long[] { 1, 3, 12 });   // same count, wrong shape
        Assert.That(Refused(model).Message, Does.Contain("R 'lstm_l0.R' has shape [1, 3, 12]").And.Contain("expected a float [1, 12, 3]"));
    }

    [Test]
    public void StoredDataThatDisagreesWithTheShapeIsRefused()
    {
        var model = Parse(SmallModel());
        var w = model.Graph.Initializer.Single(t => t.Name == "lstm_l0.W");
        w.RawData = ByteString.CopyFrom(w.RawData.Span[..20]);
        Assert.That(Refused(model).Message, Does.Contain("tensor 'lstm_l0.W' declares shape [1, 12, 2] (24 elements) but stores 5"));
    }

    [TestCase(4097, 1)]
    [TestCase(1, 4097)]
    public void SizesAboveTheLimitAreRefused(int inputSize, int hiddenSize)
    {
        var model = Parse(SmallModel());
        var graph = model.Graph;
        graph.Node.Clear();
        graph.Initializer.Clear();
        graph.Output.Clear();
        graph.Input[0].Type.TensorType.Shape.Dim[2].DimValue = inputSize;
        graph.Initializer.Add(Zeros("W", 1, 4 * hiddenSize, inputSize));
        graph.Initializer.Add(Zeros("R", 1, 4 * hiddenSize, hiddenSize));
        graph.Node.Add(new NodeProto { OpType = "LSTM", Name = "big", Input = { "input", "W", "R" }, Output = { "Y" } });
        graph.Output.Add(new ValueInfoProto { Name = "Y" });
        var message = Refused(model).Message;
        Assert.That(message, Does.Contain("4097").And.Contain("4096"));
    }

    [Test]
    public void ExternalDataIsRefused()
    {
        var model = Parse(SmallModel());
        var w = model.Graph.Initializer.Single(t => t.Name == "lstm_l0.W");
        w.DataLocation = TensorProto.Types.DataLocation.External;
        Assert.That(Refused(model).Message, Does.Contain("external file"));
    }

    [Test]
    public void InitialStateFromAnInputIsRefused()
    {
        var model = Parse(SmallModel());
        var h0 = new ValueInfoProto { Name = "h0", Type = model.Graph.Input[0].Type };
        model.Graph.Input.Add(h0);
        var lstm = model.Graph.Node.Single(n => n.OpType == "LSTM");
        while (lstm.Input.Count < 6) lstm.Input.Add("");
        lstm.Input[5] = "h0";
        Assert.That(Refused(model).Message, Does.Contain("graph input 'h0'"));
    }

    [Test]
    public void OtherActivationsAreRefused()
    {
        var model = Parse(SmallModel());
        var lstm = model.Graph.Node.Single(n => n.OpType == "LSTM");
        lstm.Attribute.Add(new AttributeProto { Name = "activations", Type = AttributeProto.Types.AttributeType.Strings, Strings = { ByteString.CopyFromUtf8("Sigmoid"), ByteString.CopyFromUtf8("Relu"), ByteString.CopyFromUtf8("Tanh") } });
        Assert.That(Refused(model).Message, Does.Contain("activations [Sigmoid, Relu, Tanh]"));
    }

    [Test]
    public void NotAnOnnxFileIsRefused()
    {
        Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(Array.Empty<byte>()));
        Assert.Throws<OnnxFormatException>(() => OnnxModel.Read("LSTM, but as text"u8));
        var random = new byte[4096];
        new Random(3).NextBytes(random);
        Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(random));
    }

    [Test]
    public void MissingCellIsNamedBeforeAnythingIsBuilt()
    {
        var info = OnnxModel.Read(SmallModel());
        var e = Assert.Throws<InvalidOperationException>(() => info.CreateNetwork(OnnxCellResolver.FromCells(typeof(Cell3x4))));
        Assert.That(e!.Message, Does.Contain("No cell for 2x3 standard").And.Contain("[LstmCell(2, 3)]"));
    }

    [Test]
    public void ResolverThatGivesTheWrongCellIsRefused()
    {
        var info = OnnxModel.Read(SmallModel());
        var e = Assert.Throws<InvalidOperationException>(() => info.CreateNetwork(OnnxCellResolver.Create(_ => typeof(Cell3x4))));
        Assert.That(e!.Message, Does.Contain("Cell3x4").And.Contain("needs 2x3 standard"));
        Assert.Throws<ArgumentException>(() => info.CreateNetwork(OnnxCellResolver.Create(_ => typeof(string))));
    }

    private static TensorProto Zeros(string name, params long[] shape)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(shape);
        tensor.RawData = ByteString.CopyFrom(new byte[4 * shape.Aggregate(1L, (a, b) => a * b)]);
        return tensor;
    }
}
