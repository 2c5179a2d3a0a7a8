using LstmGen;

namespace VariantCell.Tests;

/// <summary>The same cell without peepholes: with its peephole weights at zero, NormPeepholeCell must compute exactly this.</summary>
[LstmCell(inputSize: 6, hiddenSize: 12)]
[LayerNorm(Epsilon = 1e-5)]
public partial struct LayerNormOnlyCell;
