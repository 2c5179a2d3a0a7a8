using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LstmGen.Layers;
using Microsoft.ML.OnnxRuntime;
using NUnit.Framework;

namespace LstmGen.Onnx.Tests;

/// <summary>Running models: LstmGen's forward, ONNX Runtime's, and the normwise comparison of the two.</summary>
internal static class Support
{
    /// <summary>Every cell the tests declare, for the importer.</summary>
    public static readonly IOnnxCellResolver Cells = OnnxCellResolver.FromCells(
        typeof(Cell3x4), typeof(Cell4x4), typeof(Cell8x4), typeof(Cell2x3), typeof(Peephole3x4), typeof(Peephole8x4),
        typeof(Clip3x4), typeof(Clip08x3x4), typeof(Cifg3x4), typeof(PeepholeCifgClip3x4));

    public static float[] RandomInput(int length, int seed, double scale = 1.5)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    public static float[] Forward(LstmNetwork<float> network, float[] x, SequenceShape shape)
    {
        var output = new float[shape.Rows * network.OutputSize];
        network.Forward(x, shape, output, training: false);
        return output;
    }

    public static byte[] Export(LstmNetwork<float> network, OnnxExportOptions? options = null)
    {
        using var stream = new MemoryStream();
        OnnxModel.Export(network, stream, options);
        return stream.ToArray();
    }

    /// <summary>ONNX Runtime 1.32 (CPU, one thread) on <paramref name="model"/>: input [d0, d1, D] → the first output, flat.</summary>
    public static float[] RunOrt(byte[] model, float[] x, long d0, long d1, long features, IReadOnlyList<int>? lengths = null)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(x, new[] { d0, d1, features });
        var names = new List<string> { session.InputNames[0] };
        var values = new List<OrtValue> { input };
        OrtValue? lengthValue = null;
        if (lengths is not null)
        {
            lengthValue = OrtValue.CreateTensorValueFromMemory(lengths.ToArray(), new long[] { lengths.Count });
            names.Add(session.InputNames[1]);
            values.Add(lengthValue);
        }
        try
        {
            using var results = session.Run(new RunOptions(), names, values, new[] { session.OutputNames[0] });
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            lengthValue?.Dispose();
        }
    }

    /// <summary>max |a − b| / max |b| over the rows <paramref name="shape"/> calls valid.</summary>
    public static double Normwise(float[] actual, float[] expected, SequenceShape shape, int width)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), "output length");
        double worst = 0, scale = 0;
        for (var row = 0; row < shape.Rows; row++)
        {
            if (!shape.IsValidRow(row)) continue;
            for (var j = 0; j < width; j++)
            {
                var i = row * width + j;
                worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
                scale = Math.Max(scale, Math.Abs(expected[i]));
            }
        }
        Assert.That(scale, Is.GreaterThan(1e-3), "the reference output is all (near) zero: the comparison would prove nothing");
        return worst / scale;
    }

    public static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", name);
}
