using System;
using LstmGen.Layers;
using LstmGen.Onnx;

namespace LstmGen.Dynamic;

/// <summary>
/// <c>.onnx</c> files for <see cref="LstmModel.Load"/>: LstmGen.Onnx reads the graph and asks for each layer's cell,
/// which the loader compiles at run time.
/// </summary>
internal static class OnnxFormat
{
    public const string Extension = ".onnx";

    public static LstmNetwork<float> Import(string path, Func<LstmCellSpec, DynamicLstmCell> cells)
        => OnnxModel.Import(path, OnnxCellResolver.Create(spec => cells(new LstmCellSpec(spec.InputSize, spec.HiddenSize, spec.Variant)).CellType));
}
