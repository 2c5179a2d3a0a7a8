using LstmGen;

namespace LstmGen.Tests;

// Every combination of the five variant options at 5x7 (forget bias with CIFG is ruled out by LSTM0007),
// the eight combinations of peephole, layer norm and forget bias at 16x32, and the cells the variant golden files need.
// Names list the options in a fixed order: Peephole, LayerNorm, ForgetBias, Cifg, Clip.

[LstmCell(5, 7)]
public partial struct Cell5x7;

[LstmCell(5, 7)]
[Peephole]
public partial struct Cell5x7_Peephole;

[LstmCell(5, 7)]
[LayerNorm]
public partial struct Cell5x7_LayerNorm;

[LstmCell(5, 7)]
[ForgetBias(1.0)]
public partial struct Cell5x7_ForgetBias;

[LstmCell(5, 7)]
[CoupledInputForgetGate]
public partial struct Cell5x7_Cifg;

[LstmCell(5, 7)]
[Clip(0.8)]
public partial struct Cell5x7_Clip;

[LstmCell(5, 7)]
[Peephole]
[LayerNorm]
public partial struct Cell5x7_Peephole_LayerNorm;

[LstmCell(5, 7)]
[Peephole]
[ForgetBias(1.0)]
public partial struct Cell5x7_Peephole_ForgetBias;

[LstmCell(5, 7)]
[Peephole]
[CoupledInputForgetGate]
public partial struct Cell5x7_Peephole_Cifg;

[LstmCell(5, 7)]
[Peephole]
[Clip(0.8)]
public partial struct Cell5x7_Peephole_Clip;

[LstmCell(5, 7)]
[LayerNorm]
[ForgetBias(1.0)]
public partial struct Cell5x7_LayerNorm_ForgetBias;

[LstmCell(5, 7)]
[LayerNorm]
[CoupledInputForgetGate]
public partial struct Cell5x7_LayerNorm_Cifg;

[LstmCell(5, 7)]
[LayerNorm]
[Clip(0.8)]
public partial struct Cell5x7_LayerNorm_Clip;

[LstmCell(5, 7)]
[ForgetBias(1.0)]
[Clip(0.8)]
public partial struct Cell5x7_ForgetBias_Clip;

[LstmCell(5, 7)]
[CoupledInputForgetGate]
[Clip(0.8)]
public partial struct Cell5x7_Cifg_Clip;

[LstmCell(5, 7)]
[Peephole]
[LayerNorm]
[ForgetBias(1.0)]
public partial struct Cell5x7_Peephole_LayerNorm_ForgetBias;

[LstmCell(5, 7)]
[Peephole]
[LayerNorm]
[CoupledInputForgetGate]
public partial struct Cell5x7_Peephole_LayerNorm_Cifg;

[LstmCell(5, 7)]
[Peephole]
[LayerNorm]
[Clip(0.8)]
public partial struct Cell5x7_Peephole_LayerNorm_Clip;

[LstmCell(5, 7)]
[Peephole]
[ForgetBias(1.0)]
[Clip(0.8)]
public partial struct Cell5x7_Peephole_ForgetBias_Clip;

[LstmCell(5, 7)]
[Peephole]
[CoupledInputForgetGate]
[Clip(0.8)]
public partial struct Cell5x7_Peephole_Cifg_Clip;

[LstmCell(5, 7)]
[LayerNorm]
[ForgetBias(1.0)]
[Clip(0.8)]
public partial struct Cell5x7_LayerNorm_ForgetBias_Clip;

[LstmCell(5, 7)]
[LayerNorm]
[CoupledInputForgetGate]
[Clip(0.8)]
public partial struct Cell5x7_LayerNorm_Cifg_Clip;

[LstmCell(5, 7)]
[Peephole]
[LayerNorm]
[ForgetBias(1.0)]
[Clip(0.8)]
public partial struct Cell5x7_Peephole_LayerNorm_ForgetBias_Clip;

[LstmCell(5, 7)]
[Peephole]
[LayerNorm]
[CoupledInputForgetGate]
[Clip(0.8)]
public partial struct Cell5x7_Peephole_LayerNorm_Cifg_Clip;

[LstmCell(16, 32)]
[Peephole]
public partial struct Cell16x32_Peephole;

[LstmCell(16, 32)]
[LayerNorm]
public partial struct Cell16x32_LayerNorm;

[LstmCell(16, 32)]
[ForgetBias(1.0)]
public partial struct Cell16x32_ForgetBias;

[LstmCell(16, 32)]
[Peephole]
[LayerNorm]
public partial struct Cell16x32_Peephole_LayerNorm;

[LstmCell(16, 32)]
[Peephole]
[ForgetBias(1.0)]
public partial struct Cell16x32_Peephole_ForgetBias;

[LstmCell(16, 32)]
[LayerNorm]
[ForgetBias(1.0)]
public partial struct Cell16x32_LayerNorm_ForgetBias;

[LstmCell(16, 32)]
[Peephole]
[LayerNorm]
[ForgetBias(1.0)]
public partial struct Cell16x32_Peephole_LayerNorm_ForgetBias;

// Golden-file cells beyond the combinations above.

[LstmCell(5, 7)]
[LayerNorm(PerGateStatistics = true)]
public partial struct Cell5x7_LayerNormPerGate;

[LstmCell(5, 7)]
[Peephole]
[LayerNorm]
[ForgetBias(0.5)]
[Clip(0.8)]
public partial struct Cell5x7_Peephole_LayerNorm_ForgetBiasHalf_Clip;
// Layer norm with a negligible epsilon, for the scale-invariance test (with eps = 1e-5 the invariance holds only to ~eps/var).
[LstmCell(5, 7)]
[LayerNorm(Epsilon = 1e-14)]
public partial struct Cell5x7_LayerNormTinyEpsilon;

// A clip so wide that nothing is clipped: must equal the standard cell.
[LstmCell(5, 7)]
[Clip(1e6)]
public partial struct Cell5x7_ClipWide;

// Per-gate layer-norm statistics with CIFG: the forget rows no longer feed the other gates' statistics.
[LstmCell(5, 7)]
[LayerNorm(PerGateStatistics = true)]
[CoupledInputForgetGate]
public partial struct Cell5x7_LayerNormPerGate_Cifg;

// H above the size where forwards on two threads split the hidden units, not a multiple of any vector width (tail
// units), with the variant options the fused step supports: the unit-split and bfloat16 tests.
[LstmCell(inputSize: 9, hiddenSize: 130), Peephole, CoupledInputForgetGate, Clip(3.0)]
public partial struct Cell9x130_Peephole_Cifg_Clip;
