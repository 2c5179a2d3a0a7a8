using LstmGen;

namespace LstmGen.Tests;

// Cells for the layer, network and training tests (Cells.cs holds the kernel tests' cells).

// PyTorch network golden files (specs/golden-networks): D = 3, H = 4; a bidirectional layer above feeds 8.
[LstmCell(inputSize: 3, hiddenSize: 4)]
public partial struct Net3x4;

[LstmCell(inputSize: 8, hiddenSize: 4)]
public partial struct Net8x4;

[LstmCell(inputSize: 4, hiddenSize: 4)]
public partial struct Net4x4;

// A catalogue for the FsCheck gradient checks of random stacks: first-layer inputs 2 or 3, hidden sizes 2 or 3,
// so every upper layer's input (H or 2H) is one of 2, 3, 4, 6. The 2x3 one is Cells.cs's Cell2x3 (declared once).
[LstmCell(inputSize: 2, hiddenSize: 2)]
public partial struct Fd2x2;

[LstmCell(inputSize: 3, hiddenSize: 2)]
public partial struct Fd3x2;

[LstmCell(inputSize: 3, hiddenSize: 3)]
public partial struct Fd3x3;

[LstmCell(inputSize: 4, hiddenSize: 2)]
public partial struct Fd4x2;

[LstmCell(inputSize: 4, hiddenSize: 3)]
public partial struct Fd4x3;

[LstmCell(inputSize: 6, hiddenSize: 2)]
public partial struct Fd6x2;

[LstmCell(inputSize: 6, hiddenSize: 3)]
public partial struct Fd6x3;

// Training tasks (TrainingTests): copy task, sine forecaster, character model.
[LstmCell(inputSize: 8, hiddenSize: 32)]
public partial struct Copy8x32;

[LstmCell(inputSize: 1, hiddenSize: 32)]
public partial struct Sine1x32;

[LstmCell(inputSize: 32, hiddenSize: 128)]
public partial struct Char32x128;

[LstmCell(inputSize: 16, hiddenSize: 96)]
public partial struct Char16x96;

// The second layer of the slow two-layer character model.
[LstmCell(inputSize: 96, hiddenSize: 96)]
public partial struct Char96x96;
