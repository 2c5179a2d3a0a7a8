namespace LstmGen.Onnx;

/// <summary>What <see cref="OnnxModel.Export{T}(Layers.LstmNetwork{T}, string, OnnxExportOptions?)"/> writes besides the network.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Adds a graph input <c>sequence_lens</c> (int32 [batch]) wired to every <c>LSTM</c> node: samples shorter than the
    /// batch's steps, with PyTorch's packed-sequence semantics (as <see cref="SequenceShape"/> with lengths). Default: off,
    /// every sample runs all steps (what <c>torch.onnx.export</c> writes for a plain tensor).
    /// </summary>
    public bool SequenceLengths { get; init; }

    /// <summary>Name of the input [steps, batch, features] (time-major). Default <c>input</c>.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Name of the output [steps, batch, outputs]. Default <c>output</c>.</summary>
    public string OutputName { get; init; } = "output";
}
