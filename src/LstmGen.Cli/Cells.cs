using LstmGen;

namespace LstmGen.Cli;

/// <summary>The cells this program declares; the generator emits their kernels at build time.</summary>
[LstmCell(inputSize: 3, hiddenSize: 5)]
public partial struct TinyCell;

/// <summary>A small cell, the size LSTMs on sensor data often have.</summary>
[LstmCell(inputSize: 16, hiddenSize: 32)]
public partial struct SmallCell;

/// <summary>A medium cell, e.g. for character-level text.</summary>
[LstmCell(inputSize: 64, hiddenSize: 128)]
public partial struct MediumCell;
