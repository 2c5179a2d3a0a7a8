using System.Threading;
using LstmGen.Dynamic;
using LstmGen.Onnx;

namespace LstmGen.Cli.Models;

/// <summary>Routes <c>.onnx</c> files given to LstmModel.Load (and so to <c>run</c>) to LstmGen.Onnx's importer, with run-time cells.</summary>
internal static class OnnxFormat
{
    private static int _registered;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        LstmModel.RegisterFormat(".onnx", (path, cells) => OnnxModel.Import(path,
            OnnxCellResolver.Create(spec => cells(new LstmCellSpec(spec.InputSize, spec.HiddenSize, spec.Variant)).CellType)));
    }
}
