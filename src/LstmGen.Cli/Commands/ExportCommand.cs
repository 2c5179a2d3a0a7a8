using System;
using System.IO;
using LstmGen.Onnx;

namespace LstmGen.Cli.Commands;

/// <summary>
/// <c>export MODEL --onnx OUT.onnx</c>: writes any model <c>run</c> reads as ONNX <c>LSTM</c> operators (LstmGen.Onnx,
/// opset 14, float32), for ONNX Runtime or any other ONNX runtime.
/// </summary>
internal static class ExportCommand
{
    public static int Run(Action<string> status, string modelPath, string onnxPath)
    {
        var (network, description) = RunCommand.Load(modelPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(onnxPath));
        if (directory is not null) Directory.CreateDirectory(directory);
        try
        {
            OnnxModel.Export(network, onnxPath);
        }
        catch (NotSupportedException e)
        {
            throw new CliException($"'{modelPath}' cannot be exported to ONNX: {e.Message}");
        }
        status($"{description} → {onnxPath} (ONNX, opset 14, {new FileInfo(onnxPath).Length} bytes)");
        return 0;
    }
}
