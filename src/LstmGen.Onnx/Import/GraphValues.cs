namespace LstmGen.Onnx.Import;

/// <summary>What the importer knows about one value of the graph: the symbolic evaluation's domain.</summary>
internal abstract record GraphValue;

/// <summary>A tensor known at import time (an initializer or a <c>Constant</c>).</summary>
internal sealed record ConstantValue(TensorData Data) : GraphValue;

/// <summary>A shape, or part of one, computed at run time from the input (feeds only the zero initial states).</summary>
internal sealed record ShapeValue : GraphValue;

/// <summary>An all-zero tensor whose shape is only known at run time (<c>ConstantOfShape</c> with value 0).</summary>
internal sealed record ZeroValue : GraphValue;

/// <summary>The final hidden or cell state of LSTM nodes (<c>Y_h</c>, <c>Y_c</c>, or a concatenation of them).</summary>
internal sealed record FinalStateValue : GraphValue;

/// <summary>The graph input holding the samples' lengths (int32 [batch]).</summary>
internal sealed record SequenceLengthsValue(string Name) : GraphValue;

/// <summary>Where the head stands on a sequence value.</summary>
internal enum HeadStage
{
    None,
    Product,
    Done,
}

/// <summary>The kinds of axis a sequence value has.</summary>
internal enum AxisKind
{
    /// <summary>Axis 0 of the graph input (steps when time-major, samples when batch-first).</summary>
    Outer0,

    /// <summary>Axis 1 of the graph input.</summary>
    Outer1,

    /// <summary>Outer0 × Outer1 merged, Outer0-major: one row per step and sample, in the input's order.</summary>
    Rows,

    /// <summary>Features (Size = width, or -1 when the input does not say).</summary>
    Feature,

    /// <summary>The direction axis of an <c>LSTM</c> output (Size = 1 or 2).</summary>
    Direction,
}

internal readonly record struct Axis(AxisKind Kind, int Size)
{
    public override string ToString() => Kind switch
    {
        AxisKind.Outer0 => "input axis 0",
        AxisKind.Outer1 => "input axis 1",
        AxisKind.Rows => "rows",
        AxisKind.Feature => Size < 0 ? "features" : $"{Size} features",
        _ => $"{Size} directions",
    };
}

/// <summary>A tensor that carries one row per step and sample through the stack: the input, an LSTM's output, the head's.</summary>
/// <param name="Axes">Its axes, symbolically.</param>
/// <param name="Layers">How many LSTM layers it has passed through.</param>
/// <param name="Head">Whether the head's product / bias was applied.</param>
/// <param name="Direction">
/// Null when the value holds every direction of its layer; 0 or 1 when it comes from a one-direction <c>LSTM</c> node
/// (forward or reverse) whose layer may be joined with its other direction by a <c>Concat</c>.
/// </param>
internal sealed record SequenceValue(Axis[] Axes, int Layers, HeadStage Head, int? Direction = null) : GraphValue
{
    public string Describe() => "[" + string.Join(", ", System.Array.ConvertAll(Axes, a => a.ToString())) + "]";
}
