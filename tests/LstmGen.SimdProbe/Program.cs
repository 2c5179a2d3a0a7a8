using System;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;
using LstmGen;

namespace LstmGen.SimdProbe;

// Cells chosen so that every code path of the emitter actually runs somewhere, in both precisions:
// 3x5     rows shorter than a Vector512 of doubles (8) and than a Vector256 of floats (8): scalar-only float kernels,
//         V256 double kernels with scalar tails;
// 5x40    D below every vector width, H = 40 above all of them (V512 float 16, double 8) with tails (40 % 16 = 8);
// 16x32   exact multiples of every width, fully unrolled;
// 17x33   one past every multiple: every kernel has a scalar tail;
// 64x128  large enough that the gate kernels and transposed products keep loops (not unrolled).

[LstmCell(inputSize: 3, hiddenSize: 5)]
public partial struct Probe3x5;

[LstmCell(inputSize: 5, hiddenSize: 40)]
public partial struct Probe5x40;

[LstmCell(inputSize: 16, hiddenSize: 32)]
public partial struct Probe16x32;

[LstmCell(inputSize: 17, hiddenSize: 33)]
public partial struct Probe17x33;

[LstmCell(inputSize: 64, hiddenSize: 128)]
public partial struct Probe64x128;

/// <summary>
/// Runs a fixed-seed training forward, an inference forward and a backward pass for a few cells in double and float
/// and prints every result array with round-trip precision, one line per array: <c>name value value ...</c>.
/// The first line says which vector paths the runtime reports as accelerated:
/// <c>paths Vector512=True Vector256=True Avx512F=True Avx2=True Fma=True</c>.
/// The SIMD test (tests/LstmGen.Tests/SimdPathTests.cs) runs this program under different DOTNET_Enable* settings
/// and compares the arrays.
/// </summary>
public static class Program
{
    public const int Steps = 5;
    public const int Batch = 3;

    public static int Main(string[] args)
    {
        var text = new StringBuilder();
        text.Append("paths")
            .Append(" Vector512=").Append(Vector512.IsHardwareAccelerated)
            .Append(" Vector256=").Append(Vector256.IsHardwareAccelerated)
            .Append(" Vector128=").Append(Vector128.IsHardwareAccelerated)
            .Append(" Avx512F=").Append(Avx512F.IsSupported)
            .Append(" Avx2=").Append(Avx2.IsSupported)
            .Append(" Fma=").Append(Fma.IsSupported)
            .Append('\n');
        Run<Probe3x5>(text, seed: 1);
        Run<Probe5x40>(text, seed: 2);
        Run<Probe16x32>(text, seed: 3);
        Run<Probe17x33>(text, seed: 4);
        Run<Probe64x128>(text, seed: 5);
        text.Append("end\n");

        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
        stdout.Write(text.ToString());
        return 0;
    }

