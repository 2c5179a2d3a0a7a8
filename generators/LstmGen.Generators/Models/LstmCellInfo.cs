using System;

namespace LstmGen.Generators.Models;

/// <summary>
/// The variant options of a cell. Constants stay double so the double kernel is not rounded through float.
/// </summary>
internal sealed record LstmVariant(bool Peephole, bool LayerNorm, double LayerNormEpsilon, bool LayerNormPerGate,
    double ForgetBias, bool CoupledInputForget, double? Clip)
{
    public static LstmVariant Standard { get; } = new(false, false, 1e-5, false, 0, false, null);

    /// <summary>Statistics per normalised gate term: 1 (all 4H) or 4 (per gate).</summary>
    public int GateStatistics => LayerNormPerGate ? 4 : 1;
}

/// <summary>Everything the emitter needs to write one cell: pure values, no Roslyn symbols.</summary>
internal sealed record LstmCellInfo(HierarchyInfo Hierarchy, int InputSize, int HiddenSize, LstmVariant Variant)
{
    /// <summary>4H: the rows of the gate matrices (i, f, g, o blocks).</summary>
    public int GateRows => 4 * HiddenSize;

    /// <summary>The parameter tensors in buffer order: PyTorch's four, then peepholes, then layer-norm gains and shifts.</summary>
    public TensorInfo[] Tensors
    {
        get
        {
            int d = InputSize, h = HiddenSize, g = GateRows;
            var list = new System.Collections.Generic.List<TensorInfo>();
            var offset = 0;
            void Add(string name, int rows, int columns)
            {
                list.Add(new TensorInfo(name, offset, rows, columns, IsMatrix: name.StartsWith("weight_", StringComparison.Ordinal)));
                offset += rows * columns;
            }
            Add("weight_ih", g, d);
            Add("weight_hh", g, h);
            Add("bias_ih", g, 1);
            Add("bias_hh", g, 1);
            if (Variant.Peephole)
            {
                Add("w_ci", h, 1);
                Add("w_cf", h, 1);
                Add("w_co", h, 1);
            }
            if (Variant.LayerNorm)
            {
                Add("ln_ih_weight", g, 1);
                Add("ln_ih_bias", g, 1);
                Add("ln_hh_weight", g, 1);
                Add("ln_hh_bias", g, 1);
                Add("ln_c_weight", h, 1);
                Add("ln_c_bias", h, 1);
            }
            return list.ToArray();
        }
    }

    public int Offset(string name) => Array.Find(Tensors, t => t.Name == name)?.Offset
        ?? throw new InvalidOperationException($"No tensor {name} in this cell.");

    public int WeightIhOffset => 0;

    public int WeightHhOffset => GateRows * InputSize;

    public int BiasIhOffset => WeightHhOffset + GateRows * HiddenSize;

    public int BiasHhOffset => BiasIhOffset + GateRows;

    public int ParameterCount
    {
        get
        {
            var last = Tensors[Tensors.Length - 1];
            return last.Offset + last.Rows * last.Columns;
        }
    }
}

/// <summary>One parameter tensor: PyTorch name, offset in the buffer, shape.</summary>
internal sealed record TensorInfo(string Name, int Offset, int Rows, int Columns, bool IsMatrix);
