using LstmGen;

namespace LstmGen.Kernels;

// The shipped grid: every D in LstmKernels.InputSizes × every H in LstmKernels.HiddenSizes, standard cell.
// The LstmGen generator emits each kernel at build time; nothing here is hand-written but the declarations.
// Adding a cell: declare it here, add it to LstmKernels.All, and the grid in docs/packages.md and this package's README.md (a test checks them).
// Variant cells: peephole, layer norm and CIFG at the sizes in LstmKernels.VariantSizes, named {Variant}{D}x{H}.

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 1, hidden size 32.</summary>
[LstmCell(inputSize: 1, hiddenSize: 32)]
public partial struct Standard1x32;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 1, hidden size 64.</summary>
[LstmCell(inputSize: 1, hiddenSize: 64)]
public partial struct Standard1x64;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 1, hidden size 128.</summary>
[LstmCell(inputSize: 1, hiddenSize: 128)]
public partial struct Standard1x128;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 1, hidden size 256.</summary>
[LstmCell(inputSize: 1, hiddenSize: 256)]
public partial struct Standard1x256;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 16, hidden size 32.</summary>
[LstmCell(inputSize: 16, hiddenSize: 32)]
public partial struct Standard16x32;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 16, hidden size 64.</summary>
[LstmCell(inputSize: 16, hiddenSize: 64)]
public partial struct Standard16x64;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 16, hidden size 128.</summary>
[LstmCell(inputSize: 16, hiddenSize: 128)]
public partial struct Standard16x128;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 16, hidden size 256.</summary>
[LstmCell(inputSize: 16, hiddenSize: 256)]
public partial struct Standard16x256;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 32, hidden size 32.</summary>
[LstmCell(inputSize: 32, hiddenSize: 32)]
public partial struct Standard32x32;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 32, hidden size 64.</summary>
[LstmCell(inputSize: 32, hiddenSize: 64)]
public partial struct Standard32x64;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 32, hidden size 128.</summary>
[LstmCell(inputSize: 32, hiddenSize: 128)]
public partial struct Standard32x128;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 32, hidden size 256.</summary>
[LstmCell(inputSize: 32, hiddenSize: 256)]
public partial struct Standard32x256;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 64, hidden size 32.</summary>
[LstmCell(inputSize: 64, hiddenSize: 32)]
public partial struct Standard64x32;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 64, hidden size 64.</summary>
[LstmCell(inputSize: 64, hiddenSize: 64)]
public partial struct Standard64x64;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 64, hidden size 128.</summary>
[LstmCell(inputSize: 64, hiddenSize: 128)]
public partial struct Standard64x128;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 64, hidden size 256.</summary>
[LstmCell(inputSize: 64, hiddenSize: 256)]
public partial struct Standard64x256;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 128, hidden size 32.</summary>
[LstmCell(inputSize: 128, hiddenSize: 32)]
public partial struct Standard128x32;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 128, hidden size 64.</summary>
[LstmCell(inputSize: 128, hiddenSize: 64)]
public partial struct Standard128x64;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 128, hidden size 128.</summary>
[LstmCell(inputSize: 128, hiddenSize: 128)]
public partial struct Standard128x128;

/// <summary>Standard LSTM cell (PyTorch <c>nn.LSTM</c>), input size 128, hidden size 256.</summary>
[LstmCell(inputSize: 128, hiddenSize: 256)]
public partial struct Standard128x256;

/// <summary>Peephole LSTM cell (Gers &amp; Schmidhuber: the gates also see the cell state), input size 16, hidden size 64.</summary>
[LstmCell(inputSize: 16, hiddenSize: 64), Peephole]
public partial struct Peephole16x64;

/// <summary>Peephole LSTM cell (Gers &amp; Schmidhuber: the gates also see the cell state), input size 32, hidden size 128.</summary>
[LstmCell(inputSize: 32, hiddenSize: 128), Peephole]
public partial struct Peephole32x128;

/// <summary>Layer-normalised LSTM cell (Ba et al.: LN on both gate products and on the cell state; ε = 1e-5), input size 16, hidden size 64.</summary>
[LstmCell(inputSize: 16, hiddenSize: 64), LayerNorm]
public partial struct LayerNorm16x64;

/// <summary>Layer-normalised LSTM cell (Ba et al.: LN on both gate products and on the cell state; ε = 1e-5), input size 32, hidden size 128.</summary>
[LstmCell(inputSize: 32, hiddenSize: 128), LayerNorm]
public partial struct LayerNorm32x128;

/// <summary>Coupled input-forget gate (CIFG) LSTM cell: f = 1 − i, three gates, input size 16, hidden size 64.</summary>
[LstmCell(inputSize: 16, hiddenSize: 64), CoupledInputForgetGate]
public partial struct Cifg16x64;

/// <summary>Coupled input-forget gate (CIFG) LSTM cell: f = 1 − i, three gates, input size 32, hidden size 128.</summary>
[LstmCell(inputSize: 32, hiddenSize: 128), CoupledInputForgetGate]
public partial struct Cifg32x128;
