using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using static LstmGen.Cli.Tests.CliRunner;

namespace LstmGen.Cli.Tests;

/// <summary>Sizes and variants without a declared cell (compiled on first use), and <c>run</c> on our models and PyTorch's.</summary>
public class AnySizeTests
{
    private static string Fixture(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "specs", "lstm-model", name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("specs/lstm-model/" + name);
    }

    [Test]
    public void Train_AnyHiddenSizeAndVariantCombination_Bidirectional_ThenRunTheModel()
    {
        var dir = TempDirectory();
        var model = Path.Combine(dir, "copy.safetensors");
        var train = Run("train", "copy", "--hidden", "20", "--cell", "peephole+cifg", "--layers", "2", "--bidirectional",
            "--epochs", "1", "--steps-per-epoch", "2", "--batch", "4", "--checkpoint", model, "--out", dir);
        Assert.That(train.Code, Is.EqualTo(0), train.Error);
        Assert.That(train.Out, Does.Contain("2 × bidirectional peephole+cifg LSTM, input 16, hidden 20"));
        Assert.That(train.Out, Does.Contain("compiling LSTM cell 16x20 peephole+cifg").And.Contain("compiling LSTM cell 40x20 peephole+cifg"));

        var ids = Path.Combine(dir, "ids.csv");
        File.WriteAllText(ids, "token\n1\n2\n3\n0\n5\n");
        var run = Run("run", model, "--input", ids);
        Assert.That(run.Code, Is.EqualTo(0), run.Error);
        var rows = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(rows, Has.Length.EqualTo(5), "one row per step");
        Assert.That(rows.Select(r => r.Split(',').Length), Is.All.EqualTo(8), "one column per copy-task symbol");
    }

