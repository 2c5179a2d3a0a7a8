using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using LstmGen.Cli.Commands;
using LstmGen.Cli.Models;
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
        AssertSvg(Path.Combine(dir, "forecast-mackey-glass.svg"));
        AssertSvg(Path.Combine(dir, "loss-forecast.svg"));
        Assert.That(result.Out, Does.Contain(Path.Combine(dir, "forecast-mackey-glass.svg")));
        Assert.That(result.Out, Does.Contain("test MSE (last value)"));
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
        AssertSvg(Path.Combine(dir, $"loss-{task}.svg"));
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

        var svg = Path.Combine(dir, "gates.svg");
        var inspect = Run("inspect", "--model", model, "--text", "the cat sat.", "--output", svg);
        Assert.That(inspect.Code, Is.EqualTo(0), inspect.Error);
        AssertSvg(svg);
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

    /// <summary>inspect recomputes layer 0 by hand; its hidden states must equal the generated kernels' for every variant.</summary>
    [TestCase("standard")]
    [TestCase("peephole")]
    [TestCase("layernorm")]
    [TestCase("forgetbias")]
    public void InspectTrace_MatchesKernels(string cell)
    {
        const int vocabulary = 7;
        var network = ModelFile.BuildNetwork(b => b.Embedding(vocabulary, CellCatalog.InputFeatures), cell, 32, 1, vocabulary, seed: 4);
        var ids = new[] { 1, 5, 2, 6, 0, 3, 3, 4 };
        var trace = InspectCommand.Run(network, cell, ids);
        var x = new float[ids.Length * CellCatalog.InputFeatures];
        for (var t = 0; t < ids.Length; t++)
            network.Embedding!.Weight.Slice(ids[t] * CellCatalog.InputFeatures, CellCatalog.InputFeatures).CopyTo(x.AsSpan(t * CellCatalog.InputFeatures));
        var h = new float[ids.Length * 32];
        network.Lstm.Forward(x, new SequenceShape(ids.Length, 1), h, training: false);
        for (var t = 0; t < ids.Length; t++)
            for (var u = 0; u < 32; u++)
                Assert.That(trace.H[u, t], Is.EqualTo(h[t * 32 + u]).Within(1e-4), $"step {t}, unit {u}");
    }
}
