using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using LstmGen.Testing;
using NUnit.Framework;
using static LstmGen.Tests.NetworkTestSupport;

namespace LstmGen.Tests;

/// <summary>Multi-layer and bidirectional stacks against PyTorch's nn.LSTM (specs/golden-networks, made by specs/make_network_golden.py).</summary>
public class PyTorchNetworkTests
{
    public static IEnumerable<TestCaseData> GoldenFiles()
        => Directory.GetFiles(NetworkGoldenFolder, "*.json").Where(f => !Path.GetFileName(f).StartsWith("tagger", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileName(f)).SetName($"NetworkGolden({Path.GetFileName(f)})"));

    [Test]
    public void GoldenFolder_HasBidirectionalAndPackedCases()
    {
        var goldens = GoldenFiles().Select(c => NetworkGolden.Load(Path.Combine(NetworkGoldenFolder, (string)c.Arguments[0]!))).ToList();
        Assert.That(goldens.Any(g => g.Bidirectional && g.NumLayers == 2 && g.Lengths is null), "2-layer bidirectional, full length");
        Assert.That(goldens.Any(g => g.Bidirectional && g.NumLayers == 2 && g.Lengths is not null), "2-layer bidirectional, packed");
    }

    [TestCaseSource(nameof(GoldenFiles))]
    public void Double_MatchesPyTorch(string file)
    {
        var golden = NetworkGolden.Load(Path.Combine(NetworkGoldenFolder, file));
        var result = Run<double>(golden, SequenceLayout.TimeMajor);
        Compare(golden, result, valueTolerance: 1e-10, gradientTolerance: 1e-10);
    }

    [TestCaseSource(nameof(GoldenFiles))]
    public void Float_MatchesPyTorch(string file)
    {
        var golden = NetworkGolden.Load(Path.Combine(NetworkGoldenFolder, file));
        var result = Run<float>(golden, SequenceLayout.TimeMajor);
        Compare(golden, result, valueTolerance: 1e-5, gradientTolerance: 1e-4);
    }

    [TestCaseSource(nameof(GoldenFiles))]
    public void BatchFirst_IsTheSameComputation(string file)
    {
        var golden = NetworkGolden.Load(Path.Combine(NetworkGoldenFolder, file));
        var timeMajor = Run<double>(golden, SequenceLayout.TimeMajor);
        var batchFirst = Run<double>(golden, SequenceLayout.BatchFirst);
        // Same packed rows, same kernel calls: bit-identical once the rows are put back in time-major order.
        Assert.Multiple(() =>
        {
            foreach (var (name, values) in timeMajor)
                Assert.That(batchFirst[name], Is.EqualTo(values), name);
        });
    }

    /// <summary>Runs the golden case; every array comes back time-major, keyed like the golden file.</summary>
    private static Dictionary<string, double[]> Run<T>(NetworkGolden golden, SequenceLayout layout) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var stack = StackFor<T>(golden);
        Load(stack.Parameters, golden.Params);
        int steps = golden.Steps, batch = golden.Batch, d = golden.InputSize, outputs = stack.OutputSize;
        var shape = new SequenceShape(steps, batch, layout, golden.Lengths);
        var toLayout = layout == SequenceLayout.BatchFirst;
        T[] Arrange(double[] values, int width) => toLayout ? Transpose<T>(Convert<T>(values), steps, batch, width, true) : Convert<T>(values);
        double[] Back(T[] values, int width) => ToDouble<T>(toLayout ? Transpose<T>(values, steps, batch, width, false) : values);

        var output = new T[steps * batch * outputs];
        var hN = new T[golden.HN.Length];
        var cN = new T[golden.CN.Length];
        stack.Forward(Arrange(golden.X, d), shape, Convert<T>(golden.H0), Convert<T>(golden.C0), output, hN, cN, training: true);
        var dx = new T[golden.X.Length];
        var dh0 = new T[golden.H0.Length];
        var dc0 = new T[golden.C0.Length];
        stack.Backward(Arrange(golden.UpOutput, outputs), Convert<T>(golden.UpHN), Convert<T>(golden.UpCN), dx, dh0, dc0);

        var result = new Dictionary<string, double[]>
        {
            ["output"] = Back(output, outputs), ["h_n"] = ToDouble<T>(hN), ["c_n"] = ToDouble<T>(cN),
            ["grad x"] = Back(dx, d), ["grad h0"] = ToDouble<T>(dh0), ["grad c0"] = ToDouble<T>(dc0),
        };
        foreach (var tensor in stack.Parameters) result["param " + tensor.Name] = ToDouble<T>(tensor.Gradient.Span);
        return result;
    }

    private static void Compare(NetworkGolden golden, Dictionary<string, double[]> result, double valueTolerance, double gradientTolerance)
    {
        Assert.That(result.Keys.Where(k => k.StartsWith("param ", StringComparison.Ordinal)).Select(k => k[6..]),
            Is.EquivalentTo(golden.Params.Keys), "parameter names are nn.LSTM's state-dict names");
        Assert.Multiple(() =>
        {
            Assert.That(Normwise.RelativeError(result["output"], golden.Output), Is.LessThanOrEqualTo(valueTolerance), "output");
            Assert.That(Normwise.RelativeError(result["h_n"], golden.HN), Is.LessThanOrEqualTo(valueTolerance), "h_n");
            Assert.That(Normwise.RelativeError(result["c_n"], golden.CN), Is.LessThanOrEqualTo(valueTolerance), "c_n");
            foreach (var (name, expected) in golden.Grads)
                Assert.That(Normwise.RelativeError(result[(golden.Params.ContainsKey(name) ? "param " : "grad ") + name], expected), Is.LessThanOrEqualTo(gradientTolerance), $"gradient of {name}");
        });
    }
}
