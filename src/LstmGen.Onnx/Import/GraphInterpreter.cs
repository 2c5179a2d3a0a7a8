using System;
using System.Collections.Generic;
using System.Linq;
using Onnx;

namespace LstmGen.Onnx.Import;

/// <summary>
/// Walks the nodes of an ONNX graph in order, evaluating each value symbolically (<see cref="GraphValue"/>), and
/// collects the LSTM layers and the head. Supports what torch.onnx.export writes around <c>nn.LSTM</c> and
/// <c>nn.Linear</c>; any other operator, or a supported one used in another way, is an <see cref="OnnxFormatException"/>
/// that names the node.
/// </summary>
internal sealed partial class GraphInterpreter
{
    /// <summary>Opsets whose LSTM, Squeeze, Reshape, … this importer knows.</summary>
    public const long MinOpset = 7, MaxOpset = 23;

    private readonly string _source;
    private readonly Dictionary<string, GraphValue> _values = new(StringComparer.Ordinal);
    private readonly List<ImportedLayer> _layers = new();
    private readonly List<bool> _layerUsesLengths = new();
    private readonly List<SequenceValue> _layerInputs = new();
    private ImportedHead? _head;
    private AxisKind? _timeAxis;
    private long _opset;

    private GraphInterpreter(string source) => _source = source;

    public static ImportedGraph Run(ModelProto model, string source) => new GraphInterpreter(source).Interpret(model);

    private OnnxFormatException Fail(string problem) => new(_source, problem);

    private ImportedGraph Interpret(ModelProto model)
    {
        _opset = DefaultOpset(model);
        var graph = model.Graph ?? throw Fail("the model has no graph.");
        foreach (var initializer in graph.Initializer)
        {
            if (initializer.Name.Length == 0) throw Fail("an initializer has no name.");
            if (!_values.TryAdd(initializer.Name, new ConstantValue(TensorData.From(initializer, Fail))))
                throw Fail($"two initializers are named '{initializer.Name}'.");
        }
        var (inputName, lengthsName) = ReadInputs(graph);
        foreach (var node in graph.Node) Evaluate(node);
        if (_layers.Count == 0) throw Fail("the graph has no LSTM node.");
        if (_layerUsesLengths.Distinct().Count() > 1)
            throw Fail($"some LSTM nodes read sequence_lens and others do not (layers {string.Join(", ", _layerUsesLengths.Select((u, k) => (u, k)).Where(p => !p.u).Select(p => p.k))} do not); a network uses the lengths in every layer or in none.");
        if (lengthsName is not null && !_layerUsesLengths[0])
            throw Fail($"the graph input '{lengthsName}' (int32 lengths) is not read by any LSTM node.");
        var outputName = ReadOutputs(graph);
        var layout = _timeAxis == AxisKind.Outer0 ? SequenceLayout.TimeMajor : SequenceLayout.BatchFirst;
        var producer = (model.ProducerName + " " + model.ProducerVersion).Trim();
        return new ImportedGraph(_layers, _head, layout, inputName, outputName, lengthsName, _opset, producer);
    }

    private long DefaultOpset(ModelProto model)
    {
        long? opset = null;
        foreach (var import in model.OpsetImport)
            if (import.Domain is "" or "ai.onnx") opset = import.Version;
        if (opset is not { } version) throw Fail("the model imports no version of the default ONNX operator set (opset_import).");
        if (version < MinOpset || version > MaxOpset)
            throw Fail($"the model uses ONNX opset {version}; this importer reads opsets {MinOpset} to {MaxOpset}.");
        return version;
    }

