using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LstmGen.Generators.Models;

/// <summary>
/// What the compilation offers the generated code, reduced to a few equatable values so the pipeline can
/// <c>Combine</c> it with each cell without losing caching: it only changes when the language version or the
/// references change, not on an edit.
/// </summary>
/// <param name="LanguageVersion">The effective C# version the generated trees are parsed with.</param>
/// <param name="HasRuntime">The LstmGen runtime (ILstmCell&lt;T&gt;, LstmParameters, Lstm) is referenced.</param>
/// <param name="HasVector256">System.Runtime.Intrinsics.Vector256 (the static class: .NET 7 or later) is referenced.</param>
/// <param name="HasVector512">System.Runtime.Intrinsics.Vector512 (.NET 8 or later) is referenced.</param>
/// <param name="HasGenericMath">System.Numerics.IFloatingPointIeee754&lt;T&gt; (.NET 7 or later) is referenced.</param>
internal readonly record struct TargetInfo(LanguageVersion LanguageVersion, bool HasRuntime, bool HasVector256, bool HasVector512, bool HasGenericMath)
{
    /// <summary>The generated code implements static abstract interface members explicitly: C# 11.</summary>
    public const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp11;

    /// <summary>What LSTM0011 advises: C# 12, the .NET 8 default, which also allows <c>partial struct Cell;</c> without a body.</summary>
    public const LanguageVersion RecommendedLanguageVersion = LanguageVersion.CSharp12;

    public bool LanguageVersionSupported => LanguageVersion >= MinimumLanguageVersion;

    public bool FrameworkSupported => HasRuntime && HasVector256 && HasVector512 && HasGenericMath;

    /// <summary>Everything the generated code needs is there: emit.</summary>
    public bool Supported => LanguageVersionSupported && FrameworkSupported;

    /// <summary>The reference facts of <paramref name="compilation"/>, with the language version filled in later.</summary>
    public static TargetInfo FromCompilation(Compilation compilation) => new(
        LanguageVersion.Default,
        HasRuntime: compilation.GetTypeByMetadataName(KnownTypeNames.ILstmCell) is not null
            && compilation.GetTypeByMetadataName(KnownTypeNames.LstmParameters) is not null
            && compilation.GetTypeByMetadataName(KnownTypeNames.Lstm) is not null,
        HasVector256: compilation.GetTypeByMetadataName(KnownTypeNames.Vector256) is not null,
        HasVector512: compilation.GetTypeByMetadataName(KnownTypeNames.Vector512) is not null,
        HasGenericMath: compilation.GetTypeByMetadataName(KnownTypeNames.IFloatingPointIeee754) is not null);
}
