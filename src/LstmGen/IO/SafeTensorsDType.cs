using System;
using System.Collections.Generic;

namespace LstmGen.IO;

/// <summary>The element types of the safetensors format and their sizes.</summary>
public static class SafeTensorsDType
{
    /// <summary>IEEE 754 binary32.</summary>
    public const string F32 = "F32";

    /// <summary>IEEE 754 binary64.</summary>
    public const string F64 = "F64";

    private static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["U16"] = 2, ["I16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["U32"] = 4, ["I32"] = 4, ["F32"] = 4,
        ["U64"] = 8, ["I64"] = 8, ["F64"] = 8,
    };

    /// <summary>Bytes per element of a dtype of the format, or null if the format does not define it.</summary>
    public static int? SizeOf(string dtype) => Sizes.TryGetValue(dtype, out var size) ? size : null;

    /// <summary>The dtype of <typeparamref name="T"/> (<c>F32</c> or <c>F64</c>).</summary>
    public static string Of<T>() => typeof(T) == typeof(float) ? F32
        : typeof(T) == typeof(double) ? F64
        : throw new NotSupportedException($"Only float (F32) and double (F64) tensors are supported, not {typeof(T).Name}.");
}
