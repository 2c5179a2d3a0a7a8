using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;
using System.Threading;
using LstmGen.Cli.Commands;
using LstmGen.Cli.Tasks;
using LstmGen.Dynamic;
using LstmGen.IO;
using Spectre.Console;

namespace LstmGen.Cli;

/// <summary>
/// The command line: <c>lstmgen</c> (the tour), <c>tour</c>, <c>gradcheck</c>, <c>train</c>, <c>sample</c>,
/// <c>inspect</c>, <c>run</c>, <c>bench</c>. Exit codes: 0 success, 1 a failed check or an unexpected error, 2 bad input
/// (one line on the error writer, no stack trace unless <c>--verbose</c>), 130 stopped by Ctrl+C (checkpoint saved).
/// </summary>
public static class Cli
{
    public const int BadInput = 2, Cancelled = 130;

    /// <summary>Runs one command line in-process; <paramref name="console"/> receives the output, <paramref name="error"/> the error line.</summary>
    public static int Run(string[] args, IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Print stack traces of errors.", Recursive = true };
        // A named Command rather than RootCommand, which takes its name from the executable ('LstmGen.Cli' under dotnet
        // run); so the usage line says lstmgen however the program is started. Help and version are RootCommand's.
        var root = new Command("lstmgen", "lstmgen: generated LSTM kernels — gradient checks, training on built-in tasks, running models (ours and PyTorch's), sampling, gate heatmaps, timings. Without a command: the tour.")
        {
            new HelpOption(), new VersionOption(), verbose,
        };

        int Guard(ParseResult parse, Func<int> action)
        {
            try
            {
                return action();
            }
            catch (Exception e) when (e is CliException)
            {
                error.WriteLine($"lstmgen: error: {e.Message}");
                if (parse.GetValue(verbose)) error.WriteLine(e);
                return BadInput;
            }
            catch (Exception e) when (e is SafeTensorsException or IOException or UnauthorizedAccessException or LstmCellCompilationException)
            {
                error.WriteLine($"lstmgen: error: {e.Message.Split('\n')[0].Trim()}");
                if (parse.GetValue(verbose)) error.WriteLine(e);
                return BadInput;
            }
            catch (Exception e)
            {
                error.WriteLine($"lstmgen: internal error: {e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}" + (parse.GetValue(verbose) ? "" : " (--verbose for the stack trace)"));
                if (parse.GetValue(verbose)) error.WriteLine(e);
                return 1;
            }
        }

        // Cells of sizes not declared in Cells.cs are compiled on first use: one status line each (on the error writer
        // while 'run' writes its CSV to standard output).
        Action<string> status = line => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
        void OnCompiling(LstmCellSpec spec) => status($"compiling LSTM cell {spec} (first use; cached in {LstmCellCompiler.Shared.CacheDirectory}) …");

        // tour (also the root action)
        var tourTime = new Option<double>("--time") { Description = "Seconds of forecaster training.", DefaultValueFactory = _ => 60 };
        var tourOut = OutOption();
        var tour = new Command("tour", "The default run: gradient check, Mackey-Glass forecaster with a progress bar, plots.") { tourTime, tourOut };
        tour.SetAction(p => Guard(p, () => TourCommand.Run(console, p.GetValue(tourTime), p.GetValue(tourOut)!, cancel)));
        root.Subcommands.Add(tour);
        root.SetAction(p => Guard(p, () => TourCommand.Run(console, 60, "lstmgen-out", cancel)));

        // gradcheck
        var quick = new Option<bool>("--quick") { Description = "Only the 3×5 cells of every option (every element); skip the sampled training cells." };
        var gradcheck = new Command("gradcheck", "Check every built-in cell's gradients against finite differences; exit code 1 on failure.") { quick };
        gradcheck.SetAction(p => Guard(p, () => GradCheckCommand.Run(console, p.GetValue(quick), compact: false) ? 0 : 1));
        root.Subcommands.Add(gradcheck);

        root.Subcommands.Add(TrainCommand(console, cancel, Guard));

        // sample
        var model = new Option<string>("--model", "-m") { Description = "A text model written by 'train text'.", Required = true };
        var prompt = new Option<string>("--prompt", "-p") { Description = "Text to start from.", DefaultValueFactory = _ => "The " };
        var length = new Option<int>("--length", "-n") { Description = "Tokens to generate.", DefaultValueFactory = _ => 300 };
        var temperature = new Option<double>("--temperature", "-t") { Description = "Softmax temperature; 0 = greedy (argmax).", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int>("--top-k", "-k") { Description = "Sample among the k most likely tokens; 0 = all.", DefaultValueFactory = _ => 0 };
        var sampleSeed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var sample = new Command("sample", "Generate text from a trained text model.") { model, prompt, length, temperature, topK, sampleSeed };
        sample.SetAction(p => Guard(p, () => SampleCommand.Run(console, p.GetValue(model)!, p.GetValue(prompt) ?? "", p.GetValue(length), p.GetValue(temperature), p.GetValue(topK), p.GetValue(sampleSeed))));
        root.Subcommands.Add(sample);

        // inspect
        var inspectModel = new Option<string>("--model", "-m") { Description = "A text model written by 'train text'.", Required = true };
        var inspectText = new Option<string>("--text") { Description = "Text to run through the model (at most 200 tokens).", Required = true };
        var inspectOutput = new Option<string>("--output", "-o") { Description = "Picture to write: PATH.png and PATH.svg (a .png or .svg extension is replaced).", DefaultValueFactory = _ => Path.Combine("lstmgen-out", "inspect") };
        var inspect = new Command("inspect", "Draw layer 0's gates (i, f, o) and cell state per step as a heatmap (PNG and SVG), from the kernel's own values.") { inspectModel, inspectText, inspectOutput };
        inspect.SetAction(p => Guard(p, () => InspectCommand.Run(console, p.GetValue(inspectModel)!, p.GetValue(inspectText) ?? "", p.GetValue(inspectOutput)!)));
        root.Subcommands.Add(inspect);

        // run
        var runModel = new Argument<string>("model") { Description = "A model: one 'train' wrote, a PyTorch nn.LSTM state dict (.safetensors), or an ONNX model with LSTM operators (.onnx)." };
        var runInput = new Option<string>("--input", "-i") { Description = "CSV series: one row per time step, one column per feature (a token-id column for models with an embedding); a header row is skipped.", Required = true };
        var runOutput = new Option<string?>("--output", "-o") { Description = "CSV to write (one row of outputs per step); default: standard output." };
        var run = new Command("run", "Run a model over a CSV series and write its outputs per step.") { runModel, runInput, runOutput };
        run.SetAction(p => Guard(p, () =>
        {
            var toFile = p.GetValue(runOutput);
            if (toFile is null) status = line => error.WriteLine(line);
            return RunCommand.Run(status, output, p.GetValue(runModel)!, p.GetValue(runInput)!, toFile);
        }));
        root.Subcommands.Add(run);

        // export
        var exportModel = new Argument<string>("model") { Description = "A model 'run' reads: one 'train' wrote, a PyTorch nn.LSTM state dict (.safetensors) or an ONNX model." };
        var exportOnnx = new Option<string>("--onnx") { Description = "The ONNX file to write (LSTM operators, opset 14, float32).", Required = true };
        var export = new Command("export", "Write a model as ONNX LSTM operators, for ONNX Runtime (layer norm and embeddings have no ONNX form).") { exportModel, exportOnnx };
        export.SetAction(p => Guard(p, () => ExportCommand.Run(status, p.GetValue(exportModel)!, p.GetValue(exportOnnx)!)));
        root.Subcommands.Add(export);

        // bench
        var seconds = new Option<double>("--seconds") { Description = "Seconds of timing per cell.", DefaultValueFactory = _ => 0.5 };
        var bench = new Command("bench", "A quick timing table of the generated kernels.") { seconds };
        bench.SetAction(p => Guard(p, () => BenchCommand.Run(console, p.GetValue(seconds))));
        root.Subcommands.Add(bench);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"lstmgen: error: {string.Join(' ', parse.Errors[0].Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))} (lstmgen --help for usage)");
            return BadInput;
        }
        LstmCellCompiler.Shared.Compiling += OnCompiling;
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        finally
        {
            LstmCellCompiler.Shared.Compiling -= OnCompiling;
        }
    }

    private static Option<string> OutOption() =>
        new("--out") { Description = "Directory for checkpoints and pictures.", DefaultValueFactory = _ => "lstmgen-out" };

    private static Command TrainCommand(IAnsiConsole console, CancellationToken cancel, Func<ParseResult, Func<int>, int> guard)
    {
        var task = new Argument<string>("task") { Description = "forecast | adding | copy | text" };
        task.AcceptOnlyFromAmong("forecast", "adding", "copy", "text");
        var cell = new Option<string>("--cell") { Description = "Cell options joined by '+': standard, peephole, layernorm, layernorm-pergate, forgetbias[=φ], cifg, clip=κ (e.g. peephole+cifg).", DefaultValueFactory = _ => "standard" };
        var hidden = new Option<int?>("--hidden") { Description = "Hidden size, 1–4096 (default 32; 64 for copy and text). Cells other than the built-in 32 and 64 are compiled on first use (seconds) and cached." };
        var inputSize = new Option<int?>("--input") { Description = "text, copy: embedding size, i.e. layer 0's input (default 16)." };
        var layers = new Option<int>("--layers") { Description = "LSTM layers (1–8).", DefaultValueFactory = _ => 1 };
        var bidirectional = new Option<bool>("--bidirectional") { Description = "Bidirectional LSTM layers (each step then sees the whole sequence)." };
        var optimizer = new Option<string>("--optimizer") { Description = "adam | adamw | sgd (momentum 0.9).", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default per task; 0.05 for sgd)." };
        var clip = new Option<double>("--clip") { Description = "Clip the global gradient norm to this (0 = off).", DefaultValueFactory = _ => 1.0 };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs of --steps-per-epoch batches (default: forecast 10, adding 60, copy 80, text 10; none with --time alone). With --time too, training stops at whichever ends first." };
        var stepsPerEpoch = new Option<int>("--steps-per-epoch") { Description = "Batches per epoch.", DefaultValueFactory = _ => 50 };
        var time = new Option<double?>("--time") { Description = "Train for this many seconds (alone: this long, whatever the epochs; with --epochs: whichever ends first)." };
        var batch = new Option<int>("--batch") { Description = "Sequences per batch.", DefaultValueFactory = _ => 32 };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation and data.", DefaultValueFactory = _ => 1 };
        var output = OutOption();
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint path (default OUT/TASK.safetensors)." };
        var series = new Option<string>("--series") { Description = "forecast: mackey-glass | sine.", DefaultValueFactory = _ => "mackey-glass" };
        var length = new Option<int>("--length") { Description = "adding: sequence length.", DefaultValueFactory = _ => 50 };
        var delay = new Option<int>("--delay") { Description = "copy: delay in steps.", DefaultValueFactory = _ => 10 };
        var file = new Option<string?>("--file", "-f") { Description = "text: a UTF-8 text file." };
        var mode = new Option<string>("--mode") { Description = "text: chars | words.", DefaultValueFactory = _ => "chars" };
        var command = new Command("train", "Train on a built-in task and report the metric that defines success.")
        {
            task, cell, hidden, inputSize, layers, bidirectional, optimizer, lr, clip, epochs, stepsPerEpoch, time, batch, seed, output, checkpoint, series, length, delay, file, mode,
        };
        command.SetAction(p => guard(p, () =>
        {
            var options = new TrainOptions
            {
                Task = p.GetValue(task)!, Cell = p.GetValue(cell)!, Hidden = p.GetValue(hidden), InputSize = p.GetValue(inputSize), Layers = p.GetValue(layers), Bidirectional = p.GetValue(bidirectional),
                Optimizer = p.GetValue(optimizer)!, LearningRate = p.GetValue(lr), Clip = p.GetValue(clip), Epochs = p.GetValue(epochs),
                StepsPerEpoch = p.GetValue(stepsPerEpoch), TimeBudgetSeconds = p.GetValue(time), Batch = p.GetValue(batch), Seed = p.GetValue(seed),
                OutDirectory = p.GetValue(output)!, CheckpointPath = p.GetValue(checkpoint), Series = p.GetValue(series)!, Length = p.GetValue(length),
                Delay = p.GetValue(delay), File = p.GetValue(file), Mode = p.GetValue(mode)!,
            };
            if (options.Task == "text" && options.File is null) throw new CliException("train text needs --file PATH (a UTF-8 text file)");
            var outcome = Trainer.Run(console, options, cancel);
            Trainer.Print(console, outcome);
            if (outcome.Network.Embedding is not null && options.Task == "text" && !outcome.Cancelled)
            {
                var trained = Models.ModelFile.Load(outcome.CheckpointPath);
                var vocabulary = trained.TextVocabulary("sample");
                // Characters start from a new line, if the text has one.
                var start = vocabulary.Mode == "words" ? vocabulary.Tokens[Math.Min(1, vocabulary.Count - 1)]
                    : vocabulary.Tokens.Contains("\n") ? "\n" : vocabulary.Tokens[0];
                var sampleText = start + SampleCommand.Generate(trained.Network, vocabulary, start, vocabulary.Mode == "words" ? 60 : 200, 0.8, 0, 1);
                console.Write(new Panel(Markup.Escape(sampleText.Trim())).Header("sample (temperature 0.8)"));
            }
            return outcome.Cancelled ? Cancelled : 0;
        }));
        return command;
    }
}
