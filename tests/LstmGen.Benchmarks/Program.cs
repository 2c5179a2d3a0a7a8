using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Running;

namespace LstmGen.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/LstmGen.Benchmarks -- [--quick] [BenchmarkDotNet arguments]</c> runs the
/// BenchmarkDotNet suites (e.g. <c>--filter '*Inference*'</c>); <c>-- peers --dir DIR</c> is the Stopwatch mode that
/// the peer comparison script (peers/run.sh) calls; <c>-- dynamic [CACHE-DIR]</c> times run-time cells (cold, warm, cached).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length > 0 && args[0] == "peers") return Peers.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "gemm") return GemmProbe.Run();
        if (args.Length > 0 && args[0] == "gates") return GateProbe.Run();
        if (args.Length > 0 && args[0] == "dynamic") return DynamicCells.Run(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "quick") return Quick.Run(args.Skip(1).ToArray());

        var quick = args.Contains("--quick");
        var rest = args.Where(a => a != "--quick").ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, Config(quick));
        return 0;
    }

    /// <summary>
    /// Two jobs, the default tiered JIT and full optimisation from the first call (TieredCompilation and TieredPGO
    /// off), so a kernel that only reaches speed after tier-up shows; the memory diagnoser reports bytes per call.
    /// </summary>
    private static IConfig Config(bool quick)
    {
        var baseJob = quick
            ? Job.Default.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1)
            : Job.Default;
        var tiered = baseJob.WithId("Tiered");
        var fullOpt = baseJob
            .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredCompilation", "0"), new EnvironmentVariable("DOTNET_TieredPGO", "0"))
            .WithId("NoTiering");
        return DefaultConfig.Instance
            .AddJob(tiered).AddJob(fullOpt)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            .WithOptions(ConfigOptions.JoinSummary)
            // BenchmarkDotNet rebuilds this project (with the generator) for each run; on a busy 2-core machine that
            // takes longer than its default 2 minutes.
            .WithBuildTimeout(TimeSpan.FromMinutes(15))
            .HideColumns(Column.Error, Column.StdDev);
    }
}
