using System;
using System.IO;
using System.Numerics;
using Google.Protobuf;
using LstmGen.Layers;
using LstmGen.Onnx.Export;
using LstmGen.Onnx.Import;
using Onnx;

namespace LstmGen.Onnx;

/// <summary>
/// ONNX in and out: <see cref="Export{T}(LstmNetwork{T}, string, OnnxExportOptions?)"/> writes a network as ONNX
/// <c>LSTM</c> operators; <see cref="Import(string, IOnnxCellResolver)"/> reads a graph built around the <c>LSTM</c>
/// operator (as <c>torch.onnx.export</c> writes it) into a network. The supported subset: docs/onnx.md.
/// </summary>
public static class OnnxModel
{
    /// <summary>Writes <paramref name="network"/> to the file <paramref name="path"/> (opset 14, float32, weights inside the file).</summary>
    /// <exception cref="NotSupportedException">The network uses what ONNX cannot express (layer norm, an embedding); the message names it.</exception>
    public static void Export<T>(LstmNetwork<T> network, string path, OnnxExportOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = OnnxExporter.Build(network, options ?? new OnnxExportOptions()).ToByteArray();
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="NotSupportedException">The network uses what ONNX cannot express (layer norm, an embedding); the message names it.</exception>
    public static void Export<T>(LstmNetwork<T> network, Stream stream, OnnxExportOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        OnnxExporter.Build(network, options ?? new OnnxExportOptions()).WriteTo(stream);
    }

    /// <summary>Reads and checks the model in <paramref name="path"/> without building a network.</summary>
    /// <exception cref="OnnxFormatException">The file is not a supported ONNX LSTM model; the message says why.</exception>
    public static OnnxNetworkInfo Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads and checks a model from its bytes; <paramref name="source"/> names them in messages.</summary>
    /// <exception cref="OnnxFormatException">The bytes are not a supported ONNX LSTM model; the message says why.</exception>
    public static OnnxNetworkInfo Read(ReadOnlySpan<byte> bytes, string source = "ONNX model")
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException(source, $"not a readable ONNX model (protobuf: {e.Message}).", e);
        }
        return new OnnxNetworkInfo(GraphInterpreter.Run(model, source));
    }

    /// <summary>Reads the model in <paramref name="path"/> and builds the network, each layer's cell from <paramref name="resolver"/>.</summary>
    /// <exception cref="OnnxFormatException">The file is not a supported ONNX LSTM model; the message says why.</exception>
    /// <exception cref="InvalidOperationException">The resolver has no cell for a layer.</exception>
    public static LstmNetwork<float> Import(string path, IOnnxCellResolver resolver) => Read(path).CreateNetwork(resolver);
}
