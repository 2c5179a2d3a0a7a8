using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LstmGen.IO;
using LstmGen.Layers;
using LstmGen.Training;

namespace LstmGen.Dynamic;

/// <summary>
/// Reads a model of another format into an <see cref="LstmNetwork{T}"/>, asking <paramref name="cells"/> for the cell
/// of each layer (compiled on demand). Registered per file extension with <see cref="LstmModel.RegisterFormat"/>.
/// </summary>
/// <param name="path">The model file.</param>
/// <param name="cells">The cell of a spec (D, H, variant), from the loader's <see cref="LstmCellCompiler"/>.</param>
public delegate LstmNetwork<float> LstmModelImporter(string path, Func<LstmCellSpec, DynamicLstmCell> cells);

/// <summary>
/// A model loaded without a cell declaration: a PyTorch <c>nn.LSTM</c> state dict in safetensors (optionally with an
/// <c>nn.Embedding</c> in front and an <c>nn.Linear</c> head), or any format registered with
/// <see cref="RegisterFormat"/>. Layers, directions and sizes come from the tensor names and shapes; the cells are
/// compiled on demand (<see cref="LstmCellCompiler"/>). <see cref="Network"/> is an ordinary
/// <see cref="LstmNetwork{T}"/>: run it, stream it (<see cref="LstmNetwork{T}.CreateState"/>) or train it further.
/// </summary>
public sealed class LstmModel
{
    private static readonly ConcurrentDictionary<string, LstmModelImporter> Formats = new(
        new[] { KeyValuePair.Create(OnnxFormat.Extension, (LstmModelImporter)OnnxFormat.Import) }, StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyDictionary<string, string> _fileNames;

    private LstmModel(string source, string format, LstmNetwork<float> network, IReadOnlyList<DynamicLstmCell> cells,
        IReadOnlyDictionary<string, string> fileNames)
    {
        Source = source;
        Format = format;
        Network = network;
        Cells = cells;
        _fileNames = fileNames;
    }

    /// <summary>The file the model came from.</summary>
    public string Source { get; }

    /// <summary><c>safetensors</c>, or the extension of a registered format (e.g. <c>onnx</c>).</summary>
    public string Format { get; }

    /// <summary>The network: embedding or dense input, the LSTM layers, the head if there is one.</summary>
    public LstmNetwork<float> Network { get; }

    /// <summary>The run-time cells the layers use, bottom first (one per layer; both directions share it).</summary>
    public IReadOnlyList<DynamicLstmCell> Cells { get; }

    /// <summary>Features per step the model takes (for an embedding: its dimension; feed token ids then).</summary>
    public int InputSize => Network.InputSize;

    /// <summary>Features per step the model gives (the head's outputs, or directions × H of the last layer).</summary>
    public int OutputSize => Network.OutputSize;

    /// <summary>
    /// Runs the model (inference) over dense inputs <paramref name="x"/> [T×B×InputSize], time-major, writing
    /// <paramref name="output"/> [T×B×OutputSize].
    /// </summary>
    public void Forward(ReadOnlySpan<float> x, int steps, int batch, Span<float> output)
        => Network.Forward(x, new SequenceShape(steps, batch), output, training: false);

    /// <summary>
    /// Writes the (possibly fine-tuned) weights back to safetensors under the names they were loaded with, so PyTorch's
    /// <c>load_state_dict</c> takes the file. Only for models loaded from safetensors.
    /// </summary>
    public void SaveSafeTensors(string path)
    {
        if (_fileNames.Count == 0) throw new InvalidOperationException($"This model was loaded from {Format}; only models loaded from safetensors keep their tensor names.");
        var writer = new SafeTensorsWriter();
        ModelWeights.Add(writer, Network.Parameters.Select(p => p.Renamed(_fileNames[p.Name])).ToList(), "");
        writer.Save(path);
    }

    /// <summary>
    /// Routes files ending in <paramref name="extension"/> (e.g. <c>.onnx</c>) to <paramref name="importer"/>. A program
    /// that references an importer package registers it once at start-up, e.g.
    /// <c>LstmModel.RegisterFormat(".onnx", (path, cells) =&gt; …)</c>.
    /// </summary>
    public static void RegisterFormat(string extension, LstmModelImporter importer)
    {
        ArgumentException.ThrowIfNullOrEmpty(extension);
        ArgumentNullException.ThrowIfNull(importer);
        if (!extension.StartsWith('.')) extension = "." + extension;
        Formats[extension] = importer;
    }

    /// <summary>
    /// Loads <paramref name="path"/>: a safetensors state dict, or a registered format by its extension. All-or-nothing:
    /// a file that cannot be read or understood throws (for safetensors a <see cref="SafeTensorsException"/> naming
    /// every problem) and nothing is returned half-built.
    /// </summary>
    public static LstmModel Load(string path, LstmModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new LstmModelOptions();
        var compiler = options.Compiler ?? LstmCellCompiler.Shared;
        var extension = Path.GetExtension(path);
        if (!string.Equals(extension, ".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            if (Formats.TryGetValue(extension, out var importer)) return Import(path, extension, importer, compiler);
            var known = string.Join(", ", new[] { ".safetensors" }.Concat(Formats.Keys.Order(StringComparer.Ordinal)));
            throw new NotSupportedException($"'{path}': no loader for '{extension}' files; LstmModel reads {known}"
                + (string.Equals(extension, ".onnx", StringComparison.OrdinalIgnoreCase) ? " (register the ONNX importer with LstmModel.RegisterFormat)" : "") + ".");
        }
        return LoadSafeTensors(path, options, compiler);
    }

    private static LstmModel Import(string path, string extension, LstmModelImporter importer, LstmCellCompiler compiler)
    {
        var cells = new List<DynamicLstmCell>();
        var network = importer(path, spec =>
        {
            var cell = compiler.GetCell(spec);
            cells.Add(cell);
            return cell;
        });
        return new LstmModel(path, extension.TrimStart('.').ToLowerInvariant(), network, cells, new Dictionary<string, string>());
    }

    private static LstmModel LoadSafeTensors(string path, LstmModelOptions options, LstmCellCompiler compiler)
    {
        var file = SafeTensorsFile.Read(path);
        var layout = StateDictLayout.Infer(file, options.HeadName);
        var builder = new LstmNetworkBuilder<float>();
        if (layout.EmbeddingName is not null) builder.Embedding(layout.EmbeddingVocabulary, layout.Layers[0].InputSize);
        else builder.Input(layout.Layers[0].InputSize);
        var cells = new List<DynamicLstmCell>();
        for (var k = 0; k < layout.Layers.Count; k++)
        {
            var layer = layout.Layers[k];
            var cell = compiler.GetCell(new LstmCellSpec(layer.InputSize, layer.HiddenSize, Variant(file, options.Variant, layer, k)));
            cells.Add(cell);
            builder.Lstm(cell, bidirectional: layout.Directions == 2);
        }
        if (layout.HeadName is not null) builder.Linear(layout.HeadOutputs, layout.HeadBias);
        var network = builder.Build(seed: 0, NetworkInitialization.Zeros);

        // Our names (lstm.…, head.…, embedding.…) → the file's (e.g. rnn.…, fc.…, or bare nn.LSTM names).
        var names = network.Parameters.ToDictionary(p => p.Name, p => FileName(p.Name, layout), StringComparer.Ordinal);
        ModelWeights.Load(file, network.Parameters.Select(p => p.Renamed(names[p.Name])).ToList(),
            new WeightLoadOptions { AllowPrecisionConversion = true, AllowExtraTensors = options.AllowExtraTensors });
        return new LstmModel(path, "safetensors", network, cells, names);
    }

    private static string FileName(string name, StateDictLayout layout)
    {
        if (name.StartsWith(LstmNetwork<float>.LstmPrefix, StringComparison.Ordinal)) return layout.LstmPrefix + name[LstmNetwork<float>.LstmPrefix.Length..];
        if (name.StartsWith(LstmNetwork<float>.HeadPrefix, StringComparison.Ordinal)) return layout.HeadName + "." + name[LstmNetwork<float>.HeadPrefix.Length..];
        if (name.StartsWith(LstmNetwork<float>.EmbeddingPrefix, StringComparison.Ordinal)) return layout.EmbeddingName + "." + name[LstmNetwork<float>.EmbeddingPrefix.Length..];
        return name;
    }

    private static LstmCellVariant Variant(SafeTensorsFile file, LstmCellVariant? chosen, StateDictLayer layer, int k)
    {
        if (chosen is null) return LstmCellVariant.Standard with { Peephole = layer.Peephole, LayerNorm = layer.LayerNorm };
        if (chosen.Peephole != layer.Peephole || chosen.LayerNorm != layer.LayerNorm)
            throw new SafeTensorsException(file.Source, new[]
            {
                $"layer {k}: LstmModelOptions.Variant is {chosen}, but the file {(layer.Peephole ? "has" : "has no")} peephole tensors (w_ci_l{k}) and {(layer.LayerNorm ? "has" : "has no")} layer-norm tensors (ln_ih_weight_l{k})",
            });
        return chosen;
    }
}
