using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LstmGen.Optimizers;
using LstmGen.Testing;
using LstmGen.Training;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>Extreme values, the finite-check mode, very long sequences and concurrent inference.</summary>
[NonParallelizable] // toggles the process-wide Lstm.CheckFiniteValues and measures allocations
public class RobustnessTests
{
    // ------------------------------------------------------------------ extreme values

    [TestCase(1e4)]
    [TestCase(1e30)]
    [TestCase(1e-40)] // sub-normal in float
    public void ExtremeInputs_Float_StayFinite(double magnitude)
    {
        AssertFinite<Cell16x32, float>(magnitude);
        AssertFinite<Cell5x7_LayerNorm, float>(magnitude);
        AssertFinite<Cell5x7_Peephole_LayerNorm_ForgetBias_Clip, float>(magnitude);
    }

    [TestCase(1e4)]
    [TestCase(1e150)]
    [TestCase(1e300)]
    [TestCase(1e-310)] // sub-normal in double
    public void ExtremeInputs_Double_StayFinite(double magnitude)
    {
        AssertFinite<Cell16x32, double>(magnitude);
        AssertFinite<Cell5x7_LayerNorm, double>(magnitude);
        AssertFinite<Cell5x7_Peephole_LayerNorm_ForgetBias_Clip, double>(magnitude);
    }

    [Test]
    public void HugeInputs_LayerNormStillNormalises()
    {
        // LN is scale-invariant: inputs of 1e200 (squares overflow double) must give what inputs of 1 give.
        var problem = LstmProblem<Cell5x7_LayerNormTinyEpsilon>.Random(new Random(3), 4, 2);
        problem.Parameters.ResetLayerNorm();
        Array.Clear(problem.H0);
        var small = Run(problem);
        for (var i = 0; i < problem.X.Length; i++) problem.X[i] *= 1e200;
        problem.Parameters.WeightHh.Clear(); // keep the recurrent term from dominating differently
        var reference = Run(problem);
        for (var i = 0; i < problem.X.Length; i++) problem.X[i] /= 1e200;
        var unscaled = Run(problem);
        Assert.That(reference.All(double.IsFinite), Is.True);
        Assert.That(Normwise.RelativeError(reference, unscaled), Is.LessThanOrEqualTo(1e-12));
        Assert.That(small, Has.Length.EqualTo(reference.Length));
    }

    [Test]
    public void SaturatedGates_GiveExactLimitsAndFiniteGradients()
    {
        // Pre-activations of ±1e4: σ must reach exactly 0 or 1 and tanh ±1, never NaN (e.g. inf/inf).
        var problem = LstmProblem<Cell3x5>.Random(new Random(4), 3, 2);
        for (var i = 0; i < problem.X.Length; i++) problem.X[i] = i % 2 == 0 ? 2e4 : -2e4;
        var output = Run(problem);
        Assert.That(output.All(v => double.IsFinite(v) && Math.Abs(v) <= 1), Is.True);
        Assert.That(problem.AnalyticGradients().Values.SelectMany(g => g).All(double.IsFinite), Is.True);
    }

    // ------------------------------------------------------------------ finite-check mode

    [Test]
    public void CheckMode_ReportsFirstNonFiniteInput_AndLeavesOutputsUntouched()
    {
        var problem = LstmProblem<Cell3x5>.Random(new Random(5), 6, 3);
        problem.X[(4 * 3 + 1) * 3 + 2] = double.PositiveInfinity; // step 4, row 1, feature 2
        problem.X[(5 * 3 + 0) * 3 + 0] = double.NaN;               // a later one
        var output = Enumerable.Repeat(7.0, 6 * 3 * 5).ToArray();
        var exception = WithCheck(() => Lstm.Forward(problem.Parameters, 6, 3, problem.X, output, new double[15], new double[15]));
        Assert.Multiple(() =>
        {
            Assert.That(exception.Pass, Is.EqualTo("forward"));
            Assert.That(exception.Tensor, Is.EqualTo("x"));
            Assert.That((exception.Step, exception.Row, exception.Index), Is.EqualTo(((int?)4, (int?)1, 2)));
            Assert.That(exception.Value, Is.EqualTo(double.PositiveInfinity));
            Assert.That(exception.Message, Does.Contain("step 4, batch row 1"));
            Assert.That(output, Is.All.EqualTo(7.0));
        });
    }

