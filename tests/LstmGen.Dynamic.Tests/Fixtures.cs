using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LstmGen.Dynamic.Tests;

/// <summary>The PyTorch fixtures under specs/ (made by specs/make_lstm_model_fixture.py and make_network_golden.py).</summary>
internal static class Fixtures
{
    public static string Specs { get; } = FindSpecs();

    public static string LstmModel(string name) => Path.Combine(Specs, "lstm-model", name);

    public static string GoldenNetwork(string name) => Path.Combine(Specs, "golden-networks", name);

    public static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    public static double RelativeError(float[] actual, float[] expected)
    {
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += Math.Pow(actual[i] - (double)expected[i], 2);
            norm += Math.Pow(expected[i], 2);
        }
        return Math.Sqrt(difference / norm);
    }

    private static string FindSpecs()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "specs", "make_lstm_model_fixture.py"))) return Path.Combine(folder.FullName, "specs");
        throw new DirectoryNotFoundException("specs/ not found above " + AppContext.BaseDirectory);
    }
}
