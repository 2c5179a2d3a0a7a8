namespace LstmGen.Dynamic.Tests;

// Cells declared at build time; RunTimeCellEquivalenceTests compiles the same specs at run time and compares.

[LstmCell(3, 5)]
public partial struct Standard3x5;

[LstmCell(7, 13)]
[Peephole]
[Clip(2.5)]
public partial struct PeepholeClip7x13;

[LstmCell(4, 9)]
[LayerNorm]
[ForgetBias(1.0)]
public partial struct LayerNormForgetBias4x9;

[LstmCell(5, 17)]
[CoupledInputForgetGate]
[LayerNorm(Epsilon = 1e-3, PerGateStatistics = true)]
public partial struct CifgPerGate5x17;