    [Test]
    public void CheckMode_ReportsNonFiniteParameterByName()
    {
        var problem = LstmProblem<Cell3x5>.Random(new Random(6), 2, 1);
        problem.Parameters.WeightHh[17] = double.NaN;
        var exception = WithCheck(() => problem.Loss());
        Assert.That((exception.Tensor, exception.Index), Is.EqualTo(("weight_hh", 17)));
    }

    [Test]
    public void CheckMode_InBackward_ReportsUpstreamAndProducedGradients()
    {
        var problem = LstmProblem<Cell3x5>.Random(new Random(7), 4, 2);
        var workspace = new LstmWorkspace<Cell3x5, double>(4, 2);
        var output = new double[40];
        Lstm.Forward(problem.Parameters, workspace, 4, 2, problem.X, output, new double[10], new double[10]);
        var gradients = new LstmParameters<Cell3x5, double>();
        var dOutput = new double[40];
        dOutput[(2 * 2 + 1) * 5 + 3] = double.NegativeInfinity;
        var upstream = WithCheck(() => Lstm.Backward(problem.Parameters, workspace, gradients, 4, 2, dOutput, new double[10], new double[10], new double[24], new double[10], new double[10]));
        Assert.That((upstream.Pass, upstream.Tensor, upstream.Step, upstream.Row), Is.EqualTo(("backward", "dOutput", (int?)2, (int?)1)));

        // A gradient buffer that already held a NaN is reported by name after the pass.
        gradients.BiasHh[3] = double.NaN;
        var produced = WithCheck(() => Lstm.Backward(problem.Parameters, workspace, gradients, 4, 2, new double[40], new double[10], new double[10], new double[24], new double[10], new double[10]));
        Assert.That((produced.Tensor, produced.Index), Is.EqualTo(("gradient of bias_hh", 3)));
    }

    [Test]
    public void CheckMode_IsOffByDefault()
    {
        Assert.That(Lstm.CheckFiniteValues, Is.False);
        var problem = LstmProblem<Cell3x5>.Random(new Random(8), 2, 1);
        problem.X[0] = double.NaN;
        Assert.That(double.IsNaN(problem.Loss()), Is.True, "without the check a NaN input flows through (IEEE semantics)");
    }

    [Test]
    public void CheckMode_InOptimiserStep_ReportsGradientByName_BeforeChangingAnything()
    {
        var a = new ParameterTensor<double>("weight_ih_l0", new[] { 3 }, new[] { 1.0, 2.0, 3.0 }, new[] { 0.1, 0.2, 0.3 });
        var b = new ParameterTensor<double>("head.bias", new[] { 2 }, new[] { 4.0, 5.0 }, new[] { 0.5, double.NaN });
        var optimizer = new Adam<double>(new[] { a, b }, learningRate: 0.1);
        var exception = WithCheck(() => optimizer.Step());
        Assert.Multiple(() =>
        {
            Assert.That((exception.Pass, exception.Tensor, exception.Index), Is.EqualTo(("optimiser step 1", "gradient of head.bias", 1)));
            Assert.That(exception.Message, Does.Contain("'gradient of head.bias'"));
            Assert.That(a.Value.ToArray().Concat(b.Value.ToArray()), Is.EqualTo(new[] { 1.0, 2.0, 3.0, 4.0, 5.0 }), "nothing updated");
            Assert.That(optimizer.State(Adam<double>.ExpAvg, 0).ToArray(), Is.All.EqualTo(0.0), "no state updated");
            Assert.That(optimizer.StepCount, Is.EqualTo(0));
        });
    }

