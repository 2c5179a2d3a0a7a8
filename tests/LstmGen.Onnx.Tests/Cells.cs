using LstmGen;

namespace LstmGen.Onnx.Tests;

// The cells the tests export and import: the resolver picks among these (build-time cells).
[LstmCell(3, 4)] public partial struct Cell3x4;
[LstmCell(4, 4)] public partial struct Cell4x4;
[LstmCell(8, 4)] public partial struct Cell8x4;
[LstmCell(2, 3)] public partial struct Cell2x3;
[LstmCell(3, 4), Peephole] public partial struct Peephole3x4;
[LstmCell(8, 4), Peephole] public partial struct Peephole8x4;
[LstmCell(3, 4), Clip(0.75)] public partial struct Clip3x4;
[LstmCell(3, 4), Clip(0.8)] public partial struct Clip08x3x4;
[LstmCell(3, 4), CoupledInputForgetGate] public partial struct Cifg3x4;
[LstmCell(3, 4), Peephole, CoupledInputForgetGate, Clip(1.5)] public partial struct PeepholeCifgClip3x4;
[LstmCell(3, 4), ForgetBias(1.0)] public partial struct ForgetBias3x4;
[LstmCell(3, 4), LayerNorm] public partial struct LayerNorm3x4;
