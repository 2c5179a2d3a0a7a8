using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using LstmGen.Testing;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>Every file in specs/golden against the declared cell of the same size and variant.</summary>
public class GoldenVectorTests
{
    /// <summary>Every generated cell in this assembly, by its layout (sizes and variant).</summary>
    private static readonly Type[] DeclaredCells = typeof(GoldenVectorTests).Assembly.GetTypes()
        .Where(t => !t.ContainsGenericParameters && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILstmCell<>)))
        .ToArray();

    public static IEnumerable<TestCaseData> GoldenFiles()
        => Directory.GetFiles(Paths.GoldenFolder, "*.json").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileName(f)).SetName($"Golden({Path.GetFileName(f)})"));

    [Test]
    public void GoldenFolder_HasAtLeastSixFiles()
        => Assert.That(Directory.GetFiles(Paths.GoldenFolder, "*.json"), Has.Length.GreaterThanOrEqualTo(6));

    [TestCaseSource(nameof(GoldenFiles))]
    public void MatchesGolden(string fileName)
    {
        var golden = GoldenVector.Load(Path.Combine(Paths.GoldenFolder, fileName));
        var cell = DeclaredCells.FirstOrDefault(type => Matches(LayoutOf(type), golden));
        if (cell is null)
            Assert.Fail($"{fileName}: no declared cell for {golden.Variant} {golden.InputSize}x{golden.HiddenSize}; declare one in the test project (Cells.cs or VariantCells.cs).");
        typeof(GoldenVectorTests).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(cell!).Invoke(null, new object[] { golden });
    }

    private static LstmCellLayout LayoutOf(Type cell)
        => (LstmCellLayout)cell.GetProperty("Layout", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static bool Matches(LstmCellLayout layout, GoldenVector golden)
    {
        var v = layout.Variant;
        var g = golden.Variant;
        return layout.InputSize == golden.InputSize && layout.HiddenSize == golden.HiddenSize
            && v.Peephole == g.Peephole && v.LayerNorm == g.LayerNorm && v.ForgetBias == g.ForgetBias
            && v.CoupledInputForget == g.Cifg && v.Clip == g.Clip
            && (!v.LayerNorm || (v.LayerNormEpsilon == g.LnEps && v.LayerNormPerGate == g.LnPerGate));
    }

    private static void Check<TCell>(GoldenVector golden) where TCell : ILstmCell<TCell>
    {
        CheckDouble<TCell>(golden);
        CheckFloat<TCell>(golden);
    }

    private static void CheckDouble<TCell>(GoldenVector golden) where TCell : ILstmCell<TCell>
    {
        var problem = new LstmProblem<TCell>(golden.Steps, golden.Batch);
        foreach (var tensor in TCell.Layout.Tensors)
            golden.Parameters[tensor.Name].CopyTo(problem.Parameters.Tensor(tensor.Name));
        Assert.That(golden.Parameters.Keys, Is.EquivalentTo(TCell.Layout.Tensors.Select(t => t.Name)), "parameter tensors");
        golden.X.CopyTo(problem.X, 0);
        golden.H0.CopyTo(problem.H0, 0);
        golden.C0.CopyTo(problem.C0, 0);
        golden.UpstreamOutput.CopyTo(problem.OutputWeights, 0);
        golden.UpstreamHT.CopyTo(problem.HTWeights, 0);
        golden.UpstreamCT.CopyTo(problem.CTWeights, 0);

        var h = TCell.HiddenSize;
        var output = new double[golden.Steps * golden.Batch * h];
        var hT = new double[golden.Batch * h];
        var cT = new double[golden.Batch * h];
        Lstm.Forward(problem.Parameters, golden.Steps, golden.Batch, golden.X, golden.H0, golden.C0, output, hT, cT);
        Assert.Multiple(() =>
        {
            Assert.That(Normwise.RelativeError(output, golden.Output), Is.LessThanOrEqualTo(1e-10), "double output");
            Assert.That(Normwise.RelativeError(hT, golden.HT), Is.LessThanOrEqualTo(1e-10), "double hT");
            Assert.That(Normwise.RelativeError(cT, golden.CT), Is.LessThanOrEqualTo(1e-10), "double cT");
            foreach (var (name, gradient) in problem.AnalyticGradients())
                Assert.That(Normwise.RelativeError(gradient, golden.Gradients[name]), Is.LessThanOrEqualTo(1e-10), $"double gradient of {name}");
        });
    }

    private static void CheckFloat<TCell>(GoldenVector golden) where TCell : ILstmCell<TCell>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize, steps = golden.Steps, batch = golden.Batch;
        var parameters = new LstmParameters<TCell, float>();
        foreach (var tensor in TCell.Layout.Tensors)
            ToFloat(golden.Parameters[tensor.Name]).CopyTo(parameters.Tensor(tensor.Name));
        var workspace = new LstmWorkspace<TCell, float>(steps, batch);
        var output = new float[steps * batch * h];
        var hT = new float[batch * h];
        var cT = new float[batch * h];
        Lstm.Forward(parameters, workspace, steps, batch, ToFloat(golden.X), ToFloat(golden.H0), ToFloat(golden.C0), output, hT, cT);
        var gradients = new LstmParameters<TCell, float>();
        var dx = new float[steps * batch * d];
        var dh0 = new float[batch * h];
        var dc0 = new float[batch * h];
        Lstm.Backward(parameters, workspace, gradients, steps, batch, ToFloat(golden.UpstreamOutput), ToFloat(golden.UpstreamHT), ToFloat(golden.UpstreamCT), dx, dh0, dc0);
        Assert.Multiple(() =>
        {
            Assert.That(Normwise.RelativeError(output, golden.Output), Is.LessThanOrEqualTo(1e-5), "float output");
            Assert.That(Normwise.RelativeError(hT, golden.HT), Is.LessThanOrEqualTo(1e-5), "float hT");
            Assert.That(Normwise.RelativeError(cT, golden.CT), Is.LessThanOrEqualTo(1e-5), "float cT");
            Assert.That(Normwise.RelativeError(dx, golden.Gradients["x"]), Is.LessThanOrEqualTo(1e-4), "float gradient of x");
            Assert.That(Normwise.RelativeError(dh0, golden.Gradients["h0"]), Is.LessThanOrEqualTo(1e-4), "float gradient of h0");
            Assert.That(Normwise.RelativeError(dc0, golden.Gradients["c0"]), Is.LessThanOrEqualTo(1e-4), "float gradient of c0");
            foreach (var tensor in TCell.Layout.Tensors)
                Assert.That(Normwise.RelativeError(gradients.Tensor(tensor.Name), golden.Gradients[tensor.Name]), Is.LessThanOrEqualTo(1e-4), $"float gradient of {tensor.Name}");
        });
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
