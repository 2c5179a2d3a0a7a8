using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Layers;
using LstmGen.Onnx.Import;

namespace LstmGen.Onnx;

/// <summary>
/// An ONNX model read and checked by <see cref="OnnxModel.Read(string)"/>: its LSTM layers (with the cell each needs),
/// its head and its input layout, with the weights held in LstmGen's layout. <see cref="CreateNetwork"/> builds an
/// <see cref="LstmNetwork{T}"/> from it, as often as needed.
/// </summary>
public sealed class OnnxNetworkInfo
{
    private readonly ImportedGraph _graph;

    internal OnnxNetworkInfo(ImportedGraph graph)
    {
        _graph = graph;
        Layers = graph.Layers.Select(l => new OnnxLayerInfo(l.Spec, l.Bidirectional)).ToArray();
    }

    /// <summary>The LSTM layers, bottom first.</summary>
    public IReadOnlyList<OnnxLayerInfo> Layers { get; }

    /// <summary>Features per input step.</summary>
    public int InputSize => _graph.Layers[0].Spec.InputSize;

    /// <summary>Features per output step (the head's outputs, or the last layer's directions × H).</summary>
    public int OutputSize => _graph.Head?.OutputSize ?? (_graph.Layers[^1].Bidirectional ? 2 : 1) * _graph.Layers[^1].Spec.HiddenSize;

    /// <summary>The head's output count, or null when the graph has no linear head.</summary>
    public int? HeadOutputs => _graph.Head?.OutputSize;

    /// <summary>How the input (and output) rows are ordered: time-major, or batch-first when the graph transposes its input.</summary>
    public SequenceLayout Layout => _graph.Layout;

    /// <summary>Name of the graph's float input.</summary>
    public string InputName => _graph.InputName;

    /// <summary>Name of the graph's (first) output.</summary>
    public string OutputName => _graph.OutputName;

    /// <summary>Name of the int32 <c>sequence_lens</c> input the LSTM nodes read, or null: then every sample runs all steps.</summary>
    public string? SequenceLengthsName => _graph.SequenceLengthsName;

    /// <summary>The default-domain opset the model imports.</summary>
    public long Opset => _graph.Opset;

    /// <summary>The model's producer name and version (e.g. <c>pytorch 1.13.1</c>).</summary>
    public string Producer => _graph.Producer;

    /// <summary>
    /// Builds the network: each layer's cell type from <paramref name="resolver"/>, weights copied from the model.
    /// Every cell is resolved and checked before anything is built.
    /// </summary>
    /// <exception cref="InvalidOperationException">The resolver has no cell for a layer, or gave one that does not satisfy the layer's spec.</exception>
    public LstmNetwork<float> CreateNetwork(IOnnxCellResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        var layerTypes = new Type[_graph.Layers.Count];
        for (var k = 0; k < layerTypes.Length; k++)
        {
            var spec = _graph.Layers[k].Spec;
            var cell = resolver.ResolveCell(spec) ?? throw new InvalidOperationException($"The resolver returned no cell for layer {k} ({spec}).");
            var layout = OnnxCellResolver.LayoutOf(cell);
            if (!spec.IsSatisfiedBy(layout))
                throw new InvalidOperationException($"The resolver gave {cell.Name} ({layout.InputSize}x{layout.HiddenSize} {layout.Variant}) for layer {k}, which needs {spec}.");
            layerTypes[k] = typeof(LstmLayer<,>).MakeGenericType(cell, typeof(float));
        }
        var builder = new LstmNetworkBuilder<float>().Input(InputSize);
        for (var k = 0; k < layerTypes.Length; k++)
            builder.Layer((RecurrentLayer<float>)Activator.CreateInstance(layerTypes[k], new object[] { _graph.Layers[k].Bidirectional })!);
        if (_graph.Head is { } head) builder.Linear(head.OutputSize, bias: head.Bias is not null);
        var network = builder.Build(seed: 0, NetworkInitialization.Zeros);

        var parameters = network.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        void Set(string name, float[] values)
        {
            var tensor = parameters[name];
            if (tensor.Length != values.Length) throw new InvalidOperationException($"Tensor '{name}' has {tensor.Length} values in the network and {values.Length} in the model.");
            values.CopyTo(tensor.Value.Span);
            assigned.Add(name);
        }
        for (var k = 0; k < _graph.Layers.Count; k++)
        {
            var directions = _graph.Layers[k].Directions;
            for (var dir = 0; dir < directions.Count; dir++)
                foreach (var (name, values) in directions[dir])
                    Set($"{LstmNetwork<float>.LstmPrefix}{name}_l{k}{(dir == 1 ? "_reverse" : "")}", values);
        }
        if (_graph.Head is { } h)
        {
            Set(LstmNetwork<float>.HeadPrefix + "weight", h.Weight);
            if (h.Bias is not null) Set(LstmNetwork<float>.HeadPrefix + "bias", h.Bias);
        }
        var missing = parameters.Keys.Where(n => !assigned.Contains(n)).ToArray();
        if (missing.Length > 0) throw new InvalidOperationException($"The model gives no values for {string.Join(", ", missing)}.");
        return network;
    }

    /// <summary>e.g. <c>2 layers (3x4 standard, bidirectional; 8x4 standard), head 8 → 2, time-major</c>.</summary>
    public override string ToString()
    {
        var layers = string.Join("; ", Layers.Select(l => l.Cell + (l.Bidirectional ? ", bidirectional" : "")));
        var head = HeadOutputs is { } outputs ? $", head → {outputs}" : "";
        return $"{Layers.Count} LSTM layer{(Layers.Count == 1 ? "" : "s")} ({layers}){head}, {(Layout == SequenceLayout.TimeMajor ? "time-major" : "batch-first")}{(SequenceLengthsName is null ? "" : ", with sequence lengths")}";
    }
}
