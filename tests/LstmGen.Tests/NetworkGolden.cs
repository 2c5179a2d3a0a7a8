using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace LstmGen.Tests;

/// <summary>One file of specs/golden-networks (format in its README.md).</summary>
internal sealed class NetworkGolden
{
    private NetworkGolden(string path, JsonElement root)
    {
        Path = path;
        InputSize = root.GetProperty("inputSize").GetInt32();
        HiddenSize = root.GetProperty("hiddenSize").GetInt32();
        NumLayers = root.GetProperty("numLayers").GetInt32();
        Bidirectional = root.GetProperty("bidirectional").GetBoolean();
        Steps = root.GetProperty("steps").GetInt32();
        Batch = root.GetProperty("batch").GetInt32();
        var lengths = root.GetProperty("lengths");
        Lengths = lengths.ValueKind == JsonValueKind.Null ? null : Ints(lengths);
        Params = Dictionary(root.GetProperty("params"));
        X = Doubles(root.GetProperty("x"));
        H0 = Doubles(root.GetProperty("h0"));
        C0 = Doubles(root.GetProperty("c0"));
        Output = Doubles(root.GetProperty("output"));
        HN = Doubles(root.GetProperty("h_n"));
        CN = Doubles(root.GetProperty("c_n"));
        var upstream = root.GetProperty("upstream");
        UpOutput = Doubles(upstream.GetProperty("output"));
        UpHN = Doubles(upstream.GetProperty("h_n"));
        UpCN = Doubles(upstream.GetProperty("c_n"));
        Grads = Dictionary(root.GetProperty("grads"));
    }

    public string Path { get; }
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool Bidirectional { get; }
    public int Steps { get; }
    public int Batch { get; }
    public int[]? Lengths { get; }
    public Dictionary<string, double[]> Params { get; }
    public double[] X { get; }
    public double[] H0 { get; }
    public double[] C0 { get; }
    public double[] Output { get; }
    public double[] HN { get; }
    public double[] CN { get; }
    public double[] UpOutput { get; }
    public double[] UpHN { get; }
    public double[] UpCN { get; }
    public Dictionary<string, double[]> Grads { get; }

    public static NetworkGolden Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new NetworkGolden(path, document.RootElement);
    }

    public static int[] Ints(JsonElement element)
    {
        var list = new List<int>();
        foreach (var item in element.EnumerateArray()) list.Add(item.GetInt32());
        return list.ToArray();
    }

    public static double[] Doubles(JsonElement element)
    {
        var list = new List<double>();
        foreach (var item in element.EnumerateArray()) list.Add(item.GetDouble());
        return list.ToArray();
    }

    private static Dictionary<string, double[]> Dictionary(JsonElement element)
    {
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject()) result[property.Name] = Doubles(property.Value);
        return result;
    }

    public override string ToString() => System.IO.Path.GetFileName(Path);
}
