using System;
using System.Collections.Generic;

namespace LstmGen.Generators.Helpers;

/// <summary>
/// The member names the emitter declares in a cell type, so the parser can reject a cell that already declares one
/// (LSTM0010) instead of emitting code that does not compile. A test checks every member of generated files against
/// <see cref="IsGenerated"/>: a new emitted helper must be added to <see cref="HelperStems"/>.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>Public members, and the ILstmCell members implemented explicitly.</summary>
    public static readonly string[] Public =
    {
        "InputSize", "HiddenSize", "ParameterCount", "Layout", "CacheLength", "Forward", "Backward",
    };

    /// <summary>Private helpers are named stem + precision (Single, Double) + optional weight flavour (BFloat16) + optional path (V512, V256, V128, Scalar).</summary>
    public static readonly string[] HelperStems =
    {
        "Forward", "ForwardPart", "Backward", "PackWeights", "PackRecurrent", "Step", "Gates", "Cell", "NormalizedHidden", "OutputGradients",
        "GateGradients", "BiasGradients",
    };

    /// <summary>Register tiles of the fused step: <c>Tile</c> + precision + flavour + path + <c>R</c>rows<c>U</c>blocks, e.g. TileSingleV512R2U2.</summary>
    private const string TileStem = "Tile";

    /// <summary>The generic type parameter of Forward&lt;T&gt; and Backward&lt;T&gt;: a cell named T would clash with it (CS0694).</summary>
    public const string TypeParameter = "T";

    private static readonly string[] Precisions = { "Single", "Double" };
    private static readonly string[] Flavours = { "", "BFloat16" };
    private static readonly string[] Paths = { "", "V512", "V256", "V128", "Scalar" };

    private static readonly HashSet<string> All = Build();

    /// <summary>Whether the emitter may declare a member named <paramref name="name"/> in a cell type.</summary>
    public static bool IsGenerated(string name) => All.Contains(name) || IsTile(name);

    private static bool IsTile(string name)
    {
        foreach (var precision in Precisions)
        {
            foreach (var flavour in Flavours)
            {
                foreach (var path in Paths)
                {
                    var prefix = TileStem + precision + flavour + path;
                    if (path.Length > 0 && name.StartsWith(prefix, StringComparison.Ordinal) && IsShape(name.Substring(prefix.Length))) return true;
                }
            }
        }
        return false;
    }

    /// <summary>"R" digits "U" digits.</summary>
    private static bool IsShape(string shape)
    {
        var u = shape.IndexOf('U');
        return shape.Length >= 4 && shape[0] == 'R' && u > 1 && u < shape.Length - 1
            && IsDigits(shape.Substring(1, u - 1)) && IsDigits(shape.Substring(u + 1));
    }

    private static bool IsDigits(string text)
    {
        foreach (var c in text) if (c < '0' || c > '9') return false;
        return true;
    }

    private static HashSet<string> Build()
    {
        var names = new HashSet<string>(Public, StringComparer.Ordinal);
        foreach (var stem in HelperStems)
        {
            foreach (var precision in Precisions)
            {
                foreach (var flavour in Flavours)
                {
                    foreach (var path in Paths)
                        names.Add(stem + precision + flavour + path);
                }
            }
        }
        return names;
    }
}
