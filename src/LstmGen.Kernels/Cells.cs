using LstmGen;

namespace LstmGen.Kernels;

// The shipped grid: every D in LstmKernels.InputSizes × every H in LstmKernels.HiddenSizes, standard cell.
// The LstmGen generator emits each kernel at build time; nothing here is hand-written but the declarations.
// Adding a cell: declare it here, add it to LstmKernels.All, and the grid in README.md (a test checks all three).
// Variant cells (note for the lead): when [Peephole]/[LayerNorm]/[ForgetBias]/[CoupledInputForgetGate]/[Clip] exist in src/LstmGen/Attributes,
// declare the chosen variant cells here (e.g. Peephole{D}x{H}) with Variant set in LstmKernels.All.

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
