using System;

namespace LstmGen;

/// <summary>The element types the kernels support.</summary>
internal static class Precision
{
    public static void EnsureSupported<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"LstmGen kernels exist for float and double, not {typeof(T).Name}.");
    }
}
