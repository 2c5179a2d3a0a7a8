using System;
using System.Globalization;
using System.Text;

namespace LstmGen.Dynamic;

/// <summary>
/// What a run-time cell is: input size D, hidden size H and the variant options — everything a
/// <c>[LstmCell(D, H)]</c> declaration with its variant attributes says. Two equal specs give the same kernels.
/// </summary>
public sealed record LstmCellSpec
{
    /// <summary>A cell of input size <paramref name="inputSize"/> and hidden size <paramref name="hiddenSize"/>.</summary>
    /// <param name="inputSize">D, 1 … <see cref="LstmCellAttribute.MaxSize"/>.</param>
    /// <param name="hiddenSize">H, 1 … <see cref="LstmCellAttribute.MaxSize"/>.</param>
    /// <param name="variant">The options (default: the standard cell, equal to <c>torch.nn.LSTM</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside 1 … 4096.</exception>
    public LstmCellSpec(int inputSize, int hiddenSize, LstmCellVariant? variant = null)
    {
        CheckSize(inputSize, nameof(inputSize), "input size D");
        CheckSize(hiddenSize, nameof(hiddenSize), "hidden size H");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Variant = variant ?? LstmCellVariant.Standard;
    }

    /// <summary>Input size D.</summary>
    public int InputSize { get; }

    /// <summary>Hidden size H.</summary>
    public int HiddenSize { get; }

    /// <summary>The variant options.</summary>
    public LstmCellVariant Variant { get; }

    /// <summary>
    /// The declaration a user would write for this cell, e.g. <c>[LstmCell(3, 5)][Peephole] public partial struct Name;</c>
    /// (one line; doubles in round-trip form). Option values are not checked here: the generator does that and its
    /// diagnostics arrive as <see cref="LstmCellCompilationException"/>.
    /// </summary>
    public string Declaration(string typeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[LstmCell({InputSize}, {HiddenSize})]");
        var v = Variant;
        if (v.Peephole) text.Append("[Peephole]");
        if (v.LayerNorm)
            text.Append(CultureInfo.InvariantCulture, $"[LayerNorm(Epsilon = {Literal(v.LayerNormEpsilon)}, PerGateStatistics = {(v.LayerNormPerGate ? "true" : "false")})]");
        if (v.ForgetBias != 0) text.Append(CultureInfo.InvariantCulture, $"[ForgetBias({Literal(v.ForgetBias)})]");
        if (v.CoupledInputForget) text.Append("[CoupledInputForgetGate]");
        if (v.Clip is { } clip) text.Append(CultureInfo.InvariantCulture, $"[Clip({Literal(clip)})]");
        text.Append(CultureInfo.InvariantCulture, $" public partial struct {typeName};");
        return text.ToString();
    }

    /// <summary>e.g. <c>3x5 standard</c> or <c>7x100 peephole+cifg</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{InputSize}x{HiddenSize} {Variant}");

    /// <summary>A C# literal for <paramref name="value"/>; NaN and ∞ become expressions the generator rejects with its own diagnostic.</summary>
    private static string Literal(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static void CheckSize(int value, string parameter, string what)
    {
        if (value < 1 || value > LstmCellAttribute.MaxSize)
            throw new ArgumentOutOfRangeException(parameter, value,
                string.Create(CultureInfo.InvariantCulture, $"The {what} must be between 1 and {LstmCellAttribute.MaxSize}, not {value}."));
    }
}
