using FsCheck;
using LstmGen.Testing;

namespace VariantCell.Tests;

/// <summary>Arbitraries for FsCheck.NUnit's [Property]: whole cases of the cell (weights, shape, inputs, state, upstream gradients).</summary>
public static class CellArbitraries
{
    public static Arbitrary<LstmCase<NormPeepholeCell, double>> DoubleCases() => LstmArbitrary.Case<NormPeepholeCell, double>(maxSteps: 6, maxBatch: 3);
}
