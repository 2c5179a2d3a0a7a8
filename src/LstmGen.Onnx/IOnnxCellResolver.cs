using System;

namespace LstmGen.Onnx;

/// <summary>
/// Supplies the cell type for each LSTM layer of an imported model: a type generated from <c>[LstmCell(D, H)]</c>
/// (it implements <see cref="ILstmCell{TSelf}"/>) whose layout satisfies the spec
/// (<see cref="OnnxCellSpec.IsSatisfiedBy"/>). <see cref="OnnxCellResolver.FromCells"/> picks among cells declared at
/// build time; a run-time compiler of cells can implement it for any size.
/// </summary>
public interface IOnnxCellResolver
{
    /// <summary>The cell type for <paramref name="spec"/>; throws (naming the spec) when there is none.</summary>
    Type ResolveCell(OnnxCellSpec spec);
}
