using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Cli.Models;
using LstmGen.Layers;
using LstmGen.Training;
using Spectre.Console;

namespace LstmGen.Cli.Commands;

/// <summary>Generates text from a text model: greedy (temperature 0), or multinomial with temperature and optional top-k.</summary>
internal static class SampleCommand
{
    public static int Run(IAnsiConsole console, string modelPath, string prompt, int length, double temperature, int topK, int seed)
    {
        if (length < 1 || length > 100_000) throw new CliException($"--length {length} is out of range: use 1 to 100000");
        if (!(temperature >= 0 && double.IsFinite(temperature))) throw new CliException($"--temperature {temperature} must be ≥ 0 (0 = greedy)");
        if (topK < 0) throw new CliException($"--top-k {topK} must be ≥ 0 (0 = all tokens)");
        var model = ModelFile.Load(modelPath);
        var vocabulary = model.TextVocabulary("sample");
        var text = Generate(model.Network, vocabulary, prompt, length, temperature, topK, seed);
        console.WriteLine(prompt + text);
        return 0;
    }

    public static string Generate(LstmNetwork<float> network, Vocabulary vocabulary, string prompt, int length, double temperature, int topK, int seed)
    {
        var promptTokens = Vocabulary.Split(prompt, vocabulary.Mode);
        if (promptTokens.Count == 0) throw new CliException("--prompt is empty: give at least one " + (vocabulary.Mode == "words" ? "word" : "character"));
        var ids = vocabulary.Encode(promptTokens);
        var v = vocabulary.Count;
        var state = network.CreateState(1);
        var logits = new float[ids.Length * v];
        network.Forward(ids, new SequenceShape(ids.Length, 1), logits, training: false, state);
        var last = logits.AsSpan((ids.Length - 1) * v, v).ToArray();
        var random = new DeterministicRandom(seed);
        var output = new List<int>();
        var one = new float[v];
        for (var n = 0; n < length; n++)
        {
            var next = Choose(last, temperature, topK, random);
            output.Add(next);
            network.Forward(new[] { next }, new SequenceShape(1, 1), one, training: false, state);
            last = one.ToArray();
        }
        var generated = vocabulary.Decode(output);
        return vocabulary.Mode == "words" ? " " + generated : generated;
    }

    private static int Choose(float[] logits, double temperature, int topK, DeterministicRandom random)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        if (temperature == 0) return best;
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ToArray();
        if (topK > 0 && topK < order.Length) order = order[..topK];
        var weights = order.Select(i => Math.Exp((logits[i] - logits[best]) / temperature)).ToArray();
        var u = random.NextDouble() * weights.Sum();
        for (var k = 0; k < order.Length; k++)
        {
            u -= weights[k];
            if (u <= 0) return order[k];
        }
        return order[^1];
    }
}
