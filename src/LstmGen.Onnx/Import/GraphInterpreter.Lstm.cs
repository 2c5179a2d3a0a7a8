using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Onnx;

namespace LstmGen.Onnx.Import;

/// <summary>The <c>LSTM</c> operator: one layer, its weights reordered into LstmGen's gate order and names.</summary>
internal sealed partial class GraphInterpreter
{
    private static readonly string[] KnownLstmAttributes = { "hidden_size", "direction", "clip", "input_forget", "layout", "activations", "activation_alpha", "activation_beta" };

    private GraphValue[] Lstm(NodeProto node)
    {
        var where = Describe(node);
        foreach (var a in node.Attribute)
            if (!KnownLstmAttributes.Contains(a.Name)) throw Fail($"{where}: attribute '{a.Name}' is not part of the LSTM operator.");
        if (IntAttribute(node, "layout", 0) != 0)
            throw Fail($"{where}: layout = 1 (batch-first inside the operator) is not supported; torch.onnx.export writes layout 0 with a Transpose.");
        if (Attribute(node, "activation_alpha") is not null || Attribute(node, "activation_beta") is not null)
            throw Fail($"{where}: activation_alpha/activation_beta are not supported (LstmGen's cells use σ, tanh, tanh).");
        var direction = Attribute(node, "direction") is { } d ? Encoding.UTF8.GetString(d.S.Span) : "forward";
        var dirs = direction switch
        {
            "forward" or "reverse" => 1,
            "bidirectional" => 2,
            _ => throw Fail($"{where}: unknown direction '{direction}'."),
        };
        var reverse = direction == "reverse";
        if (Attribute(node, "activations") is { } activations)
        {
            var names = activations.Strings.Select(s => s.ToStringUtf8()).ToArray();
            var standard = Enumerable.Repeat(new[] { "Sigmoid", "Tanh", "Tanh" }, dirs).SelectMany(x => x).ToArray();
            if (!names.SequenceEqual(standard))
                throw Fail($"{where}: activations [{string.Join(", ", names)}] are not supported; LstmGen's cells compute [{string.Join(", ", standard)}].");
        }
        var inputForget = IntAttribute(node, "input_forget", 0);
        if (inputForget is not (0 or 1)) throw Fail($"{where}: input_forget must be 0 or 1, not {inputForget}.");
        double? clip = null;
        if (Attribute(node, "clip") is { } c)
        {
            if (c.Type != AttributeProto.Types.AttributeType.Float || !float.IsFinite(c.F) || c.F <= 0)
                throw Fail($"{where}: clip must be a positive finite float.");
            clip = c.F;
        }

        var x = Sequence(node, 0);
        if (x.Head != HeadStage.None) throw Fail($"{where}: an LSTM after the linear head is not supported.");
        if (!IsWhole(x)) throw Fail($"{where}: X holds one direction of a bidirectional layer; join both with Concat first.");
        var pairs = reverse && _layers.Count > 0 && x.Layers == _layers.Count - 1 && ReferenceEquals(x, _layerInputs[^1]) && !_layers[^1].Bidirectional;
        if (reverse && !pairs)
            throw Fail($"{where}: direction 'reverse' alone is not supported: LstmGen layers run forward, or both ways — a 'bidirectional' node, or a 'forward' node and a 'reverse' node over the same input joined by Concat.");
        if (!reverse && x.Layers != _layers.Count) throw Fail($"{where}: reads the output of layer {x.Layers - 1}, but {_layers.Count} layers come before it; layers must form one chain.");
        if (x.Axes.Length != 3 || x.Axes[0].Kind is not (AxisKind.Outer0 or AxisKind.Outer1) || x.Axes[1].Kind is not (AxisKind.Outer0 or AxisKind.Outer1) || x.Axes[2].Kind != AxisKind.Feature)
            throw Fail($"{where}: X has axes {x.Describe()}; the LSTM operator needs [steps, batch, features].");
        _timeAxis ??= x.Axes[0].Kind;
        if (x.Axes[0].Kind != _timeAxis)
            throw Fail($"{where}: X has the steps on another axis than layer 0's input ({x.Describe()}).");

        var w = ConstantInput(node, 1, "W");
        var r = ConstantInput(node, 2, "R");
        if (w.Shape.Length != 3 || w.Shape[0] != dirs || w.Shape[1] % 4 != 0 || w.Shape[1] == 0 || !w.IsFloatingPoint)
            throw Fail($"{where}: W '{w.Name}' has shape [{string.Join(", ", w.Shape)}]; expected a float [{dirs}, 4·hidden_size, input_size].");
        var hidden = w.Shape[1] / 4;
        var inputSize = w.Shape[2];
        if (hidden > LstmCellAttribute.MaxSize || inputSize > LstmCellAttribute.MaxSize || inputSize < 1)
            throw Fail($"{where}: input size {inputSize} and hidden size {hidden}: the limit is 1 to {LstmCellAttribute.MaxSize}.");
        var hiddenAttribute = IntAttribute(node, "hidden_size", hidden);
        if (hiddenAttribute != hidden) throw Fail($"{where}: hidden_size = {hiddenAttribute}, but W '{w.Name}' holds {w.Shape[1]} = 4 × {hidden} rows.");
        if (x.Axes[2].Size > 0 && x.Axes[2].Size != inputSize)
            throw Fail($"{where}: X has {x.Axes[2].Size} features per step, but W '{w.Name}' takes {inputSize}.");
        int h = (int)hidden, dIn = (int)inputSize;
        ExpectShape(where, r, "R", dirs, 4 * h, h);
        var b = OptionalInput(node, 3) is null ? null : ConstantInput(node, 3, "B");
        if (b is not null) ExpectShape(where, b, "B", dirs, 8 * h);
        var lengths = OptionalInput(node, 4);
        if (lengths is not (null or SequenceLengthsValue))
            throw Fail($"{where}: sequence_lens ('{node.Input[4]}') must be the graph's int32 input of lengths.");
        for (var i = 5; i <= 6; i++)
            if (OptionalInput(node, i) is { } state and not ZeroValue)
                throw Fail($"{where}: {(i == 5 ? "initial_h" : "initial_c")} ('{node.Input[i]}') is not a zero state; imported networks start from zeros (pass an LstmState to Forward for another start).");
        var p = OptionalInput(node, 7) is null ? null : ConstantInput(node, 7, "P");
        if (p is not null) ExpectShape(where, p, "P", dirs, 3 * h);

        var variant = LstmCellVariant.Standard with { Peephole = p is not null, CoupledInputForget = inputForget == 1, Clip = clip };
        var spec = new OnnxCellSpec(dIn, h, variant);
        float[] wValues = w.ToFloats(), rValues = r.ToFloats();
        var bValues = b?.ToFloats() ?? new float[dirs * 8 * h];
        var pValues = p?.ToFloats();
        var directions = new List<IReadOnlyDictionary<string, float[]>>();
        for (var dir = 0; dir < dirs; dir++)
        {
            var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal)
            {
                ["weight_ih"] = Reorder(wValues.AsSpan(dir * 4 * h * dIn, 4 * h * dIn), h * dIn),
                ["weight_hh"] = Reorder(rValues.AsSpan(dir * 4 * h * h, 4 * h * h), h * h),
                ["bias_ih"] = Reorder(bValues.AsSpan(dir * 8 * h, 4 * h), h),
                ["bias_hh"] = Reorder(bValues.AsSpan(dir * 8 * h + 4 * h, 4 * h), h),
            };
            if (pValues is not null)
                for (var g = 0; g < 3; g++) tensors[Gates.PeepholeOrder[g]] = pValues.AsSpan(dir * 3 * h + g * h, h).ToArray();
            directions.Add(tensors);
        }
        var axes = new[] { x.Axes[0], new Axis(AxisKind.Direction, dirs), x.Axes[1], new Axis(AxisKind.Feature, h) };
        if (reverse)
        {
            // The reverse half of a layer whose forward half the previous node computed over the same input.
            var forward = _layers[^1];
            if (forward.Spec != spec) throw Fail($"{where}: the reverse direction needs a {spec} cell, the forward direction over the same input a {forward.Spec} one; a layer has one cell.");
            if (_layerUsesLengths[^1] != lengths is not null) throw Fail($"{where}: one direction of the layer reads sequence_lens and the other does not.");
            _layers[^1] = forward with { Bidirectional = true, Directions = new[] { forward.Directions[0], directions[0] } };
            return new GraphValue[] { new SequenceValue(axes, _layers.Count, HeadStage.None, Direction: 1), new FinalStateValue(), new FinalStateValue() };
        }
        _layers.Add(new ImportedLayer(spec, dirs == 2, directions));
        _layerInputs.Add(x);
        _layerUsesLengths.Add(lengths is not null);
        var y = new SequenceValue(axes, _layers.Count, HeadStage.None, Direction: dirs == 1 ? 0 : null);
        return new GraphValue[] { y, new FinalStateValue(), new FinalStateValue() };
    }

    /// <summary>Whether a sequence holds every direction of its layer (a forward half counts while no reverse joined it).</summary>
    private bool IsWhole(SequenceValue value)
        => value.Direction is null || value.Direction == 0 && (value.Layers == 0 || !_layers[value.Layers - 1].Bidirectional);

    /// <summary>[forward, reverse] halves of one layer, each [steps, batch, H], joined along the features: the whole layer.</summary>
    private SequenceValue? JoinDirections(NodeProto node, GraphValue[] inputs)
    {
        if (inputs.Length != 2 || inputs[0] is not SequenceValue { Direction: 0 } forward || inputs[1] is not SequenceValue { Direction: 1 } reverse)
            return null;
        var axis = IntAttribute(node, "axis", int.MinValue);
        var rank = forward.Axes.Length;
        if (forward.Layers != reverse.Layers || forward.Head != HeadStage.None || rank != 3 || !forward.Axes.SequenceEqual(reverse.Axes)
            || forward.Axes[2].Kind != AxisKind.Feature || axis != 2 && axis != -1)
            throw Fail($"{Describe(node)}: joins {forward.Describe()} and {reverse.Describe()}; supported: the forward and the reverse output of one layer, each [steps, batch, H] (squeezed), along the last axis, forward first.");
        return forward with { Axes = new[] { forward.Axes[0], forward.Axes[1], new Axis(AxisKind.Feature, 2 * forward.Axes[2].Size) }, Direction = null };
    }

    private static float[] Reorder(ReadOnlySpan<float> onnx, int blockLength)
    {
        var ours = new float[onnx.Length];
        Gates.FromOnnx(onnx, ours, blockLength);
        return ours;
    }

    private void ExpectShape(string where, TensorData tensor, string role, params long[] shape)
    {
        if (!tensor.IsFloatingPoint || !tensor.Shape.SequenceEqual(shape))
            throw Fail($"{where}: {role} '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}] ({TensorData.TypeName(tensor.DataType)}); expected a float [{string.Join(", ", shape)}].");
    }
}
