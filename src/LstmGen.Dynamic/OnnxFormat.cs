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
    {
        var info = OnnxModel.Read(path);
        // LstmModel.Forward reads time-major rows; a batch-first graph would be fed the wrong rows without a word.
        if (info.Layout != SequenceLayout.TimeMajor)
            throw new NotSupportedException($"'{path}' takes batch-first input ([batch, steps, features]), and LstmModel.Forward is time-major. Use OnnxModel.Read(path).CreateNetwork(resolver) and run the network with SequenceLayout.BatchFirst (docs/onnx.md).");
        return info.CreateNetwork(OnnxCellResolver.Create(spec => cells(new LstmCellSpec(spec.InputSize, spec.HiddenSize, spec.Variant)).CellType));
    }
}
