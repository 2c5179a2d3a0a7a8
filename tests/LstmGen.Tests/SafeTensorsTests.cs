using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using LstmGen.IO;
using LstmGen.Layers;
using LstmGen.Testing;
using LstmGen.Training;
using NUnit.Framework;
using static LstmGen.Tests.NetworkTestSupport;

namespace LstmGen.Tests;

/// <summary>Weights in and out: files written by PyTorch (specs/make_network_golden.py), our own round trip, malformed files.</summary>
public class SafeTensorsTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "lstmgen-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>The Tagger module of make_network_golden.py: embedding(11, 3) → 2-layer bidirectional LSTM(3, 4) → linear(8, 5).</summary>
    private static LstmNetwork<float> Tagger(int seed, NetworkInitialization initialization)
        => new LstmNetworkBuilder<float>().Embedding(11, 3).Lstm<Net3x4>(bidirectional: true).Lstm<Net8x4>(bidirectional: true).Linear(5)
            .Build(seed, initialization);

    private static float[] Snapshot(IParameterized<float> model) => model.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();

    [Test]
    public void PyTorchStateDict_LoadsIntoAStack_Exactly()
    {
        var golden = NetworkGolden.Load(Path.Combine(NetworkGoldenFolder, "bilstm2_3x4_T5_B3.json"));
        var stack = StackFor<double>(golden);
        ModelWeights.Load(Path.Combine(NetworkGoldenFolder, "bilstm2_3x4.safetensors"), stack);
        foreach (var tensor in stack.Parameters)
            Assert.That(tensor.Value.ToArray(), Is.EqualTo(golden.Params[tensor.Name]), tensor.Name);
        var shape = new SequenceShape(golden.Steps, golden.Batch);
        var output = new double[golden.Output.Length];
        stack.Forward(golden.X, shape, golden.H0, golden.C0, output, new double[golden.HN.Length], new double[golden.CN.Length], training: false);
        Assert.That(Normwise.RelativeError(output, golden.Output), Is.LessThanOrEqualTo(1e-10));
    }

    [Test]
    public void PyTorchModule_LoadsIntoANetwork_AndComputesPyTorchsLogits()
    {
        var network = Tagger(0, NetworkInitialization.Zeros);
        var file = SafeTensorsFile.Read(Path.Combine(NetworkGoldenFolder, "tagger_f32.safetensors"));
        Assert.That(file.Metadata["format"], Is.EqualTo("pt"));
        Assert.That(file.Tensors.Select(t => t.Name), Is.EqualTo(network.Parameters.Select(p => p.Name)), "PyTorch's state-dict names and order");
        ModelWeights.Load(file, network.Parameters);

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(NetworkGoldenFolder, "tagger_f32.json")));
        var root = document.RootElement;
        int steps = root.GetProperty("steps").GetInt32(), batch = root.GetProperty("batch").GetInt32();
        var shape = new SequenceShape(steps, batch, SequenceLayout.TimeMajor, NetworkGolden.Ints(root.GetProperty("lengths")));
        var logits = new float[shape.Rows * 5];
        network.Forward(NetworkGolden.Ints(root.GetProperty("tokens")), shape, logits, training: false);
        Assert.That(Normwise.RelativeError(logits, NetworkGolden.Doubles(root.GetProperty("logits"))), Is.LessThanOrEqualTo(1e-5));
    }

    [Test]
    public void APrefix_LoadsTheLstmOutOfAWholeModuleFile()
    {
        var stack = new LstmStack<float>(new RecurrentLayer<float>[] { new LstmLayer<Net3x4, float>(true), new LstmLayer<Net8x4, float>(true) });
        ModelWeights.Load(Path.Combine(NetworkGoldenFolder, "tagger_f32.safetensors"), stack, new WeightLoadOptions { Prefix = "lstm." });
        var network = Tagger(0, NetworkInitialization.Zeros);
        ModelWeights.Load(Path.Combine(NetworkGoldenFolder, "tagger_f32.safetensors"), network);
        Assert.That(Snapshot(stack), Is.EqualTo(Snapshot(network.Lstm)));
    }

    [Test]
    public void RoundTrip_IsBitIdentical_FloatAndDouble()
    {
        var network = Tagger(42, NetworkInitialization.Default);
        var path = Path.Combine(_folder, "tagger.safetensors");
        ModelWeights.Save(path, network, new Dictionary<string, string> { ["note"] = "round trip" });
        var copy = Tagger(7, NetworkInitialization.Zeros);
        ModelWeights.Load(path, copy);
        Assert.That(Snapshot(copy), Is.EqualTo(Snapshot(network)));
        Assert.That(SafeTensorsFile.Read(path).Metadata["note"], Is.EqualTo("round trip"));

        var stack = new LstmStack<double>(new RecurrentLayer<double>[] { new LstmLayer<Net3x4, double>(true), new LstmLayer<Net8x4, double>(false) });
        stack.InitializeDefault(new Random(3));
        var doublePath = Path.Combine(_folder, "stack.safetensors");
        ModelWeights.Save(doublePath, stack);
        var stackCopy = new LstmStack<double>(new RecurrentLayer<double>[] { new LstmLayer<Net3x4, double>(true), new LstmLayer<Net8x4, double>(false) });
        ModelWeights.Load(doublePath, stackCopy);
        Assert.That(stackCopy.Parameters.SelectMany(p => p.Value.ToArray()), Is.EqualTo(stack.Parameters.SelectMany(p => p.Value.ToArray())));
        Assert.That(SafeTensorsFile.Read(doublePath).Tensors.Select(t => t.Name), Does.Contain("weight_hh_l0_reverse").And.Contain("bias_ih_l1"));
    }

    [Test]
    public void OurFile_LoadsInPyTorch_AndGivesOurLogits()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python) || Run(python, "-c \"import torch, numpy\"").ExitCode != 0)
            Assert.Ignore("/usr/bin/python3 with torch and numpy is not available; the C# round trip still runs.");
        var network = Tagger(5, NetworkInitialization.Default);
        var path = Path.Combine(_folder, "ours.safetensors");
        ModelWeights.Save(path, network);
        int steps = 6, batch = 3;
        int[] lengths = { 6, 3, 4 };
        var random = new Random(1);
        var tokens = Enumerable.Range(0, steps * batch).Select(_ => random.Next(11)).ToArray();
        var shape = new SequenceShape(steps, batch, SequenceLayout.TimeMajor, lengths);
        var logits = new float[shape.Rows * 5];
        network.Forward(tokens, shape, logits, training: false);
        var casePath = Path.Combine(_folder, "case.json");
        File.WriteAllText(casePath, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["vocabulary"] = 11, ["embeddingDim"] = 3, ["hiddenSize"] = 4, ["numLayers"] = 2, ["bidirectional"] = true, ["classes"] = 5,
            ["steps"] = steps, ["batch"] = batch, ["lengths"] = lengths, ["tokens"] = tokens,
            ["logits"] = logits.Select(v => (double)v).ToArray(), ["tolerance"] = 1e-5,
        }));
        var result = Run(python, $"\"{Path.Combine(Paths.RepositoryRoot, "specs", "check_safetensors.py")}\" \"{path}\" \"{casePath}\"");
        TestContext.Out.WriteLine(result.Output);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output);
    }

    private static (int ExitCode, string Output) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    // ---------------------------------------------------------------- malformed files

    private string SaveTagger(Action<SafeTensorsWriter, ParameterTensor<float>>? each = null, Action<SafeTensorsWriter>? after = null)
    {
        var source = Tagger(9, NetworkInitialization.Default);
        var writer = new SafeTensorsWriter();
        foreach (var p in source.Parameters)
        {
            if (each is null) writer.Add<float>(p.Name, p.Shape, p.Value.Span);
            else each(writer, p);
        }
        after?.Invoke(writer);
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".safetensors");
        writer.Save(path);
        return path;
    }

    /// <summary>Loading <paramref name="path"/> fails with a message containing every fragment, and the model is untouched.</summary>
    private static SafeTensorsException AssertRejected(string path, params string[] fragments)
    {
        var target = Tagger(1, NetworkInitialization.Default);
        var before = Snapshot(target);
        var error = Assert.Throws<SafeTensorsException>(() => ModelWeights.Load(path, target))!;
        foreach (var fragment in fragments) Assert.That(error.Message, Does.Contain(fragment));
        Assert.That(Snapshot(target), Is.EqualTo(before), "nothing is half-loaded");
        return error;
    }

    [Test]
    public void WrongShape_IsRejected_NamingTheTensorAndTheShapes()
    {
        var path = SaveTagger((w, p) =>
        {
            if (p.Name == "lstm.weight_ih_l1") w.Add<float>(p.Name, new[] { 16, 4 }, new float[64]);
            else w.Add<float>(p.Name, p.Shape, p.Value.Span);
        });
        var error = AssertRejected(path, "tensor 'lstm.weight_ih_l1' has shape [16, 4], expected [16, 8]");
        Assert.That(error.TensorName, Is.EqualTo("lstm.weight_ih_l1"));
    }

    [Test]
    public void WrongDType_IsRejected()
    {
        var path = SaveTagger((w, p) =>
        {
            if (p.Name == "head.weight") w.Add<double>(p.Name, p.Shape, p.Value.ToArray().Select(v => (double)v).ToArray());
            else w.Add<float>(p.Name, p.Shape, p.Value.Span);
        });
        AssertRejected(path, "tensor 'head.weight' has dtype F64, expected F32");

        // With conversion allowed the same file loads (F64 → F32).
        var target = Tagger(1, NetworkInitialization.Zeros);
        ModelWeights.Load(path, target, new WeightLoadOptions { AllowPrecisionConversion = true });
        Assert.That(target.Head!.Weight.ToArray(), Is.EqualTo(Tagger(9, NetworkInitialization.Default).Head!.Weight.ToArray()));

        // A dtype that is not a float at all: patch "F32" of the embedding into "I32" (same size, so the file stays valid).
        var bytes = File.ReadAllBytes(SaveTagger());
        var header = Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes, 0));
        var at = header.IndexOf("\"embedding.weight\":{\"dtype\":\"F32\"", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0));
        bytes[8 + at + "\"embedding.weight\":{\"dtype\":\"".Length] = (byte)'I';
        var patched = Path.Combine(_folder, "i32.safetensors");
        File.WriteAllBytes(patched, bytes);
        AssertRejected(patched, "tensor 'embedding.weight' has dtype I32, expected F32.");
    }

    [Test]
    public void MissingAndExtraTensors_AreAllReported()
    {
        var path = SaveTagger((w, p) =>
        {
            if (p.Name != "head.bias" && p.Name != "lstm.bias_hh_l0_reverse") w.Add<float>(p.Name, p.Shape, p.Value.Span);
        }, w => w.Add<float>("lstm.weight_hr_l0", new[] { 4, 4 }, new float[16]));
        var error = AssertRejected(path,
            "missing tensor 'lstm.bias_hh_l0_reverse' (expected F32 [16])",
            "missing tensor 'head.bias' (expected F32 [5])",
            "unexpected tensor 'lstm.weight_hr_l0' (F32 [4, 4]): the model has no tensor of that name");
        Assert.That(error.Problems, Has.Count.EqualTo(3));
    }

    [Test]
    public void TruncatedFiles_AreRejected()
    {
        var bytes = File.ReadAllBytes(SaveTagger());
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);

        var cutData = Path.Combine(_folder, "cut.safetensors");
        File.WriteAllBytes(cutData, bytes[..(bytes.Length - 10)]);
        AssertRejected(cutData, "tensor 'head.bias': data_offsets", "run past the end of the data section", "truncated");

        var cutHeader = Path.Combine(_folder, "cut-header.safetensors");
        File.WriteAllBytes(cutHeader, bytes[..(8 + headerLength / 2)]);
        AssertRejected(cutHeader, $"the header length is {headerLength} bytes but only {headerLength / 2} bytes follow: the file is truncated");

        var tiny = Path.Combine(_folder, "tiny.safetensors");
        File.WriteAllBytes(tiny, bytes[..5]);
        AssertRejected(tiny, "the file has 5 bytes, fewer than the 8-byte header length");
    }

    [Test]
    public void BrokenHeaders_AreRejected()
    {
        var bytes = File.ReadAllBytes(SaveTagger());
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);

        var notJson = (byte[])bytes.Clone();
        notJson[8] = (byte)'[';
        var notJsonPath = Path.Combine(_folder, "not-json.safetensors");
        File.WriteAllBytes(notJsonPath, notJson);
        AssertRejected(notJsonPath, "the header is not valid JSON");

        var huge = (byte[])bytes.Clone();
        BitConverter.GetBytes(5_000_000_000UL).CopyTo(huge, 0);
        var hugePath = Path.Combine(_folder, "huge.safetensors");
        File.WriteAllBytes(hugePath, huge);
        AssertRejected(hugePath, "more than the format's limit", "not a safetensors file");

        // Data offsets that do not match the shape: claim the embedding is [11, 4].
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        var wrongSpan = header.Replace("\"shape\":[11,3]", "\"shape\":[11,4]", StringComparison.Ordinal);
        Assert.That(wrongSpan, Is.Not.EqualTo(header));
        var wrongSpanPath = Path.Combine(_folder, "span.safetensors");
        File.WriteAllBytes(wrongSpanPath, bytes[..8].Concat(Encoding.UTF8.GetBytes(wrongSpan)).Concat(bytes[(8 + headerLength)..]).ToArray());
        AssertRejected(wrongSpanPath, "tensor 'embedding.weight': shape [11, 4] of F32 needs 176 bytes, but data_offsets [0, 132] span 132");

        var trailing = Path.Combine(_folder, "trailing.safetensors");
        File.WriteAllBytes(trailing, bytes.Concat(new byte[] { 1, 2, 3 }).ToArray());
        AssertRejected(trailing, "3 stray bytes at the end");
    }

    [Test]
    public void FailedWrite_LeavesTheOldFileAndNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "model.safetensors");
        File.WriteAllText(path, "old content");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new IOException("disk full (simulated)");
        }));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old content"));
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }));
    }
}
