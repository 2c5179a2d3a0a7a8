using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using LstmGen.Cli.Models;
using LstmGen.Cli.Plots;
using LstmGen.IO;
using LstmGen.Layers;
using LstmGen.Optimizers;
using LstmGen.Training;
using Spectre.Console;

namespace LstmGen.Cli.Tasks;

/// <summary>What a training run produced.</summary>
internal sealed record TrainOutcome(LstmNetwork<float> Network, int Steps, bool Cancelled, double Seconds, TaskResult Result,
    string CheckpointPath, IReadOnlyList<string> Files);

/// <summary>
/// The training loop shared by every task: builds the network and optimiser, runs steps under a Spectre progress bar
/// (step, loss, throughput, ETA) until the epochs or the time budget are used up or Ctrl+C, then evaluates, saves a
/// checkpoint and writes the loss curve and the task's plots.
/// </summary>
internal static class Trainer
{
    public static readonly string[] Optimizers = { "adam", "adamw", "sgd" };

    public static ITrainingTask CreateTask(TrainOptions options) => options.Task switch
    {
        "forecast" => new ForecastTask(options),
        "adding" => new AddingTask(options),
        "copy" => new CopyTask(options),
        "text" => new TextTask(options),
        _ => throw new CliException($"unknown task '{options.Task}': choose forecast, adding, copy or text"),
    };

    public static void Validate(TrainOptions o)
    {
        if (o.Epochs is < 0) throw new CliException($"--epochs {o.Epochs} is negative: give a number of epochs ≥ 1 (or 0 with --time)");
        if (o.Epochs is 0 && o.TimeBudgetSeconds is null) throw new CliException("--epochs 0 needs a time budget (--time SECONDS)");
        if (o.StepsPerEpoch < 1) throw new CliException($"--steps-per-epoch {o.StepsPerEpoch} must be at least 1");
        if (o.TimeBudgetSeconds is { } s && !(s > 0)) throw new CliException($"--time {s.ToString(CultureInfo.InvariantCulture)} must be a positive number of seconds");
        if (o.LearningRate is { } lr && !(lr > 0 && double.IsFinite(lr))) throw new CliException($"--lr {lr.ToString(CultureInfo.InvariantCulture)} must be positive");
        if (!(o.Clip >= 0 && double.IsFinite(o.Clip))) throw new CliException($"--clip {o.Clip.ToString(CultureInfo.InvariantCulture)} must be ≥ 0 (0 = no clipping)");
        if (o.Batch < 1 || o.Batch > 1024) throw new CliException($"--batch {o.Batch} is out of range: use 1 to 1024");
        if (!Optimizers.Contains(o.Optimizer)) throw new CliException($"unknown optimiser '{o.Optimizer}': choose {string.Join(", ", Optimizers)}");
        CellChoice.Parse(o.Cell);
        CellCatalog.Validate(o.Hidden ?? CellCatalog.HiddenSizes[0], o.Layers);
        if (o.InputSize is { } input && o.Task is not ("text" or "copy") && input != CellCatalog.InputFeatures)
            throw new CliException($"--input applies to text and copy (the embedding size); {o.Task} feeds {CellCatalog.InputFeatures} features per step");
        if (o.InputSize is < 1 or > LstmCellAttribute.MaxSize) throw new CliException($"--input {o.InputSize} is out of range: use 1 to {LstmCellAttribute.MaxSize}");
    }