    [Test]
    public void CheckMode_InOptimiserStep_ReportsAnUpdateThatOverflows()
    {
        var p = new ParameterTensor<double>("weight_hh_l0", new[] { 2 }, new[] { 1.0, -1e300 }, new[] { 0.0, 1e300 });
        var optimizer = new Sgd<double>(new[] { p }, learningRate: 1e10);
        var exception = WithCheck(() => optimizer.Step());
        Assert.That((exception.Pass, exception.Tensor, exception.Index, exception.Value), Is.EqualTo(("optimiser step 1", "weight_hh_l0", 1, double.NegativeInfinity)));

        // Without the check the same step is silent (IEEE semantics).
        var unchecked_ = new ParameterTensor<double>("w", new[] { 1 }, new[] { -1e300 }, new[] { 1e300 });
        new Sgd<double>(new[] { unchecked_ }, learningRate: 1e10).Step();
        Assert.That(unchecked_.Value.Span[0], Is.EqualTo(double.NegativeInfinity));
    }

    // ------------------------------------------------------------------ very long sequences

    [Test]
    public void Inference_Over100000Steps_StreamsInChunksWithoutAllocating()
    {
        const int total = 100_000, chunk = 1_000, batch = 2, h = 32, d = 16;
        var parameters = new LstmParameters<Cell16x32, float>();
        parameters.InitializePyTorchDefault(new Random(9));
        var x = new float[chunk * batch * d];
        var output = new float[chunk * batch * h];
        var state = (H: new float[batch * h], C: new float[batch * h]);
        var next = (H: new float[batch * h], C: new float[batch * h]);
        var random = new Random(10);
        void StreamAll()
        {
            for (var start = 0; start < total; start += chunk)
            {
                for (var i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
                Lstm.Forward(parameters, chunk, batch, x, state.H, state.C, output, next.H, next.C);
                (state, next) = (next, state);
            }
        }
        // Warm-up: a whole pass first. The runtime's tiered JIT allocates on the calling thread once (it starts its
        // background compiler the first time a method gets hot); that is the runtime's, not the kernel's, so it is
        // done before measuring. The measured second pass streams another 100,000 steps from the carried state.
        StreamAll();
        Thread.Sleep(200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        StreamAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"100,000 steps x {batch} rows streamed: {allocated} bytes allocated; memory held: {(x.Length + output.Length + 4 * batch * h) * 4} bytes of buffers.");
        Assert.That(allocated, Is.EqualTo(0));
        Assert.That(state.H.Concat(state.C).All(float.IsFinite), Is.True);
        Assert.That(state.H.Max(Math.Abs), Is.GreaterThan(0f));
    }

    [Test]
    public void TruncatedBptt_Over100000Steps_InBoundedMemory()
    {
        const int total = 100_000, chunk = 100, batch = 1, h = 13, d = 7;
        var parameters = new LstmParameters<Cell7x13, double>();
        parameters.InitializePyTorchDefault(new Random(11));
        var workspace = new LstmWorkspace<Cell7x13, double>(chunk, batch);
        var gradients = new LstmParameters<Cell7x13, double>();
        var x = new double[chunk * batch * d];
        var output = new double[chunk * batch * h];
        var dOutput = new double[output.Length];
        var (hState, cState) = (new double[batch * h], new double[batch * h]);
        var (hNext, cNext) = (new double[batch * h], new double[batch * h]);
        var (dx, dh0, dc0, zero) = (new double[x.Length], new double[batch * h], new double[batch * h], new double[batch * h]);
        var random = new Random(12);
        void TrainAll()
        {
            for (var start = 0; start < total; start += chunk)
            {
                for (var i = 0; i < x.Length; i++) x[i] = Math.Sin((start * batch * d + i) * 0.01) + 0.1 * random.NextDouble();
                Lstm.Forward(parameters, workspace, chunk, batch, x, hState, cState, output, hNext, cNext);
                for (var i = 0; i < output.Length; i++) dOutput[i] = output[i] - 0.5; // d/dh of ½(h − 0.5)²
                // The state is carried to the next chunk but its gradient is not: dhT = dcT = 0.
                Lstm.Backward(parameters, workspace, gradients, chunk, batch, dOutput, zero, zero, dx, dh0, dc0);
                (hState, hNext) = (hNext, hState);
                (cState, cNext) = (cNext, cState);
            }
        }
        // A whole warm-up pass first, as in the inference test above: the runtime's one-time tiering work allocates.
        TrainAll();
        Thread.Sleep(200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        TrainAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"TBPTT over 100,000 steps in chunks of {chunk}: {allocated} bytes allocated; workspace {Cell7x13.CacheLength(chunk, batch) * 8} bytes.");
        Assert.That(allocated, Is.EqualTo(0));
        Assert.That(gradients.Data.ToArray().All(double.IsFinite), Is.True);
    }

    // ------------------------------------------------------------------ concurrency

    [Test]
    public void ConcurrentInference_OnSharedParameters_MatchesSequential()
    {
        const int threads = 8, iterations = 200, steps = 5, batch = 2;
        var parameters = new LstmParameters<Cell17x33, float>();
        parameters.InitializePyTorchDefault(new Random(13));
        var inputs = Enumerable.Range(0, threads).Select(k =>
        {
            var random = new Random(100 + k);
            return Enumerable.Range(0, steps * batch * 17).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        }).ToArray();
        var expected = inputs.Select(x => Infer(parameters, x, steps, batch)).ToArray();
        var snapshot = parameters.Data.ToArray();
        var mismatches = 0;
        using var start = new Barrier(threads);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            start.SignalAndWait();
            for (var i = 0; i < iterations; i++)
            {
                var result = Infer(parameters, inputs[k], steps, batch);
                if (!result.AsSpan().SequenceEqual(expected[k])) Interlocked.Increment(ref mismatches);
            }
        });
        Assert.That(mismatches, Is.EqualTo(0), "results differing from the sequential run");
        Assert.That(parameters.Data.ToArray(), Is.EqualTo(snapshot), "inference must not write to the parameters");
    }

    // ------------------------------------------------------------------ helpers

    private static float[] Infer(LstmParameters<Cell17x33, float> parameters, float[] x, int steps, int batch)
    {
        var output = new float[steps * batch * 33];
        Lstm.Forward(parameters, steps, batch, x, output, new float[batch * 33], new float[batch * 33]);
        return output;
    }

    private static void AssertFinite<TCell, T>(double magnitude)
        where TCell : ILstmCell<TCell> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        const int steps = 4, batch = 2;
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var random = new Random(1);
        var parameters = new LstmParameters<TCell, T>();
        parameters.InitializePyTorchDefault(random);
        var x = Enumerable.Range(0, steps * batch * d).Select(i => T.CreateChecked((i % 3 - 1) * magnitude * (0.5 + random.NextDouble()))).ToArray();
        var workspace = new LstmWorkspace<TCell, T>(steps, batch);
        var output = new T[steps * batch * h];
        var (hT, cT) = (new T[batch * h], new T[batch * h]);
        var previous = Lstm.CheckFiniteValues;
        Lstm.CheckFiniteValues = true; // throws, naming the tensor, if anything non-finite appears
        try
        {
            Lstm.Forward(parameters, workspace, steps, batch, x, output, hT, cT);
            var gradients = new LstmParameters<TCell, T>();
            var ones = Enumerable.Repeat(T.One, output.Length).ToArray();
            Lstm.Backward(parameters, workspace, gradients, steps, batch, ones, new T[batch * h], new T[batch * h], new T[x.Length], new T[batch * h], new T[batch * h]);
        }
        finally
        {
            Lstm.CheckFiniteValues = previous;
        }
        Assert.That(output.All(v => T.Abs(v) <= T.One), Is.True, $"{typeof(TCell).Name} {typeof(T).Name} at {magnitude:E0}: |h| <= 1");
    }

    private static double[] Run<TCell>(LstmProblem<TCell> problem) where TCell : ILstmCell<TCell>
    {
        var output = new double[problem.Steps * problem.Batch * TCell.HiddenSize];
        Lstm.Forward(problem.Parameters, problem.Steps, problem.Batch, problem.X, problem.H0, problem.C0, output,
            new double[problem.Batch * TCell.HiddenSize], new double[problem.Batch * TCell.HiddenSize]);
        return output;
    }

    private static NonFiniteValueException WithCheck(Action action)
    {
        var previous = Lstm.CheckFiniteValues;
        Lstm.CheckFiniteValues = true;
        try
        {
            return Assert.Throws<NonFiniteValueException>(() => action())!;
        }
        finally
        {
            Lstm.CheckFiniteValues = previous;
        }
    }
}
