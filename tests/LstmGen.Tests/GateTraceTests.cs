using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Layers;
using LstmGen.Testing;
using LstmGen.Training;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// <see cref="LstmGateTrace{T}"/> reads the gates out of a training recording: for the standard cell and every variant
/// they equal a plain scalar forward's i, f, g, o and c_t, and h_t equals the kernel's output.
/// </summary>
public class GateTraceTests
{
    public static IEnumerable<TestCaseData> Cells()
        => DeclaredCells.Cases(new[] { typeof(Cell5x7) }.Concat(DeclaredCells.Variants(5, 7)).Concat(DeclaredCells.Variants(16, 32)));

    [TestCaseSource(nameof(Cells))]
    public void Trace_EqualsScalarReferenceGates(Type cell) => DeclaredCells.Invoke(typeof(GateTraceTests), nameof(CheckAgainstReference), cell);

    [Test]
    public void Record_FromZeroState_HiddenIsTheInferenceOutput_Float()
    {
        const int steps = 6, batch = 3;
        var parameters = new LstmParameters<Cell3x5, float>();
        Initializers.PyTorchDefault(parameters, new Random(3));
        var x = Enumerable.Range(0, steps * batch * 3).Select(i => MathF.Sin(i)).ToArray();
        var output = new float[steps * batch * 5];
        Lstm.Forward(parameters, steps, batch, x, output, new float[batch * 5], new float[batch * 5]);

        var trace = LstmGateTrace.Record(parameters, steps, batch, x);

        Assert.That((trace.Steps, trace.Batch, trace.HiddenSize), Is.EqualTo((steps, batch, 5)));
        for (var t = 0; t < steps; t++)
            for (var b = 0; b < batch; b++)
                Assert.That(trace.Hidden(t, b).ToArray(), Is.EqualTo(output.AsSpan((t * batch + b) * 5, 5).ToArray()), $"h at t = {t}, b = {b}");
    }

    [Test]
    public void Layer_TraceGates_IsTheForwardDirectionOfItsOutput()
    {
        const int steps = 5;
        var layer = new LstmLayer<Cell3x5, double>(bidirectional: true);
        layer.InitializeDefault(new Random(8));
        var x = Enumerable.Range(0, steps * 3).Select(i => Math.Cos(i)).ToArray();
        var output = new double[steps * layer.OutputSize];
        layer.Forward(x, new SequenceShape(steps, 1), output, training: false);

        var trace = layer.TraceGates(x, steps, batch: 1);

        for (var t = 0; t < steps; t++)
            Assert.That(trace.Hidden(t, 0).ToArray(), Is.EqualTo(output.AsSpan(t * layer.OutputSize, 5).ToArray()), $"h at t = {t}");
    }

    [Test]
    public void Read_WithoutRecordedForward_Throws()
    {
        var workspace = new LstmWorkspace<Cell3x5, float>(4, 2);
        var error = Assert.Throws<InvalidOperationException>(() => LstmGateTrace.Read(workspace))!;
        Assert.That(error.Message, Does.Contain("no recorded forward"));
    }

    [Test]
    public void Read_OfASplitWorkspace_Throws()
    {
        var parameters = new LstmParameters<Cell3x5, float>();
        var workspace = new LstmWorkspace<Cell3x5, float>(2, 4, threads: 2);
        Lstm.Forward(parameters, workspace, 2, 4, new float[2 * 4 * 3], new float[2 * 4 * 5], new float[4 * 5], new float[4 * 5]);
        var error = Assert.Throws<InvalidOperationException>(() => LstmGateTrace.Read(workspace))!;
        Assert.That(error.Message, Does.Contain("one-thread workspace"));
    }

    [Test]
    public void Index_OutsideTheTrace_Throws()
    {
        var trace = LstmGateTrace.Record(new LstmParameters<Cell3x5, float>(), 2, 1, new float[2 * 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => trace.InputGate(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => trace.Cell(0, 1));
    }

    private static void CheckAgainstReference<TCell>() where TCell : ILstmCell<TCell>
    {
        Properties.ForAll($"trace {typeof(TCell).Name}", Properties.Problems(maxSteps: 7, maxBatch: 3), 3, c =>
        {
            var problem = LstmProblem<TCell>.Random(new Random(c.Seed), c.Steps, c.Batch);
            int h = TCell.HiddenSize, steps = problem.Steps, batch = problem.Batch;
            var workspace = new LstmWorkspace<TCell, double>(steps, batch);
            var output = new double[steps * batch * h];
            Lstm.Forward(problem.Parameters, workspace, steps, batch, problem.X, problem.H0, problem.C0, output, new double[batch * h], new double[batch * h]);
            var trace = LstmGateTrace.Read(workspace);
            var expected = ReferenceLstm.Forward(problem);

            var gates = new double[expected.Gates.Length];
            var cells = new double[expected.Cells.Length];
            var hidden = new double[output.Length];
            for (var t = 0; t < steps; t++)
            {
                for (var b = 0; b < batch; b++)
                {
                    var row = t * batch + b;
                    trace.InputGate(t, b).CopyTo(gates.AsSpan(row * 4 * h));
                    trace.ForgetGate(t, b).CopyTo(gates.AsSpan(row * 4 * h + h));
                    trace.CandidateGate(t, b).CopyTo(gates.AsSpan(row * 4 * h + 2 * h));
                    trace.OutputGate(t, b).CopyTo(gates.AsSpan(row * 4 * h + 3 * h));
                    trace.Cell(t, b).CopyTo(cells.AsSpan(row * h));
                    trace.Hidden(t, b).CopyTo(hidden.AsSpan(row * h));
                }
            }
            var error = Math.Max(Normwise.RelativeError(gates, expected.Gates), Normwise.RelativeError(cells, expected.Cells));
            if (!(error <= 1e-12)) throw new AssertionException($"{typeof(TCell).Name} {c}: traced gates differ from the scalar reference by {error:E2}.");
            if (!hidden.SequenceEqual(output)) throw new AssertionException($"{typeof(TCell).Name} {c}: traced h differs from the kernel's output.");
        });
    }
}
