using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using LstmGen;
using LstmGen.Testing;

namespace LstmGen.Cli;

/// <summary>
/// The main job for now: run a forward and backward pass of each declared cell, then check every gradient
/// against central finite differences and print the worst error per tensor.
/// </summary>
public static class Program
{
    public static int Main()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine("LstmGen: generated LSTM kernels, checked against finite differences (double, step 1e-6, tolerance 1e-6).");
        Console.WriteLine();
        Demo<TinyCell>();
        Console.WriteLine();

        var passed = true;
        passed &= Check<TinyCell>(steps: 6, batch: 3, sample: null);
        passed &= Check<SmallCell>(steps: 5, batch: 2, sample: 64);
        passed &= Check<MediumCell>(steps: 3, batch: 2, sample: 64);
        Console.WriteLine(passed ? "All gradients match." : "GRADIENT CHECK FAILED.");
        return passed ? 0 : 1;
    }

    /// <summary>One forward and backward pass, the way user code calls the kernels.</summary>
    private static void Demo<TCell>() where TCell : ILstmCell<TCell>
    {
        const int steps = 4, batch = 2;
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var parameters = new LstmParameters<TCell, float>();
        parameters.InitializePyTorchDefault(new Random(7));
        var workspace = new LstmWorkspace<TCell, float>(steps, batch);
        var x = new float[steps * batch * d];
        for (var i = 0; i < x.Length; i++) x[i] = MathF.Sin(i);
        var output = new float[steps * batch * h];
        var hT = new float[batch * h];
        var cT = new float[batch * h];
        Lstm.Forward(parameters, workspace, steps, batch, x, output, hT, cT);

        var gradients = new LstmParameters<TCell, float>();
        var dOutput = new float[output.Length];
        Array.Fill(dOutput, 1f);
        var dx = new float[x.Length];
        var dh0 = new float[batch * h];
        var dc0 = new float[batch * h];
        Lstm.Backward(parameters, workspace, gradients, steps, batch, dOutput, new float[batch * h], new float[batch * h], dx, dh0, dc0);
        Console.WriteLine($"{typeof(TCell).Name} ({d}x{h}), float, T={steps}, B={batch}:");
        Console.WriteLine($"  hT[row 0]        = [{string.Join(", ", hT.AsSpan(0, h).ToArray().Select(v => v.ToString("F4")))}]");
        Console.WriteLine($"  dL/dx[t=0,row 0] = [{string.Join(", ", dx.AsSpan(0, d).ToArray().Select(v => v.ToString("F4")))}]  (L = sum of all outputs)");
    }

    private static bool Check<TCell>(int steps, int batch, int? sample) where TCell : ILstmCell<TCell>
    {
        var watch = Stopwatch.StartNew();
        var report = GradientCheck.Run<TCell>(steps, batch, seed: 2024, new GradientCheckOptions { SampleSize = sample });
        watch.Stop();
        Console.WriteLine($"{report.CellName}: {(sample is null ? "every element" : $"{sample} random elements per tensor")}, {watch.ElapsedMilliseconds} ms");
        Console.WriteLine($"  {"tensor",-10} {"elements",8} {"max |analytic-numeric| / max |numeric|",40}  result");
        foreach (var tensor in report.Tensors)
            Console.WriteLine($"  {tensor.Name,-10} {tensor.CheckedElements,8} {tensor.RelativeError,40:E2}  {(tensor.Passed ? "ok" : "FAIL")}");
        return report.Passed;
    }
}