    public static TrainOutcome Run(IAnsiConsole console, TrainOptions options, CancellationToken cancel)
    {
        Validate(options);
        var task = CreateTask(options);
        var hidden = options.Hidden ?? task.DefaultHidden;
        // --time alone trains for that long; --epochs alone (or neither: the task's default) for that many epochs; both: whichever ends first.
        var epochs = options.Epochs ?? (options.TimeBudgetSeconds is null ? task.DefaultEpochs : 0);
        CellCatalog.Validate(hidden, options.Layers);
        var input = options.InputSize ?? CellCatalog.InputFeatures;
        var learningRate = options.LearningRate ?? (options.Optimizer == "sgd" ? 0.05 : task.DefaultLearningRate);
        var network = ModelFile.BuildNetwork(task.Input, options.Cell, input, hidden, options.Layers, options.Bidirectional, task.Outputs, options.Seed);
        Optimizer<float> optimizer = options.Optimizer switch
        {
            "adamw" => new AdamW<float>(network.Parameters, learningRate),
            "sgd" => new Sgd<float>(network.Parameters, learningRate, momentum: 0.9),
            _ => new Adam<float>(network.Parameters, learningRate),
        };
        var checkpoint = options.CheckpointPath ?? Path.Combine(options.OutDirectory, $"{task.Name}.safetensors");
        var parameterCount = network.Parameters.Sum(p => (long)p.Length);
        console.MarkupLine($"[bold]train {task.Name}[/]: {options.Layers} × {(options.Bidirectional ? "bidirectional " : "")}{Markup.Escape(options.Cell)} LSTM, input {input}, hidden {hidden}, {parameterCount:N0} parameters; " +
                           $"{options.Optimizer} lr {Numbers.Format(learningRate)}, clip {Numbers.Format(options.Clip)}, batch {options.Batch}, seed {options.Seed}");
        var budget = (epochs > 0, options.TimeBudgetSeconds) switch
        {
            (true, { } both) => $"{epochs} epochs × {options.StepsPerEpoch} steps or {Numbers.Format(both)} s, whichever ends first",
            (false, { } alone) => $"{Numbers.Format(alone)} s",
            _ => $"{epochs} epochs × {options.StepsPerEpoch} steps" + (options.Epochs is null ? " (the task's default; --time S trains for S seconds instead)" : ""),
        };
        console.MarkupLine($"[grey]budget: {Markup.Escape(budget)}; Ctrl+C stops and saves a checkpoint[/]");

        var random = new DeterministicRandom(options.Seed * 7919L + 17);
        var losses = new List<double>();
        var totalSteps = epochs > 0 ? epochs * options.StepsPerEpoch : int.MaxValue;
        var watch = Stopwatch.StartNew();
        var cancelled = false;
        double ema = double.NaN;
        var step = 0;

        void Loop(Action<double, string>? report)
        {
            var lastReport = TimeSpan.Zero;
            while (step < totalSteps)
            {
                if (cancel.IsCancellationRequested) { cancelled = true; break; }
                if (options.TimeBudgetSeconds is { } limit && watch.Elapsed.TotalSeconds >= limit) break;
                network.ZeroGradients();
                var loss = task.TrainStep(network, random);
                if (options.Clip > 0) GradientClipping.ClipByGlobalNorm(network.Parameters, options.Clip);
                optimizer.Step();
                step++;
                losses.Add(loss);
                ema = double.IsNaN(ema) ? loss : 0.95 * ema + 0.05 * loss;
                if (!double.IsFinite(loss)) throw new CliException($"training diverged at step {step} (loss {loss}); try a smaller --lr or --clip 1");
                if (report is not null && (watch.Elapsed - lastReport).TotalMilliseconds > 200)
                {
                    lastReport = watch.Elapsed;
                    var fraction = Math.Max(totalSteps == int.MaxValue ? 0 : (double)step / totalSteps,
                        options.TimeBudgetSeconds is { } l ? watch.Elapsed.TotalSeconds / l : 0);
                    var rate = step * (double)task.UnitsPerStep / watch.Elapsed.TotalSeconds;
                    report(fraction, $"step {step,5}  loss {Numbers.Format(ema),8}  {rate,9:N0} {task.Unit}/s");
                }
            }
        }

        if (console.Profile.Capabilities.Interactive)
        {
            console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var bar = ctx.AddTask($"training {task.Name}", maxValue: 1000);
                    Loop((fraction, text) =>
                    {
                        bar.Value = Math.Min(1000, fraction * 1000);
                        bar.Description = Markup.Escape(text);
                    });
                    bar.Value = 1000;
                    bar.Description = Markup.Escape($"step {step,5}  loss {Numbers.Format(ema),8}  {step * (double)task.UnitsPerStep / Math.Max(1e-9, watch.Elapsed.TotalSeconds),9:N0} {task.Unit}/s");
                });
        }
        else
        {
            // Redirected output: a plain line every ~10 % instead of a live bar.
            var nextLine = 0.1;
            Loop((fraction, text) =>
            {
                if (fraction < nextLine) return;
                nextLine = Math.Floor(fraction * 10) / 10 + 0.1;
                var eta = fraction > 0 ? TimeSpan.FromSeconds(watch.Elapsed.TotalSeconds * (1 - fraction) / fraction) : TimeSpan.Zero;
                console.WriteLine($"  {fraction,4:P0}  {text}  ETA {eta:mm\\:ss}");
            });
        }
        var seconds = watch.Elapsed.TotalSeconds;
        console.MarkupLine(cancelled
            ? $"[yellow]stopped by Ctrl+C after {step} steps ({seconds:F1} s)[/]"
            : $"trained {step} steps in {seconds:F1} s ({step * (double)task.UnitsPerStep / Math.Max(seconds, 1e-9):N0} {task.Unit}/s)");

        var metadata = new Dictionary<string, string>
        {
            ["task"] = task.Name, ["cell"] = options.Cell, ["hidden"] = hidden.ToString(CultureInfo.InvariantCulture),
            ["layers"] = options.Layers.ToString(CultureInfo.InvariantCulture), ["input"] = input.ToString(CultureInfo.InvariantCulture),
            ["bidirectional"] = options.Bidirectional ? "true" : "false", ["outputs"] = task.Outputs.ToString(CultureInfo.InvariantCulture),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture), ["steps"] = step.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in task.Metadata) metadata[k] = v;
        var directory = Path.GetDirectoryName(Path.GetFullPath(checkpoint));
        if (directory is not null) Directory.CreateDirectory(directory);
        Checkpoint.Save(checkpoint, network, optimizer, step, metadata: metadata);

        var result = task.Evaluate(network);
        var files = new List<string> { checkpoint };
        if (losses.Count > 0)
        {
            var xs = Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray();
            var smooth = new double[losses.Count];
            double average = 0;
            for (var i = 0; i < losses.Count; i++)
            {
                average = 0.95 * average + 0.05 * losses[i];
                smooth[i] = average / (1 - Math.Pow(0.95, i + 1)); // bias-corrected, so the start is not dragged towards 0
            }
            files.AddRange(LinePlot.Write(Path.Combine(options.OutDirectory, $"loss-{task.Name}"), $"{task.Name}: training loss", "training step",
                task.Name is "copy" or "text" ? "cross-entropy (nats)" : "mean squared error",
                new[] { new Line("batch loss", xs, losses.ToArray(), LinePlot.LightBlue, Width: 1), new Line("moving average", xs, smooth, LinePlot.Blue) },
                logY: task.Name is "forecast" or "adding"));
        }
        files.AddRange(task.WritePlots(network, options.OutDirectory));
        return new TrainOutcome(network, step, cancelled, seconds, result, checkpoint, files);
    }

    /// <summary>Prints the results table and the written files.</summary>
    public static void Print(IAnsiConsole console, TrainOutcome outcome)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (metric, value) in outcome.Result.Rows) table.AddRow(Markup.Escape(metric), Markup.Escape(value));
        console.Write(table);
        console.MarkupLine($"[bold]{Markup.Escape(outcome.Result.Summary)}[/]");
        foreach (var file in outcome.Files) console.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(file))}");
    }
}
