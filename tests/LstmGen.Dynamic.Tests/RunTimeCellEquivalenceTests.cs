using System;
using System.Linq;
using System.Numerics;
using LstmGen.Layers;
using NUnit.Framework;

namespace LstmGen.Dynamic.Tests;

/// <summary>
/// A cell compiled at run time computes exactly what the build-time cell of the same spec computes: outputs, final
/// states, every input and parameter gradient and streamed steps equal bit for bit, in float and double.
/// </summary>
public class RunTimeCellEquivalenceTests
{
    private static readonly object[] Cases =
    {
        new object[] { typeof(Standard3x5), new LstmCellSpec(3, 5) },
        new object[] { typeof(PeepholeClip7x13), new LstmCellSpec(7, 13, LstmCellVariant.Standard with { Peephole = true, Clip = 2.5 }) },
        new object[] { typeof(LayerNormForgetBias4x9), new LstmCellSpec(4, 9, LstmCellVariant.Standard with { LayerNorm = true, ForgetBias = 1.0 }) },
        new object[] { typeof(CifgPerGate5x17), new LstmCellSpec(5, 17, LstmCellVariant.Standard with
            { CoupledInputForget = true, LayerNorm = true, LayerNormEpsilon = 1e-3, LayerNormPerGate = true }) },
    };

    [TestCaseSource(nameof(Cases))]
    public void ForwardBackwardAndStream_EqualTheBuildTimeCell_BitForBit(Type buildTime, LstmCellSpec spec)
    {
        var cell = SharedCompiler.Instance.GetCell(spec);
        Assert.That(cell.Layout.ToString(), Is.EqualTo(Layout(buildTime).ToString()), "same tensors and variant");
        foreach (var precision in new[] { typeof(float), typeof(double) })
        {
            var compare = typeof(RunTimeCellEquivalenceTests).GetMethod(nameof(Compare), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(buildTime, precision);
            try
            {
                compare.Invoke(null, new object[] { cell });
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }
    }

    [Test]
    public void ANetworkOfRunTimeCells_EqualsTheSameNetworkOfBuildTimeCells()
    {
        var cell = SharedCompiler.Instance.GetCell(new LstmCellSpec(3, 5));
        var upper = SharedCompiler.Instance.GetCell(new LstmCellSpec(10, 5));
        Assert.That(cell.CellType, Is.Not.EqualTo(typeof(Standard3x5)));
        var dynamic = new LstmNetworkBuilder<float>().Lstm(cell, bidirectional: true).Lstm(upper).Linear(2).Build(seed: 4);
        var declared = new LstmNetworkBuilder<float>().Lstm<Standard3x5>(bidirectional: true).Lstm(upper).Linear(2).Build(seed: 4);
        var shape = new SequenceShape(6, 2, SequenceLayout.TimeMajor, new[] { 6, 4 });
        var x = Random<float>(new Random(9), 6 * 2 * 3);
        float[] a = new float[6 * 2 * 2], b = new float[a.Length];
        dynamic.Forward(x, shape, a, training: false);
        declared.Forward(x, shape, b, training: false);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(dynamic.Lstm.Layers[0].CellName, Does.StartWith("Cell3x5_"));
    }

    private static LstmCellLayout Layout(Type cell)
        => (LstmCellLayout)typeof(LstmParameters<,>).MakeGenericType(cell, typeof(double)).GetProperty("Layout")!.GetValue(null)!;

    private static void Compare<TCell, T>(DynamicLstmCell cell) where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int steps = 5, batch = 3;
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var random = new Random(42);
        var declared = new LstmParameters<TCell, T>();
        declared.InitializePyTorchDefault(random);
        for (var i = 0; i < declared.Length; i++) declared.Data[i] += T.CreateChecked(0.1 * random.NextDouble()); // layer-norm gains off 1
        var dynamic = cell.CreateParameters<T>();
        dynamic.CopyFrom(declared.Data);
        var x = Random<T>(random, steps * batch * d);
        var h0 = Random<T>(random, batch * h);
        var c0 = Random<T>(random, batch * h);
        var dOutput = Random<T>(random, steps * batch * h);
        var dhT = Random<T>(random, batch * h);
        var dcT = Random<T>(random, batch * h);

        var expected = new Run<T>(steps, batch, d, h);
        var workspace = new LstmWorkspace<TCell, T>(steps, batch);
        var gradients = new LstmParameters<TCell, T>();
        Lstm.Forward(declared, workspace, steps, batch, x, h0, c0, expected.Output, expected.HT, expected.CT);
        Lstm.Backward(declared, workspace, gradients, steps, batch, dOutput, dhT, dcT, expected.Dx, expected.Dh0, expected.Dc0);
        expected.Gradients = gradients.Data.ToArray();

        var actual = new Run<T>(steps, batch, d, h);
        var dynamicWorkspace = cell.CreateWorkspace<T>(steps, batch);
        var dynamicGradients = cell.CreateParameters<T>();
        cell.Forward(dynamic, dynamicWorkspace, steps, batch, x, h0, c0, actual.Output, actual.HT, actual.CT);
        cell.Backward(dynamic, dynamicWorkspace, dynamicGradients, steps, batch, dOutput, dhT, dcT, actual.Dx, actual.Dh0, actual.Dc0);
        actual.Gradients = dynamicGradients.Data.ToArray();

        var inference = new T[steps * batch * h];
        cell.Forward(dynamic, steps, batch, x, h0, c0, inference, new T[batch * h], new T[batch * h]);
        var stream = cell.CreateStream(dynamic, batch);
        stream.SetState(h0, c0);
        var streamed = new T[steps * batch * h];
        for (var t = 0; t < steps; t++)
            stream.Step(x.AsSpan(t * batch * d, batch * d), streamed.AsSpan(t * batch * h, batch * h));

        var label = $"{typeof(TCell).Name} {typeof(T).Name}";
        Assert.Multiple(() =>
        {
            Assert.That(actual.Output, Is.EqualTo(expected.Output), $"{label}: output");
            Assert.That(actual.HT, Is.EqualTo(expected.HT), $"{label}: hT");
            Assert.That(actual.CT, Is.EqualTo(expected.CT), $"{label}: cT");
            Assert.That(actual.Dx, Is.EqualTo(expected.Dx), $"{label}: dx");
            Assert.That(actual.Dh0, Is.EqualTo(expected.Dh0), $"{label}: dh0");
            Assert.That(actual.Dc0, Is.EqualTo(expected.Dc0), $"{label}: dc0");
            Assert.That(actual.Gradients, Is.EqualTo(expected.Gradients), $"{label}: parameter gradients");
            Assert.That(inference, Is.EqualTo(expected.Output), $"{label}: inference forward");
            Assert.That(streamed, Is.EqualTo(expected.Output), $"{label}: streamed steps");
            Assert.That(expected.Gradients.Any(g => g != T.Zero), Is.True, "the gradients are not all zero");
        });
    }

    private static T[] Random<T>(Random random, int length) where T : unmanaged, IFloatingPointIeee754<T>
        => Enumerable.Range(0, length).Select(_ => T.CreateChecked(random.NextDouble() * 2 - 1)).ToArray();

    private sealed class Run<T>(int steps, int batch, int d, int h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] Output { get; } = new T[steps * batch * h];
        public T[] HT { get; } = new T[batch * h];
        public T[] CT { get; } = new T[batch * h];
        public T[] Dx { get; } = new T[steps * batch * d];
        public T[] Dh0 { get; } = new T[batch * h];
        public T[] Dc0 { get; } = new T[batch * h];
        public T[] Gradients { get; set; } = Array.Empty<T>();
    }
}
