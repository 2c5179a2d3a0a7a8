using LstmGen;

namespace LstmGen.Cli;

// The cells this program declares; the generator emits their kernels at build time.
// Training cells: every task feeds 16 features per step (dense tasks pad or use lags, token tasks embed to 16),
// so layer 0 is 16×H and every further layer H×H, for H in CellCatalog.HiddenSizes.

/// <summary>standard cell, 16×32.</summary>
[LstmCell(16, 32)]
public partial struct Std16x32;

/// <summary>standard cell, 32×32.</summary>
[LstmCell(32, 32)]
public partial struct Std32x32;

/// <summary>standard cell, 16×64.</summary>
[LstmCell(16, 64)]
public partial struct Std16x64;

/// <summary>standard cell, 64×64.</summary>
[LstmCell(64, 64)]
public partial struct Std64x64;

/// <summary>peephole cell, 16×32.</summary>
[LstmCell(16, 32)][Peephole]
public partial struct Peep16x32;

/// <summary>peephole cell, 32×32.</summary>
[LstmCell(32, 32)][Peephole]
public partial struct Peep32x32;

/// <summary>peephole cell, 16×64.</summary>
[LstmCell(16, 64)][Peephole]
public partial struct Peep16x64;

/// <summary>peephole cell, 64×64.</summary>
[LstmCell(64, 64)][Peephole]
public partial struct Peep64x64;

/// <summary>layernorm cell, 16×32.</summary>
[LstmCell(16, 32)][LayerNorm]
public partial struct Ln16x32;

/// <summary>layernorm cell, 32×32.</summary>
[LstmCell(32, 32)][LayerNorm]
public partial struct Ln32x32;

/// <summary>layernorm cell, 16×64.</summary>
[LstmCell(16, 64)][LayerNorm]
public partial struct Ln16x64;

/// <summary>layernorm cell, 64×64.</summary>
[LstmCell(64, 64)][LayerNorm]
public partial struct Ln64x64;

/// <summary>forgetbias cell, 16×32.</summary>
[LstmCell(16, 32)][ForgetBias(1.0)]
public partial struct Fb16x32;

/// <summary>forgetbias cell, 32×32.</summary>
[LstmCell(32, 32)][ForgetBias(1.0)]
public partial struct Fb32x32;

/// <summary>forgetbias cell, 16×64.</summary>
[LstmCell(16, 64)][ForgetBias(1.0)]
public partial struct Fb16x64;

/// <summary>forgetbias cell, 64×64.</summary>
[LstmCell(64, 64)][ForgetBias(1.0)]
public partial struct Fb64x64;

// Tiny cells for full gradient checks of every option (every element of every tensor).

/// <summary>3×5 cell: Tiny.</summary>
[LstmCell(3, 5)]
public partial struct TinyCell;

/// <summary>3×5 cell: TinyPeephole.</summary>
[LstmCell(3, 5)][Peephole]
public partial struct TinyPeepholeCell;

/// <summary>3×5 cell: TinyLayerNorm.</summary>
[LstmCell(3, 5)][LayerNorm]
public partial struct TinyLayerNormCell;

/// <summary>3×5 cell: TinyLayerNormPerGate.</summary>
[LstmCell(3, 5)][LayerNorm(PerGateStatistics = true)]
public partial struct TinyLayerNormPerGateCell;

/// <summary>3×5 cell: TinyForgetBias.</summary>
[LstmCell(3, 5)][ForgetBias(1.0)]
public partial struct TinyForgetBiasCell;

/// <summary>3×5 cell: TinyCifg.</summary>
[LstmCell(3, 5)][CoupledInputForgetGate]
public partial struct TinyCifgCell;

/// <summary>3×5 cell: TinyClip.</summary>
[LstmCell(3, 5)][Clip(1.5)]
public partial struct TinyClipCell;

/// <summary>3×5 cell: TinyAll.</summary>
[LstmCell(3, 5)][Peephole, LayerNorm, ForgetBias(0.5), Clip(3.0)]
public partial struct TinyAllCell;
