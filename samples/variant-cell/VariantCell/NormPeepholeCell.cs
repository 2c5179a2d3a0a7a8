using LstmGen;

namespace VariantCell;

/// <summary>
/// A user-defined variant: peephole connections (the input and forget gates see c(t-1), the output gate sees c(t))
/// and layer normalisation of both gate products and of the cell state inside the output's tanh. The generator
/// adds the tensors w_ci, w_cf, w_co [H] and ln_ih_*, ln_hh_* [4H], ln_c_* [H] after PyTorch's four.
/// </summary>
[LstmCell(inputSize: 6, hiddenSize: 12)]
[Peephole]
[LayerNorm(Epsilon = 1e-5)]
public partial struct NormPeepholeCell;
