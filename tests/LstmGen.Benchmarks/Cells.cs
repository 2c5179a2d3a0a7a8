using LstmGen;

namespace LstmGen.Benchmarks;

// The benchmark grid: D x H in {16x32, 32x64, 64x128, 128x256, 256x512}, plus two variants at 64x128.

[LstmCell(inputSize: 16, hiddenSize: 32)]
public partial struct Bench16x32;

[LstmCell(inputSize: 32, hiddenSize: 64)]
public partial struct Bench32x64;

[LstmCell(inputSize: 64, hiddenSize: 128)]
public partial struct Bench64x128;

[LstmCell(inputSize: 128, hiddenSize: 256)]
public partial struct Bench128x256;

[LstmCell(inputSize: 256, hiddenSize: 512)]
public partial struct Bench256x512;

[LstmCell(inputSize: 64, hiddenSize: 128), Peephole]
public partial struct Bench64x128Peephole;

[LstmCell(inputSize: 64, hiddenSize: 128), LayerNorm]
public partial struct Bench64x128LayerNorm;
