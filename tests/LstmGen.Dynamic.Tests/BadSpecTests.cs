using System;
using NUnit.Framework;

namespace LstmGen.Dynamic.Tests;

/// <summary>Sizes are checked before anything runs; the generator's diagnostics arrive with their LSTM ID.</summary>
public class BadSpecTests
{
    [TestCase(0, 5, "inputSize", "input size D")]
    [TestCase(4097, 5, "inputSize", "input size D")]
    [TestCase(3, 0, "hiddenSize", "hidden size H")]
    [TestCase(3, 5000, "hiddenSize", "hidden size H")]
    public void SizesOutsideTheRange_AreRefused(int d, int h, string parameter, string named)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LstmCellSpec(d, h))!;
        Assert.That(e.ParamName, Is.EqualTo(parameter));
        Assert.That(e.Message, Does.Contain(named).And.Contain("between 1 and 4096"));
    }

    [TestCase(-1.0, "LSTM0006", "Clip")]
    [TestCase(double.NaN, "LSTM0006", "Clip")]
    public void AnInvalidOption_ArrivesAsTheGeneratorsDiagnostic(double clip, string id, string named)
    {
        var compiler = new LstmCellCompiler(new LstmCellCompilerOptions { UseDiskCache = false });
        var spec = new LstmCellSpec(2, 2, LstmCellVariant.Standard with { Clip = clip });
        var e = Assert.Throws<LstmCellCompilationException>(() => compiler.GetCell(spec))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.DiagnosticId, Is.EqualTo(id));
            Assert.That(e.DiagnosticMessage, Does.Contain(named));
            Assert.That(e.Message, Does.Contain(id).And.Contain("2x2"));
            Assert.That(e.Spec, Is.EqualTo(spec));
            Assert.That(compiler.CompilationCount, Is.EqualTo(0));
        });
        Assert.Throws<LstmCellCompilationException>(() => compiler.GetCell(spec), "a failure is not cached as a success");
    }

    [Test]
    public void ANonPositiveLayerNormEpsilon_ArrivesAsTheGeneratorsDiagnostic()
    {
        var compiler = new LstmCellCompiler(new LstmCellCompilerOptions { UseDiskCache = false });
        var spec = new LstmCellSpec(2, 2, LstmCellVariant.Standard with { LayerNorm = true, LayerNormEpsilon = 0 });
        var e = Assert.Throws<LstmCellCompilationException>(() => compiler.GetCell(spec))!;
        Assert.That(e.DiagnosticId, Does.StartWith("LSTM"));
        Assert.That(e.DiagnosticMessage, Does.Contain("Epsilon"));
    }
}
