using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Layers;
using LstmGen.Testing;

namespace LstmGen.Cli.Models;

/// <summary>The cells this program declares, by variant and hidden size, and the gradient checks over all of them.</summary>
internal static class CellCatalog
{
    /// <summary>Features every task feeds layer 0 per step.</summary>
    public const int InputFeatures = 16;

    /// <summary>The hidden sizes built in (each variant has a 16×H and an H×H cell).</summary>
    public static readonly int[] HiddenSizes = { 32, 64 };

    /// <summary>The variant names accepted by <c>--cell</c>.</summary>
    public static readonly string[] Variants = { "standard", "peephole", "layernorm", "forgetbias" };

    /// <summary>Adds <paramref name="layers"/> LSTM layers of the variant and hidden size to the builder.</summary>
    public static LstmNetworkBuilder<float> AddLayers(LstmNetworkBuilder<float> builder, string variant, int hidden, int layers)
    {
        Validate(variant, hidden, layers);
        for (var l = 0; l < layers; l++)
        {
            var first = l == 0;
            builder = (variant, hidden, first) switch
            {
                ("standard", 32, true) => builder.Lstm<Std16x32>(),
                ("standard", 32, false) => builder.Lstm<Std32x32>(),
                ("standard", 64, true) => builder.Lstm<Std16x64>(),
                ("standard", 64, false) => builder.Lstm<Std64x64>(),
                ("peephole", 32, true) => builder.Lstm<Peep16x32>(),
                ("peephole", 32, false) => builder.Lstm<Peep32x32>(),
                ("peephole", 64, true) => builder.Lstm<Peep16x64>(),
                ("peephole", 64, false) => builder.Lstm<Peep64x64>(),
                ("layernorm", 32, true) => builder.Lstm<Ln16x32>(),
                ("layernorm", 32, false) => builder.Lstm<Ln32x32>(),
                ("layernorm", 64, true) => builder.Lstm<Ln16x64>(),
                ("layernorm", 64, false) => builder.Lstm<Ln64x64>(),
                ("forgetbias", 32, true) => builder.Lstm<Fb16x32>(),
                ("forgetbias", 32, false) => builder.Lstm<Fb32x32>(),
                ("forgetbias", 64, true) => builder.Lstm<Fb16x64>(),
                ("forgetbias", 64, false) => builder.Lstm<Fb64x64>(),
                _ => throw new CliException($"no cell for variant '{variant}' with hidden size {hidden}"),
            };
        }
        return builder;
    }

    /// <summary>Throws a <see cref="CliException"/> naming the first impossible choice.</summary>
    public static void Validate(string variant, int hidden, int layers)
    {
        if (!Variants.Contains(variant))
            throw new CliException($"unknown cell variant '{variant}': choose one of {string.Join(", ", Variants)}");
        if (!HiddenSizes.Contains(hidden))
            throw new CliException($"hidden size {hidden} is not built in: choose one of {string.Join(", ", HiddenSizes)} (cells are generated at compile time; declare more in Cells.cs)");
        if (layers < 1 || layers > 4)
            throw new CliException($"--layers {layers} is out of range: use 1 to 4");
    }

    /// <summary>One gradient check: a name, the variant and how to run it.</summary>
    public sealed record CheckCase(string Cell, string Variant, Func<GradientCheckReport> Run);

    private static CheckCase Full<TCell>(string variant) where TCell : ILstmCell<TCell> =>
        new(typeof(TCell).Name, variant, () => GradientCheck.Run<TCell>(steps: 5, batch: 2, seed: 2024));

    private static CheckCase Sampled<TCell>(string variant) where TCell : ILstmCell<TCell> =>
        new(typeof(TCell).Name, variant, () => GradientCheck.Run<TCell>(steps: 3, batch: 2, seed: 2024, new GradientCheckOptions { SampleSize = 12 }));

    /// <summary>The 3×5 cells: every option, every element checked.</summary>
    public static IReadOnlyList<CheckCase> TinyChecks() => new[]
    {
        Full<TinyCell>("standard"),
        Full<TinyPeepholeCell>("peephole"),
        Full<TinyLayerNormCell>("layernorm"),
        Full<TinyLayerNormPerGateCell>("layernorm per gate"),
        Full<TinyForgetBiasCell>("forgetbias 1"),
        Full<TinyCifgCell>("cifg"),
        Full<TinyClipCell>("clip 1.5"),
        Full<TinyAllCell>("peephole+layernorm+forgetbias+clip"),
    };

    /// <summary>The training cells, 12 random elements per tensor.</summary>
    public static IReadOnlyList<CheckCase> TrainingChecks() => new[]
    {
        Sampled<Std16x32>("standard"), Sampled<Std32x32>("standard"), Sampled<Std16x64>("standard"), Sampled<Std64x64>("standard"),
        Sampled<Peep16x32>("peephole"), Sampled<Peep32x32>("peephole"), Sampled<Peep16x64>("peephole"), Sampled<Peep64x64>("peephole"),
        Sampled<Ln16x32>("layernorm"), Sampled<Ln32x32>("layernorm"), Sampled<Ln16x64>("layernorm"), Sampled<Ln64x64>("layernorm"),
        Sampled<Fb16x32>("forgetbias"), Sampled<Fb32x32>("forgetbias"), Sampled<Fb16x64>("forgetbias"), Sampled<Fb64x64>("forgetbias"),
    };
}
