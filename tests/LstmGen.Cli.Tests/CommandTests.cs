using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using LstmGen.Cli.Commands;
using LstmGen.Cli.Models;
using LstmGen.Cli.Tasks;
using LstmGen.IO;
using LstmGen.Layers;
using LstmGen.Optimizers;
using NUnit.Framework;
using static LstmGen.Cli.Tests.CliRunner;

namespace LstmGen.Cli.Tests;

/// <summary>Each command on tiny settings: exit codes, the files it claims to write, and what it prints.</summary>
public class CommandTests
{
    private static string SampleText()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 60; i++) sb.Append("the cat sat on the mat. the dog ate the log. a bird sang in the tree.\n");
        return sb.ToString();
    }

    [Test]
    public void Help_ExitsZero()
    {
        var result = Run("--help");
        Assert.That(result.Code, Is.EqualTo(0));
    }

    [Test]
    public void GradCheck_Quick_PassesForEveryOption()
    {
        var result = Run("gradcheck", "--quick");
        Assert.That(result.Code, Is.EqualTo(0));
        foreach (var cell in new[] { "TinyCell", "TinyPeepholeCell", "TinyLayerNormCell", "TinyForgetBiasCell", "TinyCifgCell", "TinyClipCell", "TinyAllCell" })
            Assert.That(result.Out, Does.Contain(cell));
        Assert.That(result.Out, Does.Contain("all gradients match"));
    }

    [Test]
    public void Tour_ShortBudget_WritesPlotsAndCheckpoint()
    {
        var dir = TempDirectory();
        var result = Run("tour", "--time", "1", "--out", dir);
        Assert.That(result.Code, Is.EqualTo(0), result.Error);
        foreach (var picture in new[] { "forecast-mackey-glass", "forecast-error-mackey-glass", "loss-forecast" })
        {
            AssertPicture(Path.Combine(dir, picture));
            Assert.That(result.Out, Does.Contain("wrote " + Path.Combine(dir, picture + ".png")));
        }
        Assert.That(result.Out, Does.Contain("one-step test MSE (last value)"));
        Assert.That(result.Out, Does.Contain($"free-running RMSE at {ForecastTask.Horizon} steps"));
    }

    [TestCase("forecast", "standard", "--series", "sine")]
    [TestCase("forecast", "layernorm", "--series", "mackey-glass")]
    [TestCase("adding", "peephole", "--length", "10")]
    [TestCase("copy", "forgetbias", "--delay", "3")]
    public void Train_TinyRun_SavesLoadableCheckpointAndValidPlots(string task, string cell, string option, string value)
    {
        var dir = TempDirectory();
        var result = Run("train", task, "--cell", cell, option, value, "--epochs", "1", "--steps-per-epoch", "3", "--batch", "4", "--layers", "2", "--out", dir);
        Assert.That(result.Code, Is.EqualTo(0), result.Error);
        var checkpoint = Path.Combine(dir, task + ".safetensors");
        var model = ModelFile.Load(checkpoint);
        Assert.That(model.Task, Is.EqualTo(task));
        Assert.That(model.Cell, Is.EqualTo(cell));
        Assert.That(model.Layers, Is.EqualTo(2));
        // The file is a full checkpoint: it loads with the optimiser too.
        var network = model.Network;
        Assert.That(Checkpoint.Load(checkpoint, network, new Adam<float>(network.Parameters)).Step, Is.EqualTo(3));
        AssertPicture(Path.Combine(dir, $"loss-{task}"));
        foreach (var line in result.Out.Split('\n').Where(l => l.StartsWith("wrote ")))
            Assert.That(File.Exists(line["wrote ".Length..].Trim()), Is.True, line);
    }

    [Test]
    public void Text_TrainSampleInspect_EndToEnd()
    {
        var dir = TempDirectory();
        var file = Path.Combine(dir, "corpus.txt");
        File.WriteAllText(file, SampleText());
        var model = Path.Combine(dir, "chars.safetensors");
        var train = Run("train", "text", "--file", file, "--hidden", "32", "--epochs", "1", "--steps-per-epoch", "5", "--batch", "4", "--checkpoint", model, "--out", dir);
        Assert.That(train.Code, Is.EqualTo(0), train.Error);
        Assert.That(train.Out, Does.Contain("held-out nats/char"));

        var greedy = Run("sample", "--model", model, "--prompt", "the ", "--length", "40", "--temperature", "0");
        Assert.That(greedy.Code, Is.EqualTo(0), greedy.Error);
        Assert.That(greedy.Out, Does.StartWith("the "));
        var topK = Run("sample", "--model", model, "--prompt", "the ", "--length", "40", "--temperature", "1.2", "--top-k", "5", "--seed", "3");
        Assert.That(topK.Code, Is.EqualTo(0), topK.Error);

        var inspect = Run("inspect", "--model", model, "--text", "the cat sat.", "--output", Path.Combine(dir, "gates.svg"));
        Assert.That(inspect.Code, Is.EqualTo(0), inspect.Error);
        AssertPicture(Path.Combine(dir, "gates"));
        Assert.That(inspect.Out, Does.Contain("most forgetting at"));
    }

    [Test]
    public void Text_WordsMode_ReportsNatsPerWordAndSamples()
    {
        var dir = TempDirectory();
        var file = Path.Combine(dir, "corpus.txt");
        File.WriteAllText(file, SampleText());
        var model = Path.Combine(dir, "words.safetensors");
        var train = Run("train", "text", "--file", file, "--mode", "words", "--hidden", "32", "--epochs", "1", "--steps-per-epoch", "3", "--batch", "4", "--checkpoint", model, "--out", dir);
        Assert.That(train.Code, Is.EqualTo(0), train.Error);
        Assert.That(train.Out, Does.Contain("held-out nats/word"));
        var sample = Run("sample", "--model", model, "--prompt", "the cat", "--length", "5", "--temperature", "0");
        Assert.That(sample.Code, Is.EqualTo(0), sample.Error);
    }

    [Test]
    public void Train_TimeAlone_TrainsForThatLong()
    {
        var result = Run("train", "adding", "--length", "5", "--batch", "2", "--time", "1.5", "--out", TempDirectory());
        Assert.That(result.Code, Is.EqualTo(0), result.Error);
        Assert.That(result.Out, Does.Contain("budget: 1.5 s;"));
        var seconds = double.Parse(System.Text.RegularExpressions.Regex.Match(result.Out, @"trained \d+ steps in ([0-9.]+) s").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(seconds, Is.GreaterThanOrEqualTo(1.5));
    }

    [Test]
    public void Train_TimeAndEpochs_StopAtWhicheverEndsFirst()
    {
        var result = Run("train", "adding", "--length", "5", "--batch", "2", "--time", "60", "--epochs", "1", "--steps-per-epoch", "2", "--out", TempDirectory());
        Assert.That(result.Code, Is.EqualTo(0), result.Error);
        Assert.That(result.Out, Does.Contain("1 epochs × 2 steps or 60 s, whichever ends first"));
        Assert.That(result.Out, Does.Contain("trained 2 steps"));
    }

    [Test]
    public void Train_Cancelled_SavesCheckpointAndExits130()
    {
        var dir = TempDirectory();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var result = Run(cancel.Token, "train", "forecast", "--epochs", "5", "--out", dir);
        Assert.That(result.Code, Is.EqualTo(Cli.Cancelled));
        Assert.That(result.Out, Does.Contain("stopped by Ctrl+C"));
        Assert.That(ModelFile.Load(Path.Combine(dir, "forecast.safetensors")).Task, Is.EqualTo("forecast"));
    }

    [Test]
    public void Bench_Quick_PrintsTable()
    {
        var result = Run("bench", "--seconds", "0.01");
        Assert.That(result.Code, Is.EqualTo(0), result.Error);
        Assert.That(result.Out, Does.Contain("Std64x64"));
    }

    /// <summary>
    /// inspect draws the kernel's own gates: each heatmap panel holds the gate the generated kernel computed at that
    /// (unit, step), and the traced h equals the network's inference output, for every variant the program declares.
    /// </summary>
    [TestCase("standard")]
    [TestCase("peephole")]
    [TestCase("layernorm")]
    [TestCase("forgetbias")]
    public void InspectHeatmap_ShowsTheKernelsGates(string cell)
    {
        const int vocabulary = 7, d = CellCatalog.InputFeatures, h = 32;
        var network = ModelFile.BuildNetwork(b => b.Embedding(vocabulary, d), cell, d, h, 1, bidirectional: false, vocabulary, seed: 4);
        var ids = new[] { 1, 5, 2, 6, 0, 3, 3, 4 };
        var trace = InspectCommand.Run(network, ids);
        var panels = InspectCommand.Panels(trace);

        var x = new float[ids.Length * d];
        for (var t = 0; t < ids.Length; t++)
            network.Embedding!.Weight.Slice(ids[t] * d, d).CopyTo(x.AsSpan(t * d));
        var kernel = network.Lstm.Layers[0].TraceGates(x, ids.Length, batch: 1);
        var output = new float[ids.Length * h];
        network.Lstm.Forward(x, new SequenceShape(ids.Length, 1), output, training: false);
        Assert.That(panels.Select(p => p.Name), Is.EqualTo(new[] { "input gate i", "forget gate f", "output gate o", "tanh(cell c)" }));
        for (var t = 0; t < ids.Length; t++)
        {
            for (var u = 0; u < h; u++)
            {
                Assert.That(panels[0].Values[u, t], Is.EqualTo(kernel.InputGate(t, 0)[u]), $"i at step {t}, unit {u}");
                Assert.That(panels[1].Values[u, t], Is.EqualTo(kernel.ForgetGate(t, 0)[u]), $"f at step {t}, unit {u}");
                Assert.That(panels[2].Values[u, t], Is.EqualTo(kernel.OutputGate(t, 0)[u]), $"o at step {t}, unit {u}");
                Assert.That(panels[3].Values[u, t], Is.EqualTo(Math.Tanh(kernel.Cell(t, 0)[u])), $"tanh(c) at step {t}, unit {u}");
                Assert.That(trace.H[u, t], Is.EqualTo(output[t * h + u]), $"h at step {t}, unit {u}");
            }
        }
    }
}
