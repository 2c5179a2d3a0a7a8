using System;
using System.Linq;
using Onnx;

namespace LstmGen.Onnx.Import;

/// <summary>The operators that move a sequence value between layers and into the head.</summary>
internal sealed partial class GraphInterpreter
{
    private SequenceValue Sequence(NodeProto node, int index)
        => Input(node, index) as SequenceValue
            ?? throw Fail($"{Describe(node)}: input '{node.Input[index]}' is not a sequence (the input, an LSTM output or the head's); this use is not supported.");

    private long[] Axes(NodeProto node, int rank)
    {
        long[] axes;
        if (Attribute(node, "axes") is { } attribute) axes = attribute.Ints.ToArray();
        else if (OptionalInput(node, 1) is not null) axes = ConstantInput(node, 1, "axes").ToInt64s();
        else throw Fail($"{Describe(node)}: the axes must be given (a sequence's leading axes have run-time sizes).");
        for (var i = 0; i < axes.Length; i++)
        {
            if (axes[i] < -rank || axes[i] >= rank) throw Fail($"{Describe(node)}: axis {axes[i]} is out of range for rank {rank}.");
            if (axes[i] < 0) axes[i] += rank;
        }
        if (axes.Distinct().Count() != axes.Length) throw Fail($"{Describe(node)}: an axis is repeated.");
        return axes;
    }

    private GraphValue Squeeze(NodeProto node)
    {
        if (Input(node, 0) is ZeroValue or FinalStateValue) return Input(node, 0);
        var sequence = Sequence(node, 0);
        var axes = Axes(node, sequence.Axes.Length);
        foreach (var axis in axes)
        {
            if (sequence.Axes[axis] is not { Kind: AxisKind.Direction, Size: 1 })
                throw Fail($"{Describe(node)}: axis {axis} of {sequence.Describe()} is not a single direction; only the direction axis of a one-direction LSTM output can be squeezed.");
        }
        return sequence with { Axes = sequence.Axes.Where((_, i) => !axes.Contains(i)).ToArray() };
    }

