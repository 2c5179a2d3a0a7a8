using System;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;
using Spectre.Console;

namespace LstmGen.Cli.Commands;

/// <summary>A quick timing table of the generated kernels (float, T = 64, B = 32): inference forward and forward + backward.</summary>
internal static class BenchCommand
{
    private const int Steps = 64, Batch = 32;

    public static int Run(IAnsiConsole console, double secondsPerCell)
    {
        if (!(secondsPerCell > 0 && secondsPerCell <= 60)) throw new CliException($"--seconds {secondsPerCell} is out of range: use a value in (0, 60]");
        var path = Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "scalar";
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"kernel timings: float, T = {Steps}, B = {Batch}, {path}, {Environment.ProcessorCount} cores, single thread")
            .AddColumn("cell").AddColumn("variant").AddColumn(new TableColumn("forward (ms)").RightAligned())
            .AddColumn(new TableColumn("fwd + bwd (ms)").RightAligned()).AddColumn(new TableColumn("train steps·rows/s").RightAligned())
            .AddColumn(new TableColumn("GFLOP/s fwd").RightAligned());
        Add<Std16x32>(table, "standard", secondsPerCell);
        Add<Std32x32>(table, "standard", secondsPerCell);
        Add<Std16x64>(table, "standard", secondsPerCell);
        Add<Std64x64>(table, "standard", secondsPerCell);
        Add<Peep16x64>(table, "peephole", secondsPerCell);
        Add<Ln16x64>(table, "layernorm", secondsPerCell);
        Add<Fb16x64>(table, "forgetbias", secondsPerCell);
        console.Write(table);
        return 0;
    }

    private static void Add<TCell>(Table table, string variant, double seconds) where TCell : ILstmCell<TCell>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var parameters = new LstmParameters<TCell, float>();
        parameters.InitializePyTorchDefault(new Random(1));
        var gradients = new LstmParameters<TCell, float>();
        var workspace = new LstmWorkspace<TCell, float>(Steps, Batch);
        var x = new float[Steps * Batch * d];
        var random = new Random(2);
        for (var i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        var output = new float[Steps * Batch * h];
        var dOutput = new float[output.Length];
        Array.Fill(dOutput, 0.01f);
        var state = new float[4][];
        for (var i = 0; i < 4; i++) state[i] = new float[Batch * h];
        var dx = new float[x.Length];
        var dh0 = new float[Batch * h];
        var dc0 = new float[Batch * h];

        double Time(Action action)
        {
            action();
            var reps = 0;
            var watch = Stopwatch.StartNew();
            do { action(); reps++; } while (watch.Elapsed.TotalSeconds < seconds / 2);
            return watch.Elapsed.TotalMilliseconds / reps;
        }

        var forward = Time(() => Lstm.Forward(parameters, Steps, Batch, x, output, state[0], state[1]));
        var both = Time(() =>
        {
            Lstm.Forward(parameters, workspace, Steps, Batch, x, output, state[0], state[1]);
            Lstm.Backward(parameters, workspace, gradients, Steps, Batch, dOutput, state[2], state[3], dx, dh0, dc0);
        });
        var flops = 2.0 * Steps * Batch * 4 * h * (d + h);
        table.AddRow(typeof(TCell).Name, variant, forward.ToString("F3", CultureInfo.InvariantCulture), both.ToString("F3", CultureInfo.InvariantCulture),
            (Steps * Batch / (both / 1000)).ToString("N0", CultureInfo.InvariantCulture), (flops / (forward / 1000) / 1e9).ToString("F2", CultureInfo.InvariantCulture));
    }
}
