using System;
using System.ComponentModel;

namespace LstmGen.Numerics;

/// <summary>
/// bfloat16 (the top 16 bits of a float32: 8 exponent bits, 7 mantissa bits) for the reduced-precision weights of
/// the generated kernels. Widening back to float is exact: the bits shifted up by 16.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BFloat16
{
    /// <summary>The bfloat16 nearest to <paramref name="value"/> (ties to even), as its 16 bits; NaN stays a quiet NaN.</summary>
    public static ushort Round(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        // Adding 0x7FFF plus the lowest kept bit rounds to nearest, ties to even; a carry into the exponent is correct
        // (it rounds up to the next binade, or to infinity past the largest finite bfloat16).
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>The float that the bfloat16 bits <paramref name="bits"/> stand for (exact).</summary>
    public static float Widen(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
