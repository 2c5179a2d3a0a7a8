using System;
using System.IO;
using LstmGen.IO;
using NUnit.Framework;

namespace LstmGen.Dynamic.Tests;

/// <summary>Files LstmModel cannot use are refused with a message that names the problem; nothing is compiled or returned.</summary>
public class HostileModelFileTests
{
    private TemporaryFolder _folder = null!;

    [SetUp]
    public void Create() => _folder = new TemporaryFolder();

    [TearDown]
    public void Delete() => _folder.Dispose();

    [Test]
    public void ATruncatedFile_IsRefusedByTheSafeTensorsReader()
    {
        var bytes = File.ReadAllBytes(Fixtures.LstmModel("forecaster.safetensors"));
        var path = Write("truncated.safetensors", bytes[..(bytes.Length - 10)]);
        Assert.Throws<SafeTensorsException>(() => LstmModel.Load(path, Options()));
    }

    [Test]
    public void AFileWithoutAnLstm_SaysSoAndListsItsTensors()
    {
        var path = Save("linear.safetensors", w => w.Add<float>("fc.weight", new[] { 2, 3 }, new float[6]));
        var e = Assert.Throws<SafeTensorsException>(() => LstmModel.Load(path, Options()))!;
        Assert.That(e.Message, Does.Contain("no nn.LSTM weights").And.Contain("fc.weight"));
    }

    [Test]
    public void ARecurrentWeightOfTheWrongShape_IsNamed()
    {
        var path = Save("shape.safetensors", w => Lstm(w, "lstm.", 0, d: 3, h: 4, hhColumns: 5));
        var e = Assert.Throws<SafeTensorsException>(() => LstmModel.Load(path, Options()))!;
        Assert.That(e.Message, Does.Contain("lstm.weight_hh_l0").And.Contain("[16, 4]"));
    }

    [Test]
    public void AMissingLayer_IsNamed()
    {
        var path = Save("gap.safetensors", w =>
        {
            Lstm(w, "", 0, d: 3, h: 4);
            Lstm(w, "", 2, d: 4, h: 4);
        });
        var e = Assert.Throws<SafeTensorsException>(() => LstmModel.Load(path, Options()))!;
        Assert.That(e.Message, Does.Contain("not numbered 0 … 2"));
    }

    [Test]
    public void AHiddenSizeAboveTheLimit_IsRefusedBeforeCompiling()
    {
        var compiler = new LstmCellCompiler(new LstmCellCompilerOptions { UseDiskCache = false });
        var path = Save("huge.safetensors", w => Lstm(w, "", 0, d: 1, h: 4097));
        var e = Assert.Throws<SafeTensorsException>(() => LstmModel.Load(path, new LstmModelOptions { Compiler = compiler }))!;
        Assert.That(e.Message, Does.Contain("1×4097").And.Contain("1 … 4096"));
        Assert.That(compiler.CompilationCount, Is.EqualTo(0));
    }

    [Test]
    public void ProjectionsAndMissingBiases_AreNamedAsUnsupported()
    {
        var projected = Save("proj.safetensors", w =>
        {
            Lstm(w, "", 0, d: 2, h: 3);
            w.Add<float>("weight_hr_l0", new[] { 2, 3 }, new float[6]);
        });
        Assert.That(Assert.Throws<SafeTensorsException>(() => LstmModel.Load(projected, Options()))!.Message, Does.Contain("proj_size"));
        var unbiased = Save("nobias.safetensors", w =>
        {
            w.Add<float>("weight_ih_l0", new[] { 12, 2 }, new float[24]);
            w.Add<float>("weight_hh_l0", new[] { 12, 3 }, new float[36]);
        });
        Assert.That(Assert.Throws<SafeTensorsException>(() => LstmModel.Load(unbiased, Options()))!.Message, Does.Contain("bias=False"));
    }

    [Test]
    public void AnUnrelatedExtraTensor_IsAnError_UnlessAllowed()
    {
        var path = Save("extra.safetensors", w =>
        {
            Lstm(w, "", 0, d: 2, h: 3);
            w.Add<float>("step_count", new[] { 1 }, new float[1]);
        });
        var e = Assert.Throws<SafeTensorsException>(() => LstmModel.Load(path, Options()))!;
        Assert.That(e.Message, Does.Contain("step_count"));
        Assert.That(LstmModel.Load(path, Options() with { AllowExtraTensors = true }).OutputSize, Is.EqualTo(3));
    }

    private static LstmModelOptions Options() => new() { Compiler = SharedCompiler.Instance };

    /// <summary>The four nn.LSTM tensors of one layer (W_hh with <paramref name="hhColumns"/> columns, default H).</summary>
    private static void Lstm(SafeTensorsWriter writer, string prefix, int layer, int d, int h, int? hhColumns = null)
    {
        var columns = hhColumns ?? h;
        writer.Add<float>($"{prefix}weight_ih_l{layer}", new[] { 4 * h, d }, new float[4 * h * d]);
        writer.Add<float>($"{prefix}weight_hh_l{layer}", new[] { 4 * h, columns }, new float[4 * h * columns]);
        writer.Add<float>($"{prefix}bias_ih_l{layer}", new[] { 4 * h }, new float[4 * h]);
        writer.Add<float>($"{prefix}bias_hh_l{layer}", new[] { 4 * h }, new float[4 * h]);
    }

    private string Save(string name, Action<SafeTensorsWriter> fill)
    {
        var writer = new SafeTensorsWriter();
        fill(writer);
        var path = Path.Combine(_folder.Path, name);
        writer.Save(path);
        return path;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
