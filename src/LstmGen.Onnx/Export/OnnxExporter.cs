using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using LstmGen.Layers;
using LstmGen.Training;
using Onnx;

namespace LstmGen.Onnx.Export;

/// <summary>
/// Writes an <see cref="LstmNetwork{T}"/> as torch.onnx.export writes an <c>nn.LSTM</c> with a linear head (opset 14):
/// one <c>LSTM</c> node per layer, <c>Squeeze</c> (one direction) or <c>Transpose</c> + <c>Reshape</c> (two) between
/// layers, <c>MatMul</c> + <c>Add</c> for the head.
/// </summary>
internal static class OnnxExporter
{
    public const long OpsetVersion = 14;

    public static ModelProto Build<T>(LstmNetwork<T> network, OnnxExportOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.InputName, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.OutputName, nameof(options));
        if (options.InputName == options.OutputName || options.InputName == "sequence_lens" || options.OutputName == "sequence_lens")
            throw new ArgumentException($"The input and output names must differ from each other and from 'sequence_lens' (input '{options.InputName}', output '{options.OutputName}').", nameof(options));
        // Always float32: ONNX Runtime's LSTM runs float only ("does not support double"), so a double network's
        // weights are rounded to float, as its float twin would hold them.
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"ONNX export supports float and double networks, not {typeof(T).Name}.");
        const TensorProto.Types.DataType elementType = TensorProto.Types.DataType.Float;
        if (network.Embedding is not null)
            throw new NotSupportedException("The network starts with an embedding (token ids); ONNX export supports dense inputs only.");
        var layers = network.Lstm.Layers;
        for (var k = 0; k < layers.Count; k++) CheckExportable(layers[k], k);

        var graph = new GraphProto { Name = "lstmgen" };
        var parameters = ByName(network);
        graph.Input.Add(Value(options.InputName, elementType, Dim("steps"), Dim("batch"), Dim(network.InputSize)));
        var sequenceLengths = "";
        if (options.SequenceLengths)
        {
            sequenceLengths = "sequence_lens";
            graph.Input.Add(Value(sequenceLengths, TensorProto.Types.DataType.Int32, Dim("batch")));
        }
        graph.Initializer.Add(Int64s("squeeze_axes", 1));
        graph.Initializer.Add(Int64s("merge_directions_shape", 0, 0, -1));

        var x = options.InputName;
        for (var k = 0; k < layers.Count; k++)
        {
            var last = k == layers.Count - 1 && network.Head is null;
            x = AddLayer(graph, layers[k], k, parameters, x, sequenceLengths, elementType, last ? options.OutputName : $"lstm_l{k}_output");
        }
        if (network.Head is { } head)
        {
            var weight = new T[head.InputSize * head.OutputSize];   // MatMul's [in, out]: the transpose of nn.Linear's
            for (var o = 0; o < head.OutputSize; o++)
                for (var i = 0; i < head.InputSize; i++) weight[i * head.OutputSize + o] = head.Weight[o * head.InputSize + i];
            graph.Initializer.Add(Tensor("head.weight_t", elementType, new long[] { head.InputSize, head.OutputSize }, weight));
            var product = head.HasBias ? "head_matmul_output" : options.OutputName;
            graph.Node.Add(Node("MatMul", "head_matmul", new[] { x, "head.weight_t" }, new[] { product }));
            if (head.HasBias)
            {
                graph.Initializer.Add(Tensor("head.bias", elementType, new long[] { head.OutputSize }, head.Bias.ToArray()));
                graph.Node.Add(Node("Add", "head_add", new[] { product, "head.bias" }, new[] { options.OutputName }));
            }
        }
        graph.Output.Add(Value(options.OutputName, elementType, Dim("steps"), Dim("batch"), Dim(network.OutputSize)));

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "LstmGen.Onnx",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        return model;
    }

    /// <summary>Refuses what the ONNX <c>LSTM</c> operator cannot compute exactly, naming the option.</summary>
    private static void CheckExportable<T>(RecurrentLayer<T> layer, int index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var variant = layer.CellLayout.Variant;
        if (variant.LayerNorm)
            throw new NotSupportedException($"Layer {index} ({layer.CellName}, {variant}) uses [LayerNorm]: the ONNX LSTM operator has no layer normalisation, so this network cannot be exported. Use cells without [LayerNorm] to export to ONNX.");
    }

    private static string AddLayer<T>(GraphProto graph, RecurrentLayer<T> layer, int k, Dictionary<string, ParameterTensor<T>> parameters,
        string input, string sequenceLengths, TensorProto.Types.DataType elementType, string output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = layer.InputSize, h = layer.HiddenSize, dirs = layer.Directions;
        var variant = layer.CellLayout.Variant;
        var w = new T[dirs * 4 * h * d];
        var r = new T[dirs * 4 * h * h];
        var b = new T[dirs * 8 * h];
        var p = variant.Peephole ? new T[dirs * 3 * h] : null;
        for (var dir = 0; dir < dirs; dir++)
        {
            var suffix = $"_l{k}" + (dir == 1 ? "_reverse" : "");
            ReadOnlySpan<T> Get(string name) => parameters[LstmNetwork<T>.LstmPrefix + name + suffix].Value.Span;
            Gates.ToOnnx(Get("weight_ih"), w.AsSpan(dir * 4 * h * d, 4 * h * d), h * d);
            Gates.ToOnnx(Get("weight_hh"), r.AsSpan(dir * 4 * h * h, 4 * h * h), h * h);
            var bias = b.AsSpan(dir * 8 * h, 8 * h);
            Gates.ToOnnx(Get("bias_ih"), bias[..(4 * h)], h);
            Gates.ToOnnx(Get("bias_hh"), bias[(4 * h)..], h);
            if (variant.ForgetBias != 0)
            {
                // φ folds into the forget block of Wb (ONNX block 2): a_f = … + Wb_f + Rb_f + φ (specs/variants.md §3).
                var phi = T.CreateChecked(variant.ForgetBias);
                foreach (ref var value in bias.Slice(2 * h, h)) value += phi;
            }
            if (p is not null)
                for (var g = 0; g < 3; g++) Get(Gates.PeepholeOrder[g]).CopyTo(p.AsSpan(dir * 3 * h + g * h, h));
        }
        var prefix = $"lstm_l{k}";
        graph.Initializer.Add(Tensor($"{prefix}.W", elementType, new long[] { dirs, 4 * h, d }, w));
        graph.Initializer.Add(Tensor($"{prefix}.R", elementType, new long[] { dirs, 4 * h, h }, r));
        graph.Initializer.Add(Tensor($"{prefix}.B", elementType, new long[] { dirs, 8 * h }, b));
        var inputs = new List<string> { input, $"{prefix}.W", $"{prefix}.R", $"{prefix}.B", sequenceLengths };
        if (p is not null)
        {
            graph.Initializer.Add(Tensor($"{prefix}.P", elementType, new long[] { dirs, 3 * h }, p));
            inputs.AddRange(new[] { "", "", $"{prefix}.P" });
        }
        else if (sequenceLengths.Length == 0)
        {
            inputs.RemoveAt(inputs.Count - 1);   // no trailing empty optional input
        }
        var y = $"{prefix}_y";
        var node = Node("LSTM", prefix, inputs.ToArray(), new[] { y });
        node.Attribute.Add(new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = h });
        if (dirs == 2) node.Attribute.Add(new AttributeProto { Name = "direction", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("bidirectional") });
        if (variant.Clip is { } clip) node.Attribute.Add(new AttributeProto { Name = "clip", Type = AttributeProto.Types.AttributeType.Float, F = (float)clip });
        if (variant.CoupledInputForget) node.Attribute.Add(new AttributeProto { Name = "input_forget", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(node);
        // Y is [T, dirs, B, H]: one direction squeezes axis 1; two put the directions next to H and merge them, so a
        // row is [h_fwd; h_rev], as LstmGen and PyTorch lay out a bidirectional layer's output.
        if (dirs == 1)
        {
            graph.Node.Add(Node("Squeeze", $"{prefix}_squeeze", new[] { y, "squeeze_axes" }, new[] { output }));
        }
        else
        {
            var transposed = Node("Transpose", $"{prefix}_transpose", new[] { y }, new[] { $"{prefix}_y_t" });
            transposed.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 1, 3 } });
            graph.Node.Add(transposed);
            graph.Node.Add(Node("Reshape", $"{prefix}_reshape", new[] { $"{prefix}_y_t", "merge_directions_shape" }, new[] { output }));
        }
        return output;
    }

    private static Dictionary<string, ParameterTensor<T>> ByName<T>(LstmNetwork<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var map = new Dictionary<string, ParameterTensor<T>>(StringComparer.Ordinal);
        foreach (var p in network.Parameters) map[p.Name] = p;
        return map;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        return node;
    }

    private static TensorProto Tensor<T>(string name, TensorProto.Types.DataType type, long[] shape, T[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.Add(shape);
        var floats = typeof(T) == typeof(float) ? (float[])(object)values : Array.ConvertAll(values, float.CreateTruncating);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(floats.AsSpan()));   // little-endian, as ONNX requires
        return tensor;
    }

    private static TensorProto Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        return tensor;
    }

    private static TensorShapeProto.Types.Dimension Dim(string name) => new() { DimParam = name };

    private static TensorShapeProto.Types.Dimension Dim(long size) => new() { DimValue = size };

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[] shape)
    {
        var tensorShape = new TensorShapeProto();
        tensorShape.Dim.Add(shape);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }
}
