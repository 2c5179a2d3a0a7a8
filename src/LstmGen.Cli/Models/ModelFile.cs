using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LstmGen.IO;
using LstmGen.Layers;

namespace LstmGen.Cli.Models;

/// <summary>
/// A model as <c>train</c> saves it: an LstmGen checkpoint (<c>model.*</c> weights, optimiser state) whose metadata
/// says how to rebuild the network (<c>user.task</c>, <c>user.cell</c>, <c>user.hidden</c>, <c>user.layers</c>,
/// <c>user.outputs</c>, and for text <c>user.mode</c> and <c>user.vocabulary</c>).
/// </summary>
internal sealed record ModelFile(string Path, string Task, string Cell, int Hidden, int Layers, int Outputs,
    IReadOnlyDictionary<string, string> Metadata, LstmNetwork<float> Network)
{
    /// <summary>Builds the network a task and its options describe.</summary>
    public static LstmNetwork<float> BuildNetwork(Func<LstmNetworkBuilder<float>, LstmNetworkBuilder<float>> input, string cell, int inputSize, int hidden, int layers, bool bidirectional, int outputs, int seed,
        NetworkInitialization initialization = NetworkInitialization.Default)
    {
        var builder = input(new LstmNetworkBuilder<float>());
        return CellCatalog.AddLayers(builder, cell, inputSize, hidden, layers, bidirectional).Linear(outputs).Build(seed, initialization);
    }

    /// <summary>Reads a model file and rebuilds its network, or throws a <see cref="CliException"/> naming the problem.</summary>
    public static ModelFile Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException("no model given: use --model PATH");
        if (!File.Exists(path)) throw new CliException($"model file '{path}' not found");
        SafeTensorsFile file;
        try
        {
            file = SafeTensorsFile.Read(path);
        }
        catch (SafeTensorsException e)
        {
            throw new CliException($"'{path}' is not a safetensors model file: {FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read model file '{path}': {e.Message}");
        }
        string Meta(string key) => file.Metadata.TryGetValue("user." + key, out var v) ? v
            : throw new CliException($"'{path}' is not an lstmgen model: metadata 'user.{key}' is missing (train one with 'lstmgen train')");
        int Int(string key) => int.TryParse(Meta(key), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw new CliException($"'{path}': metadata 'user.{key}' is '{Meta(key)}', expected a positive integer");
        var task = Meta("task");
        var cell = Meta("cell");
        int hidden = Int("hidden"), layers = Int("layers"), outputs = Int("outputs");
        // Older models have neither: 16 inputs, one direction.
        var inputSize = file.Metadata.ContainsKey("user.input") ? Int("input") : CellCatalog.InputFeatures;
        var bidirectional = file.Metadata.TryGetValue("user.bidirectional", out var both) && both == "true";
        try
        {
            CellChoice.Parse(cell);
            CellCatalog.Validate(hidden, layers);
            if (inputSize < 1 || inputSize > LstmCellAttribute.MaxSize) throw new CliException($"input size {inputSize} is out of range");
        }
        catch (CliException e)
        {
            throw new CliException($"'{path}' was trained with an architecture this program does not build: {e.Message}");
        }
        var user = file.Metadata.Where(p => p.Key.StartsWith("user.", StringComparison.Ordinal)).ToDictionary(p => p.Key[5..], p => p.Value);
        Func<LstmNetworkBuilder<float>, LstmNetworkBuilder<float>> input = task switch
        {
            "text" => b => b.Embedding(outputs, inputSize),
            "copy" => b => b.Embedding(outputs, inputSize),
            "forecast" or "adding" => b => b.Input(CellCatalog.InputFeatures),
            _ => throw new CliException($"'{path}': unknown task '{task}' in its metadata"),
        };
        var network = BuildNetwork(input, cell, inputSize, hidden, layers, bidirectional, outputs, seed: 0, NetworkInitialization.Zeros);
        try
        {
            ModelWeights.Load(file, network.Parameters, new WeightLoadOptions { Prefix = "model.", AllowExtraTensors = true });
        }
        catch (SafeTensorsException e)
        {
            throw new CliException($"'{path}' does not fit a {task} network ({cell}, hidden {hidden}, {layers} layer(s)): {FirstProblem(e)}");
        }
        return new ModelFile(path, task, cell, hidden, layers, outputs, user, network);
    }

    /// <summary>The vocabulary of a text model, or an error saying the model is not one.</summary>
    public Vocabulary TextVocabulary(string command)
    {
        if (Task != "text") throw new CliException($"'{Path}' is a {Task} model; '{command}' needs a text model (lstmgen train text --file F)");
        if (!Metadata.TryGetValue("vocabulary", out var json) || !Metadata.TryGetValue("mode", out var mode))
            throw new CliException($"'{Path}' has no vocabulary in its metadata");
        var vocabulary = Vocabulary.FromJson(mode, json);
        if (vocabulary.Count != Outputs) throw new CliException($"'{Path}': the vocabulary has {vocabulary.Count} tokens but the head has {Outputs} outputs");
        return vocabulary;
    }

    private static string FirstProblem(SafeTensorsException e)
    {
        var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var detail = lines.Length > 1 ? lines[1].TrimStart('-', ' ', '•') : lines[0];
        return lines.Length > 2 ? $"{detail} (and {lines.Length - 2} more)" : detail;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
