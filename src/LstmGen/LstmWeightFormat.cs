namespace LstmGen;

/// <summary>How <see cref="LstmPackedWeights{TCell, T}"/> (and so <see cref="LstmStream{TCell, T}"/>) stores the recurrent weights for inference.</summary>
public enum LstmWeightFormat
{
    /// <summary>The cell's own precision (float or double): results equal <see cref="Lstm"/>.Forward with the parameters bit for bit.</summary>
    Default = 0,

    /// <summary>
    /// W_hh stored as bfloat16 (8 bits of mantissa), widened exactly to float as the step loads it, products summed in
    /// float32; W_ih and the biases stay float32. Half the bytes per step, for inference where reading W_hh bounds the
    /// speed (one or a few sequences, H ≥ 128). Float cells without layer norm only; outputs differ from float32 weights
    /// by about 1e-3 relative (measured figures in docs/performance.md).
    /// </summary>
    BFloat16 = 1,
}