    private (string Input, string? Lengths) ReadInputs(GraphProto graph)
    {
        string? input = null, lengths = null;
        foreach (var value in graph.Input)
        {
            if (_values.ContainsKey(value.Name)) continue;   // IR < 4 lists initializers as inputs too
            var tensor = value.Type?.TensorType
                ?? throw Fail($"graph input '{value.Name}' is not a tensor.");
            var dims = tensor.Shape?.Dim;
            if (tensor.ElemType == (int)TensorProto.Types.DataType.Int32 && dims is { Count: 1 } && lengths is null)
            {
                lengths = value.Name;
                _values[value.Name] = new SequenceLengthsValue(value.Name);
            }
            else if (tensor.ElemType == (int)TensorProto.Types.DataType.Float && dims is { Count: 3 } && input is null)
            {
                var features = dims[2].HasDimValue ? dims[2].DimValue : -1;
                if (dims[2].HasDimValue && (features < 1 || features > LstmCellAttribute.MaxSize))
                    throw Fail($"graph input '{value.Name}' has {features} features per step; the limit is 1 to {LstmCellAttribute.MaxSize}.");
                input = value.Name;
                _values[value.Name] = new SequenceValue(new[] { new Axis(AxisKind.Outer0, -1), new Axis(AxisKind.Outer1, -1), new Axis(AxisKind.Feature, (int)features) }, 0, HeadStage.None);
            }
            else
            {
                throw Fail($"graph input '{value.Name}' ({TensorData.TypeName(tensor.ElemType)}, rank {dims?.Count.ToString() ?? "unknown"}) is not supported: the importer takes one float input [steps, batch, features] (or [batch, steps, features]) and optionally one int32 sequence_lens [batch].");
            }
        }
        return (input ?? throw Fail("the graph has no float input of rank 3 [steps, batch, features]."), lengths);
    }

    private string ReadOutputs(GraphProto graph)
    {
        if (graph.Output.Count == 0) throw Fail("the graph has no output.");
        var main = graph.Output[0].Name;
        if (Value(main, "graph output") is not SequenceValue sequence)
            throw Fail($"the graph's first output '{main}' is not the per-step output of the LSTM layers or of the head.");
        if (!IsWhole(sequence))
            throw Fail($"the graph's first output '{main}' holds one direction of a bidirectional layer; join both with Concat.");
        if (sequence.Layers != _layers.Count)
            throw Fail($"the graph's first output '{main}' comes after layer {sequence.Layers - 1}, but the graph has {_layers.Count} LSTM layers.");
        var axes = sequence.Axes;
        var rowsInOrder = axes.Length == 3 && axes[0].Kind == AxisKind.Outer0 && axes[1].Kind == AxisKind.Outer1 && axes[2].Kind == AxisKind.Feature
            || axes.Length == 2 && axes[0].Kind == AxisKind.Rows && axes[1].Kind == AxisKind.Feature;
        if (!rowsInOrder)
            throw Fail($"the graph's first output '{main}' has axes {sequence.Describe()}; supported: the input's two leading axes in the input's order, then the features (or the two merged into rows).");
        for (var i = 1; i < graph.Output.Count; i++)
        {
            var name = graph.Output[i].Name;
            if (Value(name, "graph output") is not FinalStateValue)
                throw Fail($"graph output '{name}' is neither the network's output nor a final LSTM state (Y_h, Y_c); a network has one output.");
        }
        return main;
    }

    private GraphValue Value(string name, string user)
        => _values.TryGetValue(name, out var value) ? value : throw Fail($"{user} reads '{name}', which no initializer, input or earlier node defines.");

    private void Evaluate(NodeProto node)
    {
        if (node.Domain is not ("" or "ai.onnx"))
            throw Fail($"{Describe(node)}: operator '{node.Domain}.{node.OpType}' is not supported (only the default ONNX domain).");
        GraphValue[] results = node.OpType switch
        {
            "LSTM" => Lstm(node),
            "Constant" => new GraphValue[] { Constant(node) },
            "Identity" => new[] { Input(node, 0) },
            "Shape" => new GraphValue[] { ShapeOf(node) },
            "Gather" or "Unsqueeze" or "Cast" when ShapeArithmetic(node) => new GraphValue[] { new ShapeValue() },
            "Concat" => new[] { Concat(node) },
            "ConstantOfShape" => new GraphValue[] { ConstantOfShape(node) },
            "Slice" or "Cast" when Input(node, 0) is ZeroValue or ShapeValue => new[] { Input(node, 0) },
            "Squeeze" => new GraphValue[] { Squeeze(node) },
            "Transpose" => new GraphValue[] { Transpose(node) },
            "Reshape" => new GraphValue[] { Reshape(node) },
            "MatMul" => new GraphValue[] { MatMul(node) },
            "Add" => new GraphValue[] { AddBias(node) },
            "Gemm" => new GraphValue[] { Gemm(node) },
            "Gather" or "Unsqueeze" or "Slice" or "Cast" => throw Fail($"{Describe(node)}: supported only on shapes and zero initial states, not on '{node.Input[0]}'."),
            _ => throw Fail($"{Describe(node)}: operator '{node.OpType}' is not supported. Supported: LSTM, Squeeze, Transpose, Reshape, Concat, MatMul, Add, Gemm, Constant, Identity, and Shape/Gather/Unsqueeze/Concat/Slice/ConstantOfShape/Cast building zero initial states."),
        };
        for (var i = 0; i < node.Output.Count; i++)
        {
            var name = node.Output[i];
            if (name.Length == 0) continue;
            if (i >= results.Length) throw Fail($"{Describe(node)}: output {i} ('{name}') is not supported.");
            if (!_values.TryAdd(name, results[i])) throw Fail($"{Describe(node)}: '{name}' is defined twice.");
        }
    }

