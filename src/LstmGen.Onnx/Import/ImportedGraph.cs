using System.Collections.Generic;

namespace LstmGen.Onnx.Import;

/// <summary>One LSTM layer read from the graph, its tensors already in LstmGen's layout and names (per direction).</summary>
internal sealed record ImportedLayer(OnnxCellSpec Spec, bool Bidirectional, IReadOnlyList<IReadOnlyDictionary<string, float[]>> Directions);

/// <summary>The linear head: weight [out × in] (nn.Linear's layout), bias [out] or null.</summary>
internal sealed record ImportedHead(int InputSize, int OutputSize, float[] Weight, float[]? Bias);

/// <summary>Everything the graph says, checked: ready to become an LstmNetwork.</summary>
internal sealed record ImportedGraph(IReadOnlyList<ImportedLayer> Layers, ImportedHead? Head, SequenceLayout Layout,
    string InputName, string OutputName, string? SequenceLengthsName, long Opset, string Producer);
