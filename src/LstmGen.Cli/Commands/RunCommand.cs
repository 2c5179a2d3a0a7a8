using System;
using System.IO;
using System.Linq;
using LstmGen.Cli.Models;
using LstmGen.Dynamic;
using LstmGen.IO;
using LstmGen.Layers;

namespace LstmGen.Cli.Commands;

/// <summary>
/// <c>run MODEL --input FILE.csv</c>: runs a model over a series, one CSV row per time step (features per column; for
/// a model with an embedding, one column of token ids), and writes one row of outputs per step. Models: what
/// <c>train</c> saves, a PyTorch <c>nn.LSTM</c> state dict in safetensors (LstmModel.Load), or an ONNX model (LstmGen.Onnx,
/// which LstmModel.Load reads by default).
/// </summary>
internal static class RunCommand
{
    public static int Run(Action<string> status, TextWriter standardOutput, string modelPath, string inputPath, string? outputPath)
    {
        var (network, description) = Load(modelPath);
        var (_, rows) = CsvSeries.Read(inputPath);
        var steps = rows.Length;
        var output = new float[steps * network.OutputSize];
        var shape = new SequenceShape(steps, batch: 1);
        if (network.Embedding is { } embedding)
        {
            if (rows[0].Length != 1) throw new CliException($"'{inputPath}' has {rows[0].Length} columns; this model embeds token ids: give one column of ids 0 … {embedding.VocabularySize - 1}");
            var tokens = rows.Select((row, t) => row[0] == Math.Floor(row[0]) && row[0] >= 0 && row[0] < embedding.VocabularySize ? (int)row[0]
                : throw new CliException($"'{inputPath}' step {t + 1}: {row[0]} is not a token id 0 … {embedding.VocabularySize - 1}")).ToArray();
            network.Forward(tokens, shape, output, training: false);
        }
        else
        {
            if (rows[0].Length != network.InputSize) throw new CliException($"'{inputPath}' has {rows[0].Length} columns; the model takes {network.InputSize} features per step");
            network.Forward(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), shape, output, training: false);
        }
        if (outputPath is null)
        {
            CsvSeries.Write(standardOutput, output, network.OutputSize);
        }
        else
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
            if (directory is not null) Directory.CreateDirectory(directory);
            using (var writer = new StreamWriter(outputPath)) CsvSeries.Write(writer, output, network.OutputSize);
            status($"{description}: {steps} steps → {outputPath} ({network.OutputSize} columns)");
        }
        return 0;
    }

    /// <summary>A model <c>train</c> wrote (it has <c>user.task</c> metadata), else whatever LstmModel.Load reads.</summary>
    internal static (LstmNetwork<float> Network, string Description) Load(string path)
    {
        if (!File.Exists(path)) throw new CliException($"model file '{path}' not found");
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) && SafeTensorsFile.Read(path).Metadata.ContainsKey("user.task"))
        {
            var ours = ModelFile.Load(path);
            return (ours.Network, $"{ours.Task} model ({ours.Cell}, hidden {ours.Hidden}, {ours.Layers} layer(s))");
        }
        LstmModel model;
        try
        {
            model = LstmModel.Load(path);
        }
        catch (NotSupportedException e)
        {
            throw new CliException(e.Message);
        }
        catch (LstmCellCompilationException e)
        {
            throw new CliException($"'{path}': {e.Message}");
        }
        var layers = string.Join(", ", model.Cells.Select(c => c.Spec.ToString()));
        return (model.Network, $"{model.Format} model ({layers}{(model.Network.Lstm.Layers[0].IsBidirectional ? ", bidirectional" : "")}{(model.Network.Head is null ? "" : ", linear head")})");
    }
}
