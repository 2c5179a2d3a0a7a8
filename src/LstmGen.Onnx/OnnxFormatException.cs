using System.IO;

namespace LstmGen.Onnx;

/// <summary>
/// An ONNX model that cannot be read, or that is not a graph this importer supports: truncated or corrupt protobuf,
/// an unsupported operator or attribute (named in the message), tensors whose shapes do not agree, sizes above
/// <see cref="LstmCellAttribute.MaxSize"/>. Nothing was built.
/// </summary>
public sealed class OnnxFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="source"/> (a file name or a description of the bytes).</summary>
    public OnnxFormatException(string source, string problem, System.Exception? innerException = null)
        : base($"{source}: {problem}", innerException)
    {
        FileName = source;
        Problem = problem;
    }

    /// <summary>The file (or description of the bytes) that was read.</summary>
    public string FileName { get; }

    /// <summary>What is wrong, without the source.</summary>
    public string Problem { get; }
}
