using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using LstmGen.Cli.Tasks;
using Spectre.Console;

namespace LstmGen.Cli.Commands;

/// <summary>The default run: gradient check, a Mackey-Glass forecaster trained under a progress bar, plots.</summary>
internal static class TourCommand
{
    public static int Run(IAnsiConsole console, double trainSeconds, string outDirectory, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        PlainConsole.Heading(console, "[bold]LstmGen[/]: generated LSTM kernels — a short tour");
        console.MarkupLine("Every cell below is a [bold]partial struct[/] with [bold][[LstmCell(D, H)]][/] (and option attributes); the generator emitted its kernels at build time.");
        console.WriteLine();
        PlainConsole.Heading(console, "1. gradients against central finite differences (double, every element, 3×5 cells)");
        var passed = GradCheckCommand.Run(console, quick: true, compact: true);
        console.WriteLine();
        PlainConsole.Heading(console, "2. a forecaster for the chaotic Mackey-Glass series (τ = 17)");
        var outcome = Trainer.Run(console, new TrainOptions
        {
            Task = "forecast", Series = "mackey-glass", Epochs = 0, TimeBudgetSeconds = trainSeconds, OutDirectory = outDirectory,
        }, cancel);
        console.WriteLine();
        PlainConsole.Heading(console, "3. results");
        Trainer.Print(console, outcome);
        console.WriteLine();
        console.MarkupLine($"tour finished in {watch.Elapsed.TotalSeconds:F0} s. Next: [bold]lstmgen train text --file F[/], [bold]lstmgen sample[/], [bold]lstmgen inspect[/], [bold]lstmgen gradcheck[/], [bold]lstmgen bench[/], [bold]lstmgen --help[/].");
        if (!passed) return 1;
        return outcome.Cancelled ? 130 : 0;
    }
}
