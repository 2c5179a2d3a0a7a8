using System;
using System.Globalization;
using System.Linq;

namespace LstmGen.Cli.Models;

/// <summary>
/// The <c>--cell</c> value: variant options joined by '+', e.g. <c>standard</c>, <c>peephole</c>,
/// <c>peephole+layernorm+cifg</c>, <c>forgetbias=0.5+clip=3</c>. Saved as given (normalised) in the model's metadata.
/// </summary>
internal sealed record CellChoice(string Name, LstmCellVariant Variant)
{
    public const string Words = "standard, peephole, layernorm, layernorm-pergate, forgetbias[=φ] (default 1), cifg, clip=κ";

    public static CellChoice Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new CliException($"--cell is empty: combine {Words} with '+'");
        var variant = LstmCellVariant.Standard;
        var parts = text.Trim().ToLowerInvariant().Split('+', StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            var (word, value) = part.Split('=', 2) is [var w, var v] ? (w, v) : (part, null);
            double Number(double? fallback)
            {
                if (value is null) return fallback ?? throw new CliException($"--cell '{text}': '{word}' needs a value, e.g. {word}=1.5");
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n
                    : throw new CliException($"--cell '{text}': '{value}' is not a number (in '{part}')");
            }
            variant = word switch
            {
                "standard" when value is null => variant,
                "peephole" when value is null => variant with { Peephole = true },
                "layernorm" when value is null => variant with { LayerNorm = true },
                "layernorm-pergate" when value is null => variant with { LayerNorm = true, LayerNormPerGate = true },
                "forgetbias" => variant with { ForgetBias = Number(1.0) },
                "cifg" when value is null => variant with { CoupledInputForget = true },
                "clip" => variant with { Clip = Number(null) },
                _ => throw new CliException($"unknown cell option '{part}' in --cell '{text}': combine {Words} with '+'"),
            };
        }
        var name = string.Join("+", parts.Where(p => p != "standard"));
        return new CellChoice(name.Length == 0 ? "standard" : name, variant);
    }
}