    private static string Describe(NodeProto node) => node.Name.Length > 0 ? $"node '{node.Name}' ({node.OpType})" : $"a {node.OpType} node";

    private GraphValue Input(NodeProto node, int index)
    {
        if (index >= node.Input.Count || node.Input[index].Length == 0)
            throw Fail($"{Describe(node)}: input {index} is missing.");
        return Value(node.Input[index], Describe(node));
    }

    private GraphValue? OptionalInput(NodeProto node, int index)
        => index < node.Input.Count && node.Input[index].Length > 0 ? Value(node.Input[index], Describe(node)) : null;

    private TensorData ConstantInput(NodeProto node, int index, string role)
        => Input(node, index) is ConstantValue c ? c.Data
            : throw Fail($"{Describe(node)}: {role} ('{node.Input[index]}') must be a constant (an initializer or a Constant node).");

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private long IntAttribute(NodeProto node, string name, long fallback)
    {
        var a = Attribute(node, name);
        if (a is null) return fallback;
        if (a.Type != AttributeProto.Types.AttributeType.Int) throw Fail($"{Describe(node)}: attribute '{name}' must be an integer.");
        return a.I;
    }

    private ShapeValue ShapeOf(NodeProto node)
    {
        Input(node, 0);
        return new ShapeValue();
    }

    /// <summary>Whether a Gather/Unsqueeze/Cast works on shape arithmetic (shapes and integer constants).</summary>
    private bool ShapeArithmetic(NodeProto node)
        => Input(node, 0) is ShapeValue || Input(node, 0) is ConstantValue { Data.IsFloatingPoint: false } && node.Input.Skip(1).All(n => n.Length == 0 || Value(n, Describe(node)) is ConstantValue or ShapeValue);

    private ConstantValue Constant(NodeProto node)
    {
        if (node.Attribute.Count != 1) throw Fail($"{Describe(node)}: a Constant needs exactly one value attribute.");
        var a = node.Attribute[0];
        TensorProto tensor;
        switch (a.Name)
        {
            case "value" when a.T is not null:
                tensor = a.T;
                break;
            case "value_float":
                tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, FloatData = { a.F } };
                break;
            case "value_floats":
                tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Dims = { a.Floats.Count }, FloatData = { a.Floats } };
                break;
            case "value_int":
                tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64, Int64Data = { a.I } };
                break;
            case "value_ints":
                tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64, Dims = { a.Ints.Count }, Int64Data = { a.Ints } };
                break;
            default:
                throw Fail($"{Describe(node)}: Constant attribute '{a.Name}' is not supported (value, value_float(s), value_int(s)).");
        }
        return new ConstantValue(TensorData.From(tensor, Fail));
    }

    private GraphValue ConstantOfShape(NodeProto node)
    {
        if (Input(node, 0) is not (ShapeValue or ConstantValue))
            throw Fail($"{Describe(node)}: the shape must come from Shape/Concat or a constant.");
        var value = Attribute(node, "value");
        if (value is not null && (value.T is null || !TensorData.From(value.T, Fail).IsAllZero()))
            throw Fail($"{Describe(node)}: only all-zero tensors are supported (zero initial states).");
        return new ZeroValue();
    }

    private GraphValue Concat(NodeProto node)
    {
        var inputs = Enumerable.Range(0, node.Input.Count).Select(i => Input(node, i)).ToArray();
        if (inputs.Length == 0) throw Fail($"{Describe(node)}: no inputs.");
        if (inputs.All(v => v is ShapeValue || v is ConstantValue { Data.IsFloatingPoint: false })) return new ShapeValue();
        if (inputs.All(v => v is FinalStateValue)) return new FinalStateValue();
        if (inputs.All(v => v is ZeroValue)) return new ZeroValue();
        if (JoinDirections(node, inputs) is { } joined) return joined;
        throw Fail($"{Describe(node)}: Concat is supported on shapes, zero states, final states (Y_h, Y_c) and the two directions of one layer (forward, then reverse).");
    }
}
