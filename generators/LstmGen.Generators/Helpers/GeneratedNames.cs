using System;
using System.Collections.Generic;

namespace LstmGen.Generators.Helpers;

/// <summary>
/// The member names the emitter declares in a cell type, so the parser can reject a cell that already declares one
/// (LSTM0010) instead of emitting code that does not compile. The kernels live in a class of their own (in
/// LstmGen.Generated), so only the public surface is declared in the cell. A test checks every member of generated
/// cells against <see cref="IsGenerated"/>.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>Public members, and the ILstmCell members implemented explicitly.</summary>
    public static readonly string[] Public =
    {
        "InputSize", "HiddenSize", "ParameterCount", "Layout", "CacheLength", "Forward", "Backward",
    };

    /// <summary>The generic type parameter of Forward&lt;T&gt; and Backward&lt;T&gt;: a cell named T would clash with it (CS0694).</summary>
    public const string TypeParameter = "T";

    private static readonly HashSet<string> All = new(Public, StringComparer.Ordinal);

    /// <summary>Whether the emitter may declare a member named <paramref name="name"/> in a cell type.</summary>
    public static bool IsGenerated(string name) => All.Contains(name);
}
