using LstmGen;

namespace LstmGen.Tests;

// Cells declared for the tests. Golden files in specs/golden need a cell of matching size and variant here.

[LstmCell(inputSize: 1, hiddenSize: 1)]
public partial struct Cell1x1;

[LstmCell(inputSize: 2, hiddenSize: 3)]
public partial struct Cell2x3;

[LstmCell(inputSize: 3, hiddenSize: 5)]
public partial struct Cell3x5;

[LstmCell(inputSize: 7, hiddenSize: 13)]
public partial struct Cell7x13;

[LstmCell(inputSize: 16, hiddenSize: 32)]
public partial struct Cell16x32;

[LstmCell(inputSize: 17, hiddenSize: 33)]
public partial struct Cell17x33;

[LstmCell(inputSize: 64, hiddenSize: 128)]
public partial struct Cell64x128;

[LstmCell(inputSize: 200, hiddenSize: 300)]
public partial struct Cell200x300;
