using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using LstmGen.Dynamic;

namespace LstmGen.Benchmarks;

/// <summary>
/// <c>dynamic [CACHE-DIR]</c>: how long run-time cells take to get. Gets five cells one after another and prints, per
/// cell, whether it was compiled or loaded from the disk cache and the wall time. Run it twice with the same folder:
/// the first run shows the cold first cell (Roslyn and the generator JIT-compiled) and the warm next ones, the second
/// a cached start (a new process loading every cell from disk).
/// </summary>
internal static class DynamicCells
{
    private static readonly LstmCellSpec[] Specs =
    {
        new(1, 100),
        new(7, 100),
        new(32, 256, LstmCellVariant.Standard with { Peephole = true }),
        new(100, 100, LstmCellVariant.Standard with { LayerNorm = true }),
        new(128, 512),
    };

    public static int Run(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "lstmgen-bench-cache");
        var compiler = new LstmCellCompiler(new LstmCellCompilerOptions { CacheDirectory = folder });
        Console.WriteLine($"cache: {compiler.CacheDirectory}");
        var total = Stopwatch.StartNew();
        foreach (var spec in Specs)
        {
            var (compiled, loaded) = (compiler.CompilationCount, compiler.DiskLoadCount);
            var watch = Stopwatch.StartNew();
            var cell = compiler.GetCell(spec);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            var how = compiler.CompilationCount > compiled ? "compiled" : compiler.DiskLoadCount > loaded ? "from disk" : "from memory";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{spec,-40} {how,-10} {elapsed,8:F0} ms  ({cell.ParameterCount} parameters)"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total.Elapsed.TotalMilliseconds:F0} ms; process start to end {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds:F0} ms"));
        return 0;
    }
}
