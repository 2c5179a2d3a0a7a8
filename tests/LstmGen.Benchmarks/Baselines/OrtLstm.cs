using System;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace LstmGen.Benchmarks.Baselines;

/// <summary>
/// The inference a .NET developer would otherwise call: ONNX Runtime (C# API, in-process) running one ONNX
/// <c>LSTM</c> node on the runner's weights, one thread, sequential execution, all graph optimisations. Inputs and
/// outputs are bound once to the runner's arrays, so a call is one <c>Run</c> with no copies or allocations of ours.
/// </summary>
public sealed class OrtLstm : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _x, _y;

    public OrtLstm(Runner runner)
    {
        Output = new float[runner.Steps * runner.Batch * runner.H];
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(Model(runner).ToByteArray(), options);
        _x = OrtValue.CreateTensorValueFromMemory(runner.X, new long[] { runner.Steps, runner.Batch, runner.D });
        _y = OrtValue.CreateTensorValueFromMemory(Output, new long[] { runner.Steps, 1, runner.Batch, runner.H });
        _binding = _session.CreateIoBinding();
        _binding.BindInput("X", _x);
        _binding.BindOutput("Y", _y);
    }

    /// <summary>Y [T×B×H] of the last <see cref="Inference"/>.</summary>
    public float[] Output { get; }

    public void Inference() => _session.RunWithBinding(_runOptions, _binding);

    /// <summary>An ONNX model with one LSTM node: X [T,B,D] → Y [T,1,B,H], weights as initializers in ONNX gate order.</summary>
    private static ModelProto Model(Runner runner)
    {
        int d = runner.D, h = runner.H;
        var p = runner.Parameters;
        var weightIh = p.Slice(0, 4 * h * d);
        var weightHh = p.Slice(4 * h * d, 4 * h * h);
        var biasIh = p.Slice(4 * h * (d + h), 4 * h);
        var biasHh = p.Slice(4 * h * (d + h + 1), 4 * h);
        var graph = new GraphProto { Name = "lstm" };
        graph.Initializer.Add(Tensor("W", new long[] { 1, 4 * h, d }, OnnxGateOrder(weightIh, h, d)));
        graph.Initializer.Add(Tensor("R", new long[] { 1, 4 * h, h }, OnnxGateOrder(weightHh, h, h)));
        var bias = new float[8 * h];
        OnnxGateOrder(biasIh, h, 1).CopyTo(bias, 0);
        OnnxGateOrder(biasHh, h, 1).CopyTo(bias, 4 * h);
        graph.Initializer.Add(Tensor("B", new long[] { 1, 8 * h }, bias));
        graph.Input.Add(Value("X", runner.Steps, runner.Batch, d));
        graph.Output.Add(Value("Y", runner.Steps, 1, runner.Batch, h));
        var node = new NodeProto { OpType = "LSTM", Name = "lstm" };
        node.Input.Add(new[] { "X", "W", "R", "B" });
        node.Output.Add("Y");
        node.Attribute.Add(new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = h });
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = 7, ProducerName = "LstmGen.Benchmarks", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 14 });
        return model;
    }

    /// <summary>Our gate blocks (i, f, g, o) of <paramref name="rows"/> rows each, in ONNX's order (i, o, f, c).</summary>
    private static float[] OnnxGateOrder(ReadOnlySpan<float> ours, int rows, int columns)
    {
        var onnx = new float[ours.Length];
        var block = rows * columns;
        int[] ourBlockOf = { 0, 3, 1, 2 };   // ONNX block k holds our block ourBlockOf[k]
        for (var k = 0; k < 4; k++) ours.Slice(ourBlockOf[k] * block, block).CopyTo(onnx.AsSpan(k * block, block));
        return onnx;
    }

    private static TensorProto Tensor(string name, long[] shape, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(shape);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        return tensor;
    }

    private static ValueInfoProto Value(string name, params long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var size in shape) tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }

    public void Dispose()
    {
        _binding.Dispose();
        _x.Dispose();
        _y.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