    private GraphValue Transpose(NodeProto node)
    {
        if (Input(node, 0) is ZeroValue or FinalStateValue) return Input(node, 0);
        var sequence = Sequence(node, 0);
        var rank = sequence.Axes.Length;
        var perm = Attribute(node, "perm")?.Ints.ToArray() ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != rank || perm.Any(p => p < 0 || p >= rank) || perm.Distinct().Count() != rank)
            throw Fail($"{Describe(node)}: perm [{string.Join(", ", perm)}] is not a permutation of the {rank} axes of {sequence.Describe()}.");
        return sequence with { Axes = perm.Select(p => sequence.Axes[p]).ToArray() };
    }

    /// <summary>
    /// The reshapes torch writes: [T, B, dirs, H] → [T, B, dirs·H] (directions merged, forward first), and [T, B, F] →
    /// [T·B, F] (rows for a Gemm head).
    /// </summary>
    private GraphValue Reshape(NodeProto node)
    {
        if (Input(node, 0) is ZeroValue) return Input(node, 0);
        var sequence = Sequence(node, 0);
        if (Input(node, 1) is ShapeValue)
            throw Fail($"{Describe(node)}: the target shape is computed at run time; supported are constant shapes such as [0, 0, -1] or [-1, features].");
        var shape = ConstantInput(node, 1, "shape").ToInt64s();
        var allowZero = IntAttribute(node, "allowzero", 0) != 0;
        var axes = sequence.Axes;
        bool IsCopy(int i, AxisKind kind) => !allowZero && shape[i] == 0 && axes[i].Kind == kind;
        bool IsFeatures(long value, int width) => value == -1 || value == width;

        // [a, b, dirs, H] or [a, b, F] → [a, b, features]
        if (shape.Length == 3 && axes.Length >= 3 && axes[0].Kind is AxisKind.Outer0 or AxisKind.Outer1 && axes[1].Kind is AxisKind.Outer0 or AxisKind.Outer1
            && IsCopy(0, axes[0].Kind) && IsCopy(1, axes[1].Kind))
        {
            var width = MergedFeatures(node, sequence, axes[2..]);
            if (!IsFeatures(shape[2], width) && !(shape[2] == 0 && axes.Length == 3 && !allowZero))
                throw Fail($"{Describe(node)}: shape [{string.Join(", ", shape)}] does not give the {width} features of {sequence.Describe()}.");
            return sequence with { Axes = new[] { axes[0], axes[1], new Axis(AxisKind.Feature, width) } };
        }
        // [Outer0, Outer1, F] → [rows, F]
        if (shape.Length == 2 && axes.Length == 3 && axes[0].Kind == AxisKind.Outer0 && axes[1].Kind == AxisKind.Outer1 && axes[2].Kind == AxisKind.Feature
            && shape[0] == -1 && IsFeatures(shape[1], axes[2].Size) && axes[2].Size > 0)
        {
            return sequence with { Axes = new[] { new Axis(AxisKind.Rows, -1), axes[2] } };
        }
        throw Fail($"{Describe(node)}: reshaping {sequence.Describe()} to [{string.Join(", ", shape)}] is not supported; supported: merging the directions into the features ([0, 0, -1]) and merging steps and samples into rows ([-1, features]).");
    }

    /// <summary>The width of trailing axes [dirs, H] (directions next to the features, forward first) or [F].</summary>
    private int MergedFeatures(NodeProto node, SequenceValue sequence, Axis[] trailing)
    {
        if (trailing.Length == 1 && trailing[0].Kind == AxisKind.Feature && trailing[0].Size > 0) return trailing[0].Size;
        if (trailing.Length == 2 && trailing[0].Kind == AxisKind.Direction && trailing[1].Kind == AxisKind.Feature)
            return trailing[0].Size * trailing[1].Size;
        throw Fail($"{Describe(node)}: cannot merge the trailing axes of {sequence.Describe()} into features; the directions must come right before the hidden units (Transpose perm [0, 2, 1, 3] first).");
    }

    private SequenceValue HeadInput(NodeProto node, int index, int axesWanted)
    {
        var sequence = Sequence(node, index);
        if (sequence.Head != HeadStage.None) throw Fail($"{Describe(node)}: a second linear layer after the head is not supported (one head).");
        if (!IsWhole(sequence)) throw Fail($"{Describe(node)}: the head reads one direction of a bidirectional layer; join both with Concat first.");
        if (sequence.Layers != _layers.Count || _layers.Count == 0) throw Fail($"{Describe(node)}: the head must read the last LSTM layer's output.");
        if (_head is not null) throw Fail($"{Describe(node)}: the graph has a second head.");
        var axes = sequence.Axes;
        var ok = axesWanted == 3
            ? axes.Length == 3 && axes[0].Kind is AxisKind.Outer0 or AxisKind.Outer1 && axes[1].Kind is AxisKind.Outer0 or AxisKind.Outer1 && axes[2].Kind == AxisKind.Feature
            : axes.Length == 2 && axes[0].Kind == AxisKind.Rows && axes[1].Kind == AxisKind.Feature;
        if (!ok) throw Fail($"{Describe(node)}: the head reads {sequence.Describe()}; it needs [steps, batch, features]{(axesWanted == 2 ? " merged into [rows, features]" : "")}.");
        return sequence;
    }

    private GraphValue MatMul(NodeProto node)
    {
        var sequence = HeadInput(node, 0, 3);
        var weight = ConstantInput(node, 1, "the head's weight");
        var inputs = sequence.Axes[2].Size;
        if (weight.Shape.Length != 2 || weight.Shape[0] != inputs || !weight.IsFloatingPoint)
            throw Fail($"{Describe(node)}: the head's weight '{weight.Name}' has shape [{string.Join(", ", weight.Shape)}]; expected a float [{inputs}, outputs].");
        var outputs = CheckHeadOutputs(node, weight.Shape[1]);
        var values = weight.ToFloats();
        var transposed = new float[values.Length];   // MatMul's [in, out] → nn.Linear's [out, in]
        for (var i = 0; i < inputs; i++)
            for (var o = 0; o < outputs; o++) transposed[o * inputs + i] = values[i * outputs + o];
        _head = new ImportedHead(inputs, outputs, transposed, null);
        return sequence with { Axes = new[] { sequence.Axes[0], sequence.Axes[1], new Axis(AxisKind.Feature, outputs) }, Head = HeadStage.Product };
    }

    private int CheckHeadOutputs(NodeProto node, long outputs)
    {
        if (outputs < 1 || outputs > LstmCellAttribute.MaxSize)
            throw Fail($"{Describe(node)}: the head has {outputs} outputs; the limit is 1 to {LstmCellAttribute.MaxSize}.");
        return (int)outputs;
    }

    private GraphValue AddBias(NodeProto node)
    {
        var (sequenceIndex, biasIndex) = Input(node, 0) is SequenceValue ? (0, 1) : (1, 0);
        var sequence = Sequence(node, sequenceIndex);
        if (sequence.Head != HeadStage.Product || _head is null)
            throw Fail($"{Describe(node)}: Add is supported only as the bias of the head, right after its MatMul.");
        var bias = ConstantInput(node, biasIndex, "the head's bias");
        var outputs = _head.OutputSize;
        if (!bias.IsFloatingPoint || bias.Count != outputs || bias.Shape.Length == 0 || bias.Shape[^1] != outputs || bias.Shape.Any(d => d != 1 && d != outputs))
            throw Fail($"{Describe(node)}: the head's bias '{bias.Name}' has shape [{string.Join(", ", bias.Shape)}]; expected a float [{outputs}].");
        _head = _head with { Bias = bias.ToFloats() };
        return sequence with { Head = HeadStage.Done };
    }

    private GraphValue Gemm(NodeProto node)
    {
        var sequence = HeadInput(node, 0, 2);
        var alpha = Attribute(node, "alpha")?.F ?? 1f;
        var beta = Attribute(node, "beta")?.F ?? 1f;
        if (alpha != 1f || beta != 1f || IntAttribute(node, "transA", 0) != 0)
            throw Fail($"{Describe(node)}: only Gemm with alpha = 1, beta = 1 and transA = 0 is supported (a linear layer).");
        var transB = IntAttribute(node, "transB", 0) != 0;
        var inputs = sequence.Axes[1].Size;
        var weight = ConstantInput(node, 1, "the head's weight");
        if (weight.Shape.Length != 2 || weight.Shape[transB ? 1 : 0] != inputs || !weight.IsFloatingPoint)
            throw Fail($"{Describe(node)}: the head's weight '{weight.Name}' has shape [{string.Join(", ", weight.Shape)}]; expected a float {(transB ? $"[outputs, {inputs}]" : $"[{inputs}, outputs]")}.");
        var outputs = CheckHeadOutputs(node, weight.Shape[transB ? 0 : 1]);
        var values = weight.ToFloats();
        var linear = transB ? values : new float[values.Length];
        if (!transB)
            for (var i = 0; i < inputs; i++)
                for (var o = 0; o < outputs; o++) linear[o * inputs + i] = values[i * outputs + o];
        float[]? biasValues = null;
        if (OptionalInput(node, 2) is not null)
        {
            var bias = ConstantInput(node, 2, "the head's bias");
            if (!bias.IsFloatingPoint || bias.Count != outputs || bias.Shape.Any(d => d != 1 && d != outputs))
                throw Fail($"{Describe(node)}: the head's bias '{bias.Name}' has shape [{string.Join(", ", bias.Shape)}]; expected a float [{outputs}].");
            biasValues = bias.ToFloats();
        }
        _head = new ImportedHead(inputs, outputs, linear, biasValues);
        return sequence with { Axes = new[] { sequence.Axes[0], new Axis(AxisKind.Feature, outputs) }, Head = HeadStage.Done };
    }
}
