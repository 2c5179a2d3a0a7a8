using System.IO;
using NUnit.Framework;
using static LstmGen.Cli.Tests.CliRunner;

namespace LstmGen.Cli.Tests;

/// <summary>Bad input gives one line naming the problem, exit code 2 and no stack trace (unless --verbose).</summary>
public class BadInputTests
{
    [Test]
    public void MissingTextFile() =>
        AssertBadInput(Run("train", "text", "--file", "/nonexistent/nowhere.txt"), "not found", "/nonexistent/nowhere.txt");

    [Test]
    public void EmptyTextFile()
    {
        var file = Path.Combine(TempDirectory(), "empty.txt");
        File.WriteAllBytes(file, System.Array.Empty<byte>());
        AssertBadInput(Run("train", "text", "--file", file), "empty");
    }

    [Test]
    public void NonUtf8TextFile()
    {
        var file = Path.Combine(TempDirectory(), "latin1.txt");
        File.WriteAllBytes(file, new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x20, 0x6E, 0x6F, 0xEF, 0x72 });
        AssertBadInput(Run("train", "text", "--file", file), "not valid UTF-8", "offset 3");
    }

    [Test]
    public void HiddenSizeOutOfRange() => AssertBadInput(Run("train", "forecast", "--hidden", "5000"), "--hidden 5000", "1 to 4096");

    [Test]
    public void NegativeEpochs() => AssertBadInput(Run("train", "adding", "--epochs", "-3"), "--epochs -3", "negative");

    [Test]
    public void UnknownCellVariant() => AssertBadInput(Run("train", "copy", "--cell", "peephole+gru"), "'gru'", "standard, peephole, layernorm", "cifg", "clip=κ");

    [Test]
    public void UnknownTask() => AssertBadInput(Run("train", "translate"), "translate");

    [Test]
    public void NotANumber() => AssertBadInput(Run("train", "forecast", "--layers", "two"), "two");

    [Test]
    public void MissingModelFile() => AssertBadInput(Run("sample", "--model", "/nonexistent/model.safetensors"), "not found");

    [Test]
    public void ModelFileIsNotSafetensors()
    {
        var file = Path.Combine(TempDirectory(), "junk.safetensors");
        File.WriteAllText(file, "this is not a model");
        AssertBadInput(Run("sample", "--model", file), "not a safetensors model file");
    }

    [Test]
    public void ModelForAnotherTask()
    {
        var dir = TempDirectory();
        Assert.That(Run("train", "adding", "--length", "5", "--epochs", "1", "--steps-per-epoch", "1", "--batch", "2", "--out", dir).Code, Is.EqualTo(0));
        AssertBadInput(Run("sample", "--model", Path.Combine(dir, "adding.safetensors")), "adding model", "needs a text model");
    }

    [Test]
    public void ModelForAnotherArchitecture()
    {
        // Weights of a hidden-32 model whose metadata claims hidden 64: the tensors do not fit.
        var dir = TempDirectory();
        Assert.That(Run("train", "copy", "--hidden", "32", "--delay", "2", "--epochs", "1", "--steps-per-epoch", "1", "--batch", "2", "--out", dir).Code, Is.EqualTo(0));
        var path = Path.Combine(dir, "copy.safetensors");
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.Latin1.GetString(bytes).Replace("\"user.hidden\":\"32\"", "\"user.hidden\":\"64\"");
        Assert.That(text, Does.Contain("\"user.hidden\":\"64\""), "metadata layout changed; adjust the test");
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text));
        AssertBadInput(Run("inspect", "--model", path, "--text", "x"), "does not fit", "hidden 64");
    }

    [Test]
    public void PromptOutsideVocabulary()
    {
        var dir = TempDirectory();
        var file = Path.Combine(dir, "abc.txt");
        File.WriteAllText(file, string.Concat(System.Linq.Enumerable.Repeat("abc abc cab bac\n", 40)));
        var model = Path.Combine(dir, "m.safetensors");
        Assert.That(Run("train", "text", "--file", file, "--hidden", "32", "--epochs", "1", "--steps-per-epoch", "1", "--batch", "2", "--checkpoint", model).Code, Is.EqualTo(0));
        AssertBadInput(Run("sample", "--model", model, "--prompt", "xyz"), "'x' is not in the model's vocabulary");
    }

    [Test]
    public void Verbose_PrintsStackTrace()
    {
        var result = Run("train", "forecast", "--hidden", "5000", "--verbose");
        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("   at "));
    }
}
