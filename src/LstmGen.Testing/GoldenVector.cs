using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Testing;

/// <summary>The variant of the cell a golden vector describes (keys of the <c>variant</c> object).</summary>
public sealed record GoldenVariant(bool Peephole, bool LayerNorm, double ForgetBias, bool Cifg, double? Clip, double LnEps, bool LnPerGate)
{
    /// <summary>Whether this is the plain PyTorch cell.</summary>
    public bool IsStandard => !Peephole && !LayerNorm && ForgetBias == 0 && !Cifg && Clip is null && !LnPerGate;

    /// <inheritdoc/>
    public override string ToString()
    {
        if (IsStandard) return "standard";
        var parts = new List<string>();
        if (Peephole) parts.Add("peephole");
        if (LayerNorm) parts.Add(LnPerGate ? $"layerNorm(perGate, eps={LnEps:R})" : $"layerNorm(eps={LnEps:R})");
        if (ForgetBias != 0) parts.Add($"forgetBias({ForgetBias:R})");
        if (Cifg) parts.Add("cifg");
        if (Clip is not null) parts.Add($"clip({Clip:R})");
        return string.Join("+", parts);
    }
}

/// <summary>
/// One golden vector in the project's JSON format (see specs/README.md): a cell, an input sequence, the expected
/// forward results and the expected gradients of <c>L = Σ output⊙R1 + Σ hT⊙R2 + Σ cT⊙R3</c>, all in float64.
/// </summary>
public sealed class GoldenVector
{
    private GoldenVector(string path, GoldenVariant variant, int inputSize, int hiddenSize, int steps, int batch,
        IReadOnlyDictionary<string, double[]> parameters, IReadOnlyDictionary<string, double[]> gradients, JsonElement root)
    {
        Path = path;
        Variant = variant;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Steps = steps;
        Batch = batch;
        Parameters = parameters;
        Gradients = gradients;
        X = Array(root, "x", steps * batch * inputSize, path);
        H0 = Array(root, "h0", batch * hiddenSize, path);
        C0 = Array(root, "c0", batch * hiddenSize, path);
        Output = Array(root, "output", steps * batch * hiddenSize, path);
        HT = Array(root, "hT", batch * hiddenSize, path);
        CT = Array(root, "cT", batch * hiddenSize, path);
        var upstream = Property(root, "upstream", path);
        UpstreamOutput = Array(upstream, "output", steps * batch * hiddenSize, path);
        UpstreamHT = Array(upstream, "hT", batch * hiddenSize, path);
        UpstreamCT = Array(upstream, "cT", batch * hiddenSize, path);
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The cell variant.</summary>
    public GoldenVariant Variant { get; }

    /// <summary>D.</summary>
    public int InputSize { get; }

    /// <summary>H.</summary>
    public int HiddenSize { get; }

    /// <summary>T.</summary>
    public int Steps { get; }

    /// <summary>B.</summary>
    public int Batch { get; }

    /// <summary>Parameter tensors by PyTorch name (weight_ih, weight_hh, bias_ih, bias_hh, variant parameters).</summary>
    public IReadOnlyDictionary<string, double[]> Parameters { get; }

    /// <summary>Expected gradients by tensor name (x, h0, c0 and every parameter).</summary>
    public IReadOnlyDictionary<string, double[]> Gradients { get; }

#pragma warning disable CS1591 // The arrays are named as in the JSON format.
    public double[] X { get; }
    public double[] H0 { get; }
    public double[] C0 { get; }
    public double[] Output { get; }
    public double[] HT { get; }
    public double[] CT { get; }
    public double[] UpstreamOutput { get; }
    public double[] UpstreamHT { get; }
    public double[] UpstreamCT { get; }
#pragma warning restore CS1591

    /// <summary>Reads one golden file; a malformed file throws <see cref="InvalidDataException"/> naming the file and the key.</summary>
    public static GoldenVector Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var variantElement = Property(root, "variant", path);
        var variant = new GoldenVariant(
            Bool(variantElement, "peephole"), Bool(variantElement, "layerNorm"),
            Number(variantElement, "forgetBias", 0), Bool(variantElement, "cifg"),
            variantElement.TryGetProperty("clip", out var clip) && clip.ValueKind == JsonValueKind.Number ? clip.GetDouble() : null,
            Number(variantElement, "lnEps", 1e-5), Bool(variantElement, "lnPerGate"));
        int d = Int(root, "inputSize", path), h = Int(root, "hiddenSize", path), t = Int(root, "steps", path), b = Int(root, "batch", path);
        var parameters = Dictionary(Property(root, "params", path), path);
        var gradients = Dictionary(Property(root, "grads", path), path);
        return new GoldenVector(path, variant, d, h, t, b, parameters, gradients, root.Clone());
    }

    /// <summary>Reads every <c>*.json</c> in a folder, sorted by file name.</summary>
    public static IReadOnlyList<GoldenVector> LoadAll(string folder)
        => Directory.GetFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(Load).ToList();

    /// <inheritdoc/>
    public override string ToString() => $"{System.IO.Path.GetFileName(Path)} ({Variant} {InputSize}x{HiddenSize}, T={Steps}, B={Batch})";

    private static JsonElement Property(JsonElement element, string name, string path)
        => element.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"{path}: missing key '{name}'.");

    private static int Int(JsonElement element, string name, string path)
    {
        var value = Property(element, name, path);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n > 0
            ? n : throw new InvalidDataException($"{path}: '{name}' must be a positive integer.");
    }

    private static bool Bool(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static double Number(JsonElement element, string name, double fallback)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : fallback;

    private static double[] Array(JsonElement element, string name, int expectedLength, string path)
    {
        var values = ReadArray(Property(element, name, path), name, path);
        return values.Length == expectedLength
            ? values : throw new InvalidDataException($"{path}: '{name}' has {values.Length} values, expected {expectedLength}.");
    }

    private static double[] ReadArray(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{path}: '{name}' must be an array of numbers.");
        var values = new double[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number) throw new InvalidDataException($"{path}: '{name}'[{i}] is not a number.");
            values[i++] = item.GetDouble();
        }
        return values;
    }

    private static Dictionary<string, double[]> Dictionary(JsonElement element, string path)
    {
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
            result[property.Name] = ReadArray(property.Value, property.Name, path);
        return result;
    }
}
