using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Dynamic;
using LstmGen.Layers;
using LstmGen.Testing;

namespace LstmGen.Cli.Models;

/// <summary>The cells this program declares, by variant and hidden size, and the gradient checks over all of them.</summary>
internal static class CellCatalog
{
    /// <summary>Features every task feeds layer 0 per step.</summary>
    public const int InputFeatures = 16;

    /// <summary>The hidden sizes with cells declared at build time (each variant has a 16×H and an H×H cell); other sizes are compiled at run time.</summary>
    public static readonly int[] HiddenSizes = { 32, 64 };

    /// <summary>The variants with cells declared at build time.</summary>
    public static readonly string[] Variants = { "standard", "peephole", "layernorm", "forgetbias" };

    /// <summary>The largest number of LSTM layers <c>train</c> builds.</summary>
    public const int MaxLayers = 8;

    /// <summary>
    /// Adds <paramref name="layers"/> LSTM layers of the cell choice and hidden size to the builder: the cells declared
    /// in Cells.cs where one fits (D, H and variant), a cell compiled at run time (LstmGen.Dynamic) everywhere else.
    /// </summary>
    public static LstmNetworkBuilder<float> AddLayers(LstmNetworkBuilder<float> builder, string cell, int input, int hidden, int layers, bool bidirectional)
    {
        var choice = CellChoice.Parse(cell);
        Validate(hidden, layers);
        for (var l = 0; l < layers; l++)
        {
            var d = l == 0 ? input : (bidirectional ? 2 : 1) * hidden;
            builder = (choice.Name, d, hidden) switch
            {
                ("standard", 16, 32) => builder.Lstm<Std16x32>(bidirectional),
                ("standard", 32, 32) => builder.Lstm<Std32x32>(bidirectional),
                ("standard", 16, 64) => builder.Lstm<Std16x64>(bidirectional),
                ("standard", 64, 64) => builder.Lstm<Std64x64>(bidirectional),
                ("peephole", 16, 32) => builder.Lstm<Peep16x32>(bidirectional),
                ("peephole", 32, 32) => builder.Lstm<Peep32x32>(bidirectional),
                ("peephole", 16, 64) => builder.Lstm<Peep16x64>(bidirectional),
                ("peephole", 64, 64) => builder.Lstm<Peep64x64>(bidirectional),
                ("layernorm", 16, 32) => builder.Lstm<Ln16x32>(bidirectional),
                ("layernorm", 32, 32) => builder.Lstm<Ln32x32>(bidirectional),
                ("layernorm", 16, 64) => builder.Lstm<Ln16x64>(bidirectional),
                ("layernorm", 64, 64) => builder.Lstm<Ln64x64>(bidirectional),
                ("forgetbias", 16, 32) => builder.Lstm<Fb16x32>(bidirectional),
                ("forgetbias", 32, 32) => builder.Lstm<Fb32x32>(bidirectional),
                ("forgetbias", 16, 64) => builder.Lstm<Fb16x64>(bidirectional),
                ("forgetbias", 64, 64) => builder.Lstm<Fb64x64>(bidirectional),
                _ => builder.Lstm(RunTimeCell(new LstmCellSpec(d, hidden, choice.Variant)), bidirectional),
            };
        }
        return builder;
    }

    /// <summary>Throws a <see cref="CliException"/> naming the first impossible size.</summary>
    public static void Validate(int hidden, int layers)
    {
        if (hidden < 1 || hidden > LstmCellAttribute.MaxSize)
            throw new CliException($"--hidden {hidden} is out of range: use 1 to {LstmCellAttribute.MaxSize} (sizes other than {string.Join(" and ", HiddenSizes)} are compiled on first use)");
        if (layers < 1 || layers > MaxLayers)
            throw new CliException($"--layers {layers} is out of range: use 1 to {MaxLayers}");
    }

    /// <summary>A cell compiled at run time; a bad option (e.g. clip=-1) becomes a <see cref="CliException"/> with the generator's diagnostic.</summary>
    private static DynamicLstmCell RunTimeCell(LstmCellSpec spec)
    {
        try
        {
            return LstmCellCompiler.Shared.GetCell(spec);
        }
        catch (LstmCellCompilationException e)
        {
            throw new CliException($"cell {spec} cannot be built: {e.DiagnosticId}: {e.DiagnosticMessage}");
        }
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
