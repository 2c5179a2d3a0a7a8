using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using LstmGen.IO;

namespace LstmGen.Dynamic;

/// <summary>One LSTM layer found in a state dict.</summary>
internal sealed record StateDictLayer(int InputSize, int HiddenSize, bool Peephole, bool LayerNorm);

/// <summary>
/// What a PyTorch state dict holds, read from its tensor names and shapes alone: the <c>nn.LSTM</c> (its prefix, e.g.
/// <c>lstm.</c>, <c>rnn.</c> or none; layers; directions; sizes), an optional <c>nn.Linear</c> head on its output and an
/// optional <c>nn.Embedding</c> in front. Anything it cannot make sense of is reported, all problems at once.
/// </summary>
internal sealed record StateDictLayout(string LstmPrefix, IReadOnlyList<StateDictLayer> Layers, int Directions,
    string? EmbeddingName, int EmbeddingVocabulary, string? HeadName, int HeadOutputs, bool HeadBias)
{
    private static readonly Regex InputWeight = new(@"^(?<prefix>(?:.*\.)?)weight_ih_l(?<layer>\d+)(?<reverse>_reverse)?$", RegexOptions.CultureInvariant);

    /// <summary>Head names tried in this order when several linear layers fit.</summary>
    private static readonly string[] PreferredHeads = { "head", "fc", "linear", "out", "output", "decoder", "classifier", "proj" };

    public static StateDictLayout Infer(SafeTensorsFile file, string? headName)
    {
        var problems = new List<string>();
        var byName = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var matches = file.Tensors.Select(t => InputWeight.Match(t.Name)).Where(m => m.Success).ToList();
        var prefixes = matches.Select(m => m.Groups["prefix"].Value).Distinct(StringComparer.Ordinal).ToList();
        if (prefixes.Count == 0)
            Fail(file, $"no nn.LSTM weights: no tensor is named weight_ih_l0 (or <module>.weight_ih_l0); tensors: {List(file.Tensors.Select(t => t.Name))}");
        if (prefixes.Count > 1)
            Fail(file, $"more than one nn.LSTM ({List(prefixes.Select(p => p.Length == 0 ? "(no prefix)" : p.TrimEnd('.')))}); LstmModel loads a model with one");
        var prefix = prefixes[0];
        var indices = matches.Select(m => int.Parse(m.Groups["layer"].Value, CultureInfo.InvariantCulture)).Distinct().OrderBy(i => i).ToList();
        var count = indices[^1] + 1;
        if (indices.Count != count) Fail(file, $"the LSTM layers are not numbered 0 … {count - 1}: found {List(indices.Select(i => $"{prefix}weight_ih_l{i}"))}");
        var directions = matches.Any(m => m.Groups["reverse"].Success) ? 2 : 1;
        if (byName.ContainsKey($"{prefix}weight_hr_l0"))
            Fail(file, $"'{prefix}weight_hr_l0' means nn.LSTM(proj_size > 0), which LstmGen does not support");
        if (!byName.ContainsKey($"{prefix}bias_ih_l0"))
            Fail(file, $"'{prefix}bias_ih_l0' is missing: nn.LSTM(bias=False) is not supported (every LstmGen cell has biases)");

        var layers = new List<StateDictLayer>();
        for (var k = 0; k < count; k++)
        {
            for (var d = 0; d < directions; d++)
            {
                var suffix = $"_l{k}{(d == 1 ? "_reverse" : "")}";
                foreach (var name in new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" })
                    if (!byName.ContainsKey(prefix + name + suffix)) problems.Add($"'{prefix}{name}{suffix}' is missing");
            }
            if (!byName.TryGetValue($"{prefix}weight_ih_l{k}", out var ih) || !byName.TryGetValue($"{prefix}weight_hh_l{k}", out var hh)) continue;
            if (ih.Shape.Length != 2 || ih.Shape[0] % 4 != 0 || ih.Shape[0] == 0)
            {
                problems.Add($"'{ih.Name}' has shape {ih.ShapeText}; nn.LSTM writes [4·H, D]");
                continue;
            }
            var hidden = ih.Shape[0] / 4;
            var input = ih.Shape[1];
            if (hh.Shape.Length != 2 || hh.Shape[0] != 4 * hidden || hh.Shape[1] != hidden)
                problems.Add($"'{hh.Name}' has shape {hh.ShapeText}; with H = {hidden} (from '{ih.Name}') it must be [{4 * hidden}, {hidden}]");
            if (hidden > LstmCellAttribute.MaxSize || input > LstmCellAttribute.MaxSize || input < 1)
                problems.Add($"layer {k} is {input}×{hidden} (from '{ih.Name}' {ih.ShapeText}); LstmGen cells take sizes 1 … {LstmCellAttribute.MaxSize}");
            if (k > 0 && layers.Count == k && input != directions * layers[k - 1].HiddenSize)
                problems.Add($"layer {k} takes {input} inputs ('{ih.Name}' {ih.ShapeText}), but layer {k - 1} gives {directions}×{layers[k - 1].HiddenSize}");
            layers.Add(new StateDictLayer((int)input, (int)hidden, byName.ContainsKey($"{prefix}w_ci_l{k}"), byName.ContainsKey($"{prefix}ln_ih_weight_l{k}")));
        }
        if (problems.Count > 0) throw new SafeTensorsException(file.Source, problems);

        var lstmOutput = directions * layers[^1].HiddenSize;
        // The tensors outside the LSTM, where the head and the embedding are looked for.
        var others = file.Tensors.Where(t => prefix.Length == 0 ? !IsLstmName(t.Name) : !t.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var (head, outputs, bias) = FindHead(file, others, headName, lstmOutput);
        var embedding = others.FirstOrDefault(t => t.Name.EndsWith(".weight", StringComparison.Ordinal) && t.Name.Contains("embed", StringComparison.OrdinalIgnoreCase)
            && t.Shape.Length == 2 && t.Shape[1] == layers[0].InputSize);
        return new StateDictLayout(prefix, layers, directions, embedding?.Name[..^".weight".Length], (int)(embedding?.Shape[0] ?? 0), head, outputs, bias);
    }

    private static bool IsLstmName(string name)
        => Regex.IsMatch(name, @"^(weight_ih|weight_hh|bias_ih|bias_hh|w_ci|w_cf|w_co|ln_ih_weight|ln_ih_bias|ln_hh_weight|ln_hh_bias|ln_c_weight|ln_c_bias)_l\d+(_reverse)?$", RegexOptions.CultureInvariant);

    /// <summary>A linear layer whose weight is [O, LSTM output]: the one named <paramref name="headName"/>, the only one, or the first preferred name.</summary>
    private static (string? Name, int Outputs, bool Bias) FindHead(SafeTensorsFile file, List<SafeTensorInfo> others, string? headName, int lstmOutput)
    {
        var candidates = others
            .Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal) && t.Shape.Length == 2 && t.Shape[1] == lstmOutput && !t.Name.Contains("embed", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(t => t.Name[..^".weight".Length], StringComparer.Ordinal);
        SafeTensorInfo? chosen = null;
        string? name = null;
        if (headName is not null)
        {
            if (!candidates.TryGetValue(headName, out chosen))
                Fail(file, $"no linear head '{headName}': '{headName}.weight' must be a [outputs, {lstmOutput}] tensor; candidates: {List(candidates.Keys)}");
            name = headName;
        }
        else if (candidates.Count == 1)
        {
            (name, chosen) = candidates.Single();
        }
        else if (candidates.Count > 1)
        {
            name = PreferredHeads.FirstOrDefault(candidates.ContainsKey)
                ?? Fail<string>(file, $"several linear layers fit the LSTM's output ({List(candidates.Keys)}); choose one with LstmModelOptions.HeadName");
            chosen = candidates[name];
        }
        if (chosen is null || name is null) return (null, 0, false);
        var bias = file.TryGetTensor(name + ".bias", out var b);
        if (bias && (b.Shape.Length != 1 || b.Shape[0] != chosen.Shape[0]))
            Fail(file, $"'{b.Name}' has shape {b.ShapeText}; the head '{chosen.Name}' {chosen.ShapeText} needs [{chosen.Shape[0]}]");
        if (chosen.Shape[0] < 1 || chosen.Shape[0] > int.MaxValue / 2) Fail(file, $"'{chosen.Name}' has shape {chosen.ShapeText}");
        return (name, (int)chosen.Shape[0], bias);
    }

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list.Take(12)) + (list.Count > 12 ? $", … ({list.Count} in all)" : "");
    }

    private static void Fail(SafeTensorsFile file, string problem) => throw new SafeTensorsException(file.Source, new[] { problem });

    private static TResult Fail<TResult>(SafeTensorsFile file, string problem) => throw new SafeTensorsException(file.Source, new[] { problem });
}
