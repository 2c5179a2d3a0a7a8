using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using LstmGen.Generators;

namespace LstmGen.Dynamic;

/// <summary>
/// Names one compiled cell: the spec's declaration together with what the bytes depend on — the generator (version and
/// build), the LstmGen runtime the kernels call (build) and the framework they were compiled against. A change to any
/// of them gives a new key, so a stale cache file is never loaded.
/// </summary>
internal sealed class CellCacheKey
{
    private static readonly string Environment = string.Join("\n",
        "lstmgen-dynamic-cell 1",
        Describe(typeof(LstmCellGenerator).Assembly),
        Describe(typeof(ILstmCell<>).Assembly),
        "framework " + RuntimeInformation.FrameworkDescription);

    public CellCacheKey(LstmCellSpec spec)
    {
        Spec = spec;
        Text = Environment + "\n" + spec.Declaration("Cell");
        Hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Text))).ToLowerInvariant();
        var shortHash = Hash[..16];
        AssemblyName = "LstmGen.Dynamic.Cell_" + shortHash;
        TypeName = string.Create(CultureInfo.InvariantCulture, $"Cell{spec.InputSize}x{spec.HiddenSize}_{shortHash}");
    }

    public const string Namespace = "LstmGen.Dynamic.Cells";

    public LstmCellSpec Spec { get; }

    /// <summary>Everything the compiled bytes depend on, as text (stored in the cache file and compared on load).</summary>
    public string Text { get; }

    /// <summary>SHA-256 of <see cref="Text"/>, lower-case hex: the cache file's name.</summary>
    public string Hash { get; }

    public string AssemblyName { get; }

    public string TypeName { get; }

    public string FullTypeName => Namespace + "." + TypeName;

    private static string Describe(System.Reflection.Assembly assembly)
        => $"{assembly.GetName().Name} {assembly.GetName().Version} {assembly.ManifestModule.ModuleVersionId:N}";
}
