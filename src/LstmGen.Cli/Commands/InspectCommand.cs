using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LstmGen.Cli.Models;
using LstmGen.Cli.Plots;
using LstmGen.Layers;
using Spectre.Console;

namespace LstmGen.Cli.Commands;

/// <summary>
/// Runs a text model's first LSTM layer over a text and draws its gates i, f, o and its cell state per step (one column
/// per token, one row per unit) as a heatmap (PNG and SVG); prints the tokens after which the forget gate is lowest on
/// average. The values are the generated kernel's own (<see cref="LstmGateTrace{T}"/>), so every variant shows what it computes.
/// </summary>
internal static class InspectCommand
{
    public const int MaxTokens = 200;

    /// <summary>Per-step values of layer 0: [H × T] each (unit, step).</summary>
    public sealed record Trace(double[,] I, double[,] F, double[,] O, double[,] C, double[,] H);

    public static int Run(IAnsiConsole console, string modelPath, string text, string output)
    {
        var model = ModelFile.Load(modelPath);
        var vocabulary = model.TextVocabulary("inspect");
        var tokens = Vocabulary.Split(text, vocabulary.Mode);
        if (tokens.Count == 0) throw new CliException("--text is empty: give the text to inspect");
        if (tokens.Count > MaxTokens) throw new CliException($"--text has {tokens.Count} tokens; inspect shows at most {MaxTokens}");
        var ids = vocabulary.Encode(tokens);
        var trace = Run(model.Network, ids);
        var labels = tokens.Select(t => t == " " ? "␣" : t == "\n" ? "\\n" : t.Length > 2 ? t[..2] : t).ToList();
        var title = $"{Path.GetFileName(modelPath)}: layer 0 ({model.Cell}, hidden {model.Hidden}) gates and cell state per {(vocabulary.Mode == "words" ? "word" : "character")}";
        var files = GateHeatmap.Write(output, title, Panels(trace), labels);
        var hidden = trace.F.GetLength(0);
        var meanForget = Enumerable.Range(0, ids.Length).Select(t => Enumerable.Range(0, hidden).Average(u => trace.F[u, t])).ToArray();
        var lowest = Enumerable.Range(0, ids.Length).OrderBy(t => meanForget[t]).Take(5)
            .Select(t => $"'{Vocabulary.Printable(tokens[t])}' (step {t}, mean f {meanForget[t]:F2})");
        console.MarkupLine($"most forgetting at: {Markup.Escape(string.Join(", ", lowest))}");
        foreach (var file in files) console.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(file))}");
        return 0;
    }

    /// <summary>What the heatmap shows: i, f, o in [0, 1] and tanh(c) in [−1, 1].</summary>
    public static IReadOnlyList<HeatmapPanel> Panels(Trace trace) => new[]
    {
        new HeatmapPanel("input gate i", trace.I, 0, 1), new HeatmapPanel("forget gate f", trace.F, 0, 1),
        new HeatmapPanel("output gate o", trace.O, 0, 1), new HeatmapPanel("tanh(cell c)", Map(trace.C, Math.Tanh), -1, 1),
    };

    /// <summary>Layer 0's gates over the embedded <paramref name="ids"/>, as its kernel computes them.</summary>
    public static Trace Run(LstmNetwork<float> network, int[] ids)
    {
        var embedding = network.Embedding ?? throw new CliException("inspect needs a model with token inputs");
        var layer = network.Lstm.Layers[0];
        int steps = ids.Length, d = embedding.Dimension, h = layer.HiddenSize;
        var x = new float[steps * d];
        embedding.Forward(ids, x);
        var gates = layer.TraceGates(x, steps, batch: 1);
        var trace = new Trace(new double[h, steps], new double[h, steps], new double[h, steps], new double[h, steps], new double[h, steps]);
        for (var t = 0; t < steps; t++)
        {
            Column(gates.InputGate(t, 0), trace.I, t);
            Column(gates.ForgetGate(t, 0), trace.F, t);
            Column(gates.OutputGate(t, 0), trace.O, t);
            Column(gates.Cell(t, 0), trace.C, t);
            Column(gates.Hidden(t, 0), trace.H, t);
        }
        return trace;
    }

    private static void Column(ReadOnlySpan<float> values, double[,] into, int t)
    {
        for (var u = 0; u < values.Length; u++) into[u, t] = values[u];
    }

    private static double[,] Map(double[,] a, Func<double, double> f)
    {
        var r = new double[a.GetLength(0), a.GetLength(1)];
        for (var i = 0; i < a.GetLength(0); i++) for (var j = 0; j < a.GetLength(1); j++) r[i, j] = f(a[i, j]);
        return r;
    }
}
