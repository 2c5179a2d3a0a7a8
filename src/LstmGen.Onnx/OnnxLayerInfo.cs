namespace LstmGen.Onnx;

/// <summary>One LSTM layer of an ONNX model: the cell it needs and whether it runs both ways.</summary>
/// <param name="Cell">Sizes and options of the layer's cell (both directions use the same).</param>
/// <param name="Bidirectional">Whether the <c>LSTM</c> node has <c>direction = "bidirectional"</c>.</param>
public sealed record OnnxLayerInfo(OnnxCellSpec Cell, bool Bidirectional);
