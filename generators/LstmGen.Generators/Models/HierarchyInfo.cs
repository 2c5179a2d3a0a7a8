namespace LstmGen.Generators.Models;

/// <summary>One type declaration to reopen: its keyword (struct, class, record struct …) and name.</summary>
internal sealed record TypeLevel(string Keyword, string Name);

/// <summary>
/// Where the cell type lives: namespace, containing types (outermost first) and the cell type itself (last).
/// Enough to reopen every partial declaration in the generated file.
/// </summary>
internal sealed record HierarchyInfo(string Namespace, EquatableArray<TypeLevel> Types, string FullyQualifiedName, string MetadataName)
{
    public TypeLevel Cell => Types[Types.Count - 1];
}
