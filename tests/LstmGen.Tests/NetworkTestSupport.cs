using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using LstmGen.Layers;
using LstmGen.Training;

namespace LstmGen.Tests;

/// <summary>Helpers shared by the layer and network tests.</summary>
internal static class NetworkTestSupport
{
    public static string NetworkGoldenFolder => Path.Combine(Paths.RepositoryRoot, "specs", "golden-networks");

    /// <summary>The stack a golden file describes, built from the test cells (zero parameters).</summary>
    public static LstmStack<T> StackFor<T>(NetworkGolden golden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (golden.InputSize != 3 || golden.HiddenSize != 4) throw new NotSupportedException($"{golden}: declare cells for {golden.InputSize}x{golden.HiddenSize}.");
        var layers = new List<RecurrentLayer<T>>();
        for (var k = 0; k < golden.NumLayers; k++)
        {
            if (k == 0) layers.Add(new LstmLayer<Net3x4, T>(golden.Bidirectional));
            else if (golden.Bidirectional) layers.Add(new LstmLayer<Net8x4, T>(true));
            else layers.Add(new LstmLayer<Net4x4, T>(false));
        }
        return new LstmStack<T>(layers);
    }

    /// <summary>Copies tensors by name; every tensor of <paramref name="target"/> must be present.</summary>
    public static void Load<T>(IReadOnlyList<ParameterTensor<T>> target, IReadOnlyDictionary<string, double[]> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var tensor in target)
        {
            var source = values[tensor.Name];
            if (source.Length != tensor.Length) throw new InvalidDataException($"{tensor.Name}: {source.Length} values, expected {tensor.Length}.");
            var span = tensor.Value.Span;
            for (var i = 0; i < span.Length; i++) span[i] = T.CreateChecked(source[i]);
        }
    }

    public static T[] Convert<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T>
        => Array.ConvertAll(values, v => T.CreateChecked(v));

    public static double[] ToDouble<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = double.CreateChecked(values[i]);
        return result;
    }

    /// <summary>Reorders rows of <paramref name="width"/> between time-major [T×B] and batch-first [B×T].</summary>
    public static T[] Transpose<T>(ReadOnlySpan<T> values, int steps, int batch, int width, bool toBatchFirst)
    {
        var result = new T[values.Length];
        for (var t = 0; t < steps; t++)
            for (var b = 0; b < batch; b++)
            {
                int timeMajor = (t * batch + b) * width, batchFirst = (b * steps + t) * width;
                var (from, to) = toBatchFirst ? (timeMajor, batchFirst) : (batchFirst, timeMajor);
                values.Slice(from, width).CopyTo(result.AsSpan(to, width));
            }
        return result;
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>N(0, scale²) values from a seeded generator.</summary>
    public static double[] Normal(Random random, int length, double scale = 1)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
        return values;
    }
}