    private static void Run<TCell>(StringBuilder text, int seed) where TCell : ILstmCell<TCell>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var random = new Random(seed);
        var parameters = new double[TCell.ParameterCount];
        Fill(random, parameters, 0.5, uniform: true);
        var x = Normal(random, Steps * Batch * d);
        var h0 = Normal(random, Batch * h, 0.5);
        var c0 = Normal(random, Batch * h, 0.5);
        var dOutput = Normal(random, Steps * Batch * h);
        var dhT = Normal(random, Batch * h);
        var dcT = Normal(random, Batch * h);
        var name = $"{typeof(TCell).Name}";
        RunPrecision<TCell, double>(text, name + "/double", parameters, x, h0, c0, dOutput, dhT, dcT, v => v);
        RunPrecision<TCell, float>(text, name + "/float", parameters, x, h0, c0, dOutput, dhT, dcT, v => (float)v);
    }

    private static void RunPrecision<TCell, T>(StringBuilder text, string name, double[] parameterValues, double[] x, double[] h0, double[] c0,
        double[] dOutput, double[] dhT, double[] dcT, Func<double, T> convert)
        where TCell : ILstmCell<TCell> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var parameters = new LstmParameters<TCell, T>();
        parameters.CopyFrom(Array.ConvertAll(parameterValues, v => convert(v)));
        var workspace = new LstmWorkspace<TCell, T>(Steps, Batch);
        var output = new T[Steps * Batch * h];
        var hT = new T[Batch * h];
        var cT = new T[Batch * h];
        Lstm.Forward(parameters, workspace, Steps, Batch, Array.ConvertAll(x, v => convert(v)),
            Array.ConvertAll(h0, v => convert(v)), Array.ConvertAll(c0, v => convert(v)), output, hT, cT);

        var inferenceOutput = new T[Steps * Batch * h];
        var inferenceHT = new T[Batch * h];
        var inferenceCT = new T[Batch * h];
        Lstm.Forward(parameters, Steps, Batch, Array.ConvertAll(x, v => convert(v)),
            Array.ConvertAll(h0, v => convert(v)), Array.ConvertAll(c0, v => convert(v)), inferenceOutput, inferenceHT, inferenceCT);

        var gradients = new LstmParameters<TCell, T>();
        var dx = new T[Steps * Batch * d];
        var dh0 = new T[Batch * h];
        var dc0 = new T[Batch * h];
        Lstm.Backward(parameters, workspace, gradients, Steps, Batch, Array.ConvertAll(dOutput, v => convert(v)),
            Array.ConvertAll(dhT, v => convert(v)), Array.ConvertAll(dcT, v => convert(v)), dx, dh0, dc0);

        Line(text, name + "/output", output);
        Line(text, name + "/hT", hT);
        Line(text, name + "/cT", cT);
        Line(text, name + "/inference.output", inferenceOutput);
        Line(text, name + "/inference.hT", inferenceHT);
        Line(text, name + "/inference.cT", inferenceCT);
        Line(text, name + "/dx", dx);
        Line(text, name + "/dh0", dh0);
        Line(text, name + "/dc0", dc0);
        foreach (var tensor in TCell.Layout.Tensors)
            Line(text, name + "/d" + tensor.Name, gradients.Tensor(tensor.Name).ToArray());
        // One sequence on one thread and on two (a cell with H >= 128 splits its units across the two): equal bit for bit.
        var single = Array.ConvertAll(x[..(Steps * d)], v => convert(v));
        var oneThread = new T[Steps * h];
        var twoThreads = new T[Steps * h];
        Lstm.Forward(parameters, Steps, 1, single, oneThread, new T[h], new T[h]);
        Lstm.Forward(parameters, Steps, 1, single, twoThreads, new T[h], new T[h], threads: 2);
        Line(text, name + "/single.output", oneThread);
        Line(text, name + "/single.threads2", twoThreads);
        if (typeof(T) == typeof(float)) ReducedPrecision<TCell>(text, name, (LstmParameters<TCell, float>)(object)parameters, x, h0, c0);
    }

    /// <summary>
    /// The bfloat16-weight inference forward and, beside it, the float forward on parameters whose W_hh is rounded to
    /// bfloat16: the test asserts the two equal bit for bit on every path.
    /// </summary>
    private static void ReducedPrecision<TCell>(StringBuilder text, string name, LstmParameters<TCell, float> parameters, double[] x, double[] h0, double[] c0)
        where TCell : ILstmCell<TCell>
    {
        int h = TCell.HiddenSize;
        float[] xs = Array.ConvertAll(x, v => (float)v), h0s = Array.ConvertAll(h0, v => (float)v), c0s = Array.ConvertAll(c0, v => (float)v);
        var reduced = new float[Steps * Batch * h];
        Lstm.Forward(new LstmPackedWeights<TCell, float>(parameters, LstmWeightFormat.BFloat16), Steps, Batch, xs, h0s, c0s, reduced, new float[Batch * h], new float[Batch * h]);
        var rounded = new LstmParameters<TCell, float>();
        parameters.Data.CopyTo(rounded.Data);
        var whh = rounded.WeightHh;
        for (var i = 0; i < whh.Length; i++) whh[i] = LstmGen.Numerics.BFloat16.Widen(LstmGen.Numerics.BFloat16.Round(whh[i]));
        var reference = new float[Steps * Batch * h];
        Lstm.Forward(rounded, Steps, Batch, xs, h0s, c0s, reference, new float[Batch * h], new float[Batch * h]);
        Line(text, name + "/bf16.output", reduced);
        Line(text, name + "/bf16.reference", reference);
    }

    private static void Line<T>(StringBuilder text, string name, T[] values) where T : IFormattable
    {
        text.Append(name);
        foreach (var value in values)
            text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture));
        text.Append('\n');
    }

    private static double[] Normal(Random random, int length, double scale = 1)
    {
        var values = new double[length];
        Fill(random, values, scale, uniform: false);
        return values;
    }

    private static void Fill(Random random, double[] values, double scale, bool uniform)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (uniform)
            {
                values[i] = scale * (2 * random.NextDouble() - 1);
                continue;
            }
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
