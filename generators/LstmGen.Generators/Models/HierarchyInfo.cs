using LstmGen.Generators.Helpers;

namespace LstmGen.Generators.Models;

/// <summary>One type declaration to reopen: its keyword (struct, class, record struct …) and name, escaped ('@class').</summary>
internal sealed record TypeLevel(string Keyword, string Name);

/// <summary>
/// Where the cell type lives: namespace, containing types (outermost first) and the cell type itself (last).
/// Enough to reopen every partial declaration in the generated file.
/// </summary>
/// <param name="Namespace">The namespace as written in source, each part escaped ("@event.M"); empty for the global namespace.</param>
/// <param name="Types">Containing types and the cell, escaped.</param>
/// <param name="FullyQualifiedName">"global::N.Outer.Cell", escaped.</param>
/// <param name="MetadataName">The exact metadata name ("N.Outer+Cell", unescaped): the key of the cell's generated file.</param>
internal sealed record HierarchyInfo(string Namespace, EquatableArray<TypeLevel> Types, string FullyQualifiedName, string MetadataName)
{
    public TypeLevel Cell => Types[Types.Count - 1];

    /// <summary>The hint name when no other cell's name collides with this one ("N.Outer.Cell.g.cs").</summary>
    public string HintName => HintNames.For(MetadataName, HintNames.Plan.Empty)!;
}
