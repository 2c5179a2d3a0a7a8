namespace LstmGen.Generators.Models;

/// <summary>Everything the emitter needs to write one cell: pure values, no Roslyn symbols.</summary>
internal sealed record LstmCellInfo(HierarchyInfo Hierarchy, int InputSize, int HiddenSize)
{
    /// <summary>4H: the rows of the gate matrices (i, f, g, o blocks).</summary>
    public int GateRows => 4 * HiddenSize;

    public int WeightIhOffset => 0;

    public int WeightHhOffset => GateRows * InputSize;

    public int BiasIhOffset => WeightHhOffset + GateRows * HiddenSize;

    public int BiasHhOffset => BiasIhOffset + GateRows;

    public int ParameterCount => BiasHhOffset + GateRows;
}