    [Test]
    public void ATextModelOfAnySize_TrainsSamplesAndInspects()
    {
        var dir = TempDirectory();
        var file = Path.Combine(dir, "text.txt");
        File.WriteAllText(file, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 12)));
        var model = Path.Combine(dir, "text.safetensors");
        var train = Run("train", "text", "--file", file, "--hidden", "24", "--input", "12", "--epochs", "1", "--steps-per-epoch", "2",
            "--batch", "2", "--checkpoint", model, "--out", dir);
        Assert.That(train.Code, Is.EqualTo(0), train.Error);
        Assert.That(train.Out, Does.Contain("input 12, hidden 24"));
        var sample = Run("sample", "--model", model, "--prompt", "the ", "--length", "20");
        Assert.That(sample.Code, Is.EqualTo(0), sample.Error);
        var picture = Path.Combine(dir, "gates");
        var inspect = Run("inspect", "--model", model, "--text", "the fox", "--output", picture);
        Assert.That(inspect.Code, Is.EqualTo(0), inspect.Error);
        AssertPicture(picture);
    }

    [Test]
    public void Run_APyTorchStateDict_GivesPyTorchsOutputs_ToAFileOrStandardOutput()
    {
        var expected = File.ReadAllLines(Fixture("forecaster-out.csv")).Select(Numbers).ToArray();
        var toStdout = Run("run", Fixture("forecaster.safetensors"), "--input", Fixture("forecaster.csv"));
        Assert.That(toStdout.Code, Is.EqualTo(0), toStdout.Error);
        AssertClose(toStdout.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Numbers).ToArray(), expected);

        var output = Path.Combine(TempDirectory(), "out", "y.csv");
        var toFile = Run("run", Fixture("forecaster.safetensors"), "--input", Fixture("forecaster.csv"), "--output", output);
        Assert.That(toFile.Code, Is.EqualTo(0), toFile.Error);
        Assert.That(toFile.Out, Does.Contain("safetensors model (3x7 standard, 7x7 standard, linear head): 6 steps"));
        AssertClose(File.ReadAllLines(output).Select(Numbers).ToArray(), expected);
    }

    [Test]
    public void Run_AnOnnxModelExportedByPyTorch_GivesPyTorchsOutputs()
    {
        // specs/onnx/fixtures/lstm_head: torch.onnx.export of an LSTM(3, …) with a linear head, x [T=5, B=2, 3] time-major.
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixture("../onnx/fixtures/lstm_head.json"))).RootElement;
        var x = json.GetProperty("input").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var y = json.GetProperty("output").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        const int steps = 5, batch = 2, d = 3, o = 2;
        var csv = Path.Combine(TempDirectory(), "x.csv");
        File.WriteAllLines(csv, Enumerable.Range(0, steps).Select(t => string.Join(",", x.Skip(t * batch * d).Take(d).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        var run = Run("run", Fixture("../onnx/fixtures/lstm_head.onnx"), "--input", csv);
        Assert.That(run.Code, Is.EqualTo(0), run.Error);
        var expected = Enumerable.Range(0, steps).Select(t => y.Skip(t * batch * o).Take(o).ToArray()).ToArray();
        AssertClose(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Numbers).ToArray(), expected);
    }

    [Test]
    public void Export_APyTorchStateDict_ToOnnx_RunsToPyTorchsOutputs()
    {
        var onnx = Path.Combine(TempDirectory(), "onnx", "forecaster.onnx");
        var export = Run("export", Fixture("forecaster.safetensors"), "--onnx", onnx);
        Assert.That(export.Code, Is.EqualTo(0), export.Error);
        Assert.That(export.Out, Does.Contain("safetensors model (3x7 standard, 7x7 standard, linear head) → ").And.Contain("(ONNX, opset 14,"));
        var run = Run("run", onnx, "--input", Fixture("forecaster.csv"));
        Assert.That(run.Code, Is.EqualTo(0), run.Error);
        AssertClose(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Numbers).ToArray(),
            File.ReadAllLines(Fixture("forecaster-out.csv")).Select(Numbers).ToArray());
    }

    [Test]
    public void Export_WithoutOnnxPath_IsAUsageError()
        => Assert.That(Run("export", Fixture("forecaster.safetensors")).Code, Is.Not.EqualTo(0));

    [Test]
    public void BadRunInput_IsOneLineNamingTheProblem()
    {
        // Once successfully first, so the model's cells are compiled and no status line precedes the error lines.
        Assert.That(Run("run", Fixture("forecaster.safetensors"), "--input", Fixture("forecaster.csv")).Code, Is.EqualTo(0));
        var dir = TempDirectory();
        var wide = Path.Combine(dir, "wide.csv");
        File.WriteAllText(wide, "1,2,3,4\n5,6,7,8\n");
        AssertBadInput(Run("run", Fixture("forecaster.safetensors"), "--input", wide), "4 columns", "takes 3 features");
        var ragged = Path.Combine(dir, "ragged.csv");
        File.WriteAllText(ragged, "1,2,3\n5,x,7\n");
        AssertBadInput(Run("run", Fixture("forecaster.safetensors"), "--input", ragged), "line 2, column 2", "'x'");
        var onnx = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(onnx, new byte[] { 8, 7 });
        AssertBadInput(Run("run", onnx, "--input", wide), "model.onnx");
        AssertBadInput(Run("run", Path.Combine(dir, "model.h5"), "--input", wide), "not found");
        File.WriteAllBytes(Path.Combine(dir, "model.h5"), new byte[] { 1 });
        AssertBadInput(Run("run", Path.Combine(dir, "model.h5"), "--input", wide), "'.h5'", ".onnx");
        AssertBadInput(Run("run", Path.Combine(dir, "none.safetensors"), "--input", wide), "not found");
    }

    [Test]
    public void BadCellOptions_AreOneLineNamingTheProblem()
    {
        AssertBadInput(Run("train", "adding", "--cell", "clip=-1", "--hidden", "5", "--epochs", "1"), "LSTM0006", "Clip");
        AssertBadInput(Run("train", "adding", "--cell", "clip"), "'clip' needs a value");
        AssertBadInput(Run("train", "forecast", "--input", "8"), "--input applies to text and copy");
    }

    private static double[] Numbers(string line) => line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static void AssertClose(double[][] actual, double[][] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (var t = 0; t < expected.Length; t++)
            Assert.That(actual[t], Is.EqualTo(expected[t]).Within(1e-5), $"step {t + 1}");
    }
}

/// <summary>The copy task's default recipe solves delay 10 (about 20 s of training: Slow, outside CI's budget).</summary>
[Category("Slow")]
public class CopyTaskRecipeTests
{
    [Test]
    public void TheDefaults_ReachNinetyNinePercent()
    {
        var dir = TempDirectory();
        var train = Run("train", "copy", "--out", dir);
        Assert.That(train.Code, Is.EqualTo(0), train.Error);
        var line = train.Out.Split('\n').Single(l => l.StartsWith("copy (delay 10): test accuracy ", StringComparison.Ordinal));
        var accuracy = double.Parse(line.Split("test accuracy ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.That(accuracy, Is.GreaterThanOrEqualTo(99.0), line);
    }
}
