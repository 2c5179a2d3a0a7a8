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
/// per token, one row per unit) as an SVG heatmap; prints the tokens after which the forget gate is lowest on average.
/// </summary>
internal static class InspectCommand
{
    public const int MaxTokens = 200;

    /// <summary>Per-step values of layer 0: [H × T] each.</summary>
    public sealed record Trace(double[,] I, double[,] F, double[,] O, double[,] C, double[,] H);

    public static int Run(IAnsiConsole console, string modelPath, string text, string output)
    {
        var model = ModelFile.Load(modelPath);
        var vocabulary = model.TextVocabulary("inspect");
        var tokens = Vocabulary.Split(text, vocabulary.Mode);
        if (tokens.Count == 0) throw new CliException("--text is empty: give the text to inspect");
        if (tokens.Count > MaxTokens) throw new CliException($"--text has {tokens.Count} tokens; inspect shows at most {MaxTokens}");
        var ids = vocabulary.Encode(tokens);
        var trace = Run(model.Network, model.Cell, ids);
        var labels = tokens.Select(t => t == " " ? "␣" : t == "\n" ? "⏎" : t.Length > 2 ? t[..2] : t).ToList();
        var panels = new List<(string, double[,], double, double)>
        {
            ("input gate i", trace.I, 0, 1), ("forget gate f", trace.F, 0, 1), ("output gate o", trace.O, 0, 1), ("tanh(cell c)", Map(trace.C, Math.Tanh), -1, 1),
        };
        Svg.Heatmap(output, $"{Path.GetFileName(modelPath)}: layer 0 ({model.Cell}, hidden {model.Hidden}) gates and cell state per {(vocabulary.Mode == "words" ? "word" : "character")}", panels, labels);
        var hidden = trace.F.GetLength(0);
        var meanForget = Enumerable.Range(0, ids.Length).Select(t => Enumerable.Range(0, hidden).Average(u => trace.F[u, t])).ToArray();
        var lowest = Enumerable.Range(0, ids.Length).OrderBy(t => meanForget[t]).Take(5)
            .Select(t => $"'{Vocabulary.Printable(tokens[t])}' (step {t}, mean f {meanForget[t]:F2})");
        console.MarkupLine($"most forgetting at: {Markup.Escape(string.Join(", ", lowest))}");
        console.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(output))}");
        return 0;
    }

    private static double[,] Map(double[,] a, Func<double, double> f)
    {
        var r = new double[a.GetLength(0), a.GetLength(1)];
        for (var i = 0; i < a.GetLength(0); i++) for (var j = 0; j < a.GetLength(1); j++) r[i, j] = f(a[i, j]);
        return r;
    }

    /// <summary>Recomputes layer 0 step by step in double from its parameters (every variant this program declares).</summary>
    public static Trace Run(LstmNetwork<float> network, string cell, int[] ids)
    {
        var embedding = network.Embedding ?? throw new CliException("inspect needs a model with token inputs");
        var layer = network.Lstm.Layers[0];
        var p = layer.GetParameters(0).ToDictionary(t => t.Name[..t.Name.LastIndexOf("_l0", StringComparison.Ordinal)], t => t.Value.ToArray());
        int h = layer.HiddenSize, d = layer.InputSize, steps = ids.Length;
        double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        var trace = new Trace(new double[h, steps], new double[h, steps], new double[h, steps], new double[h, steps], new double[h, steps]);
        var hPrev = new double[h];
        var cPrev = new double[h];
        var forgetBias = cell == "forgetbias" ? 1.0 : 0.0;
        var e = embedding.Weight.ToArray();
        for (var t = 0; t < steps; t++)
        {
            var zx = new double[4 * h];
            var zh = new double[4 * h];
            for (var r = 0; r < 4 * h; r++)
            {
                double sx = 0, sh = 0;
                for (var k = 0; k < d; k++) sx += p["weight_ih"][r * d + k] * e[ids[t] * d + k];
                for (var k = 0; k < h; k++) sh += p["weight_hh"][r * h + k] * hPrev[k];
                zx[r] = sx;
                zh[r] = sh;
            }
            if (cell == "layernorm")
            {
                zx = LayerNorm(zx, p["ln_ih_weight"], p["ln_ih_bias"]);
                zh = LayerNorm(zh, p["ln_hh_weight"], p["ln_hh_bias"]);
            }
            var a = new double[4 * h];
            for (var r = 0; r < 4 * h; r++) a[r] = zx[r] + zh[r] + p["bias_ih"][r] + p["bias_hh"][r];
            var c = new double[h];
            for (var u = 0; u < h; u++)
            {
                double ai = a[u], af = a[h + u] + forgetBias, ag = a[2 * h + u];
                if (cell == "peephole") { ai += p["w_ci"][u] * cPrev[u]; af += p["w_cf"][u] * cPrev[u]; }
                double i = Sigmoid(ai), f = Sigmoid(af), g = Math.Tanh(ag);
                c[u] = f * cPrev[u] + i * g;
                trace.I[u, t] = i;
                trace.F[u, t] = f;
                trace.C[u, t] = c[u];
            }
            var cHat = cell == "layernorm" ? LayerNorm(c, p["ln_c_weight"], p["ln_c_bias"]) : c;
            for (var u = 0; u < h; u++)
            {
                var ao = a[3 * h + u] + (cell == "peephole" ? p["w_co"][u] * c[u] : 0);
                var o = Sigmoid(ao);
                trace.O[u, t] = o;
                hPrev[u] = o * Math.Tanh(cHat[u]);
                trace.H[u, t] = hPrev[u];
            }
            cPrev = c;
        }
        return trace;
    }

    private static double[] LayerNorm(double[] z, float[] weight, float[] bias)
    {
        const double epsilon = 1e-5;
        var mean = z.Average();
        var variance = z.Select(v => (v - mean) * (v - mean)).Average();
        var scale = 1 / Math.Sqrt(variance + epsilon);
        return z.Select((v, k) => (v - mean) * scale * weight[k] + bias[k]).ToArray();
    }
}
