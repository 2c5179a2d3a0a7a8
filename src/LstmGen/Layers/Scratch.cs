using System;

namespace LstmGen.Layers;

/// <summary>Grow-only scratch arrays: a layer allocates when a call needs more room than any call before, never per step.</summary>
internal static class Scratch
{
    public static Span<T> Ensure<T>(ref T[]? array, long length)
    {
        if (length > Array.MaxLength)
            throw new ArgumentException($"A scratch buffer of {length} elements exceeds the largest array ({Array.MaxLength}); use shorter chunks (truncated BPTT) or smaller batches.");
        if (array is null || array.Length < length) array = new T[length];
        return array.AsSpan(0, (int)length);
    }
}
