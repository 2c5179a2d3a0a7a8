using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using LstmGen.Optimizers;
using LstmGen.Training;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// Optimisers, schedules and clipping against PyTorch on a hand-computed example. The expected numbers are
/// torch.optim's (printed by specs/optimizer_examples.py, float64); the first step of each is also derived by hand.
/// </summary>
public class OptimizerTests
{
    private static readonly double[] P0 = { 0.5, -1.5, 2.0 };
    private static readonly double[][] Grads = { new[] { 0.1, -0.2, 0.3 }, new[] { -0.4, 0.5, 0.25 }, new[] { 0.05, 0.0, -0.6 } };

    private static (ParameterTensor<T> Tensor, T[] Value, T[] Gradient) Tensor<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = P0.Select(v => T.CreateChecked(v)).ToArray();
        var gradient = new T[3];
        return (new ParameterTensor<T>("p", new[] { 3 }, value, gradient), value, gradient);
    }

    /// <summary>Runs three steps and returns the parameters after each.</summary>
    private static double[][] Run<T>(Func<IReadOnlyList<ParameterTensor<T>>, Optimizer<T>> make) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (tensor, value, gradient) = Tensor<T>();
        var optimizer = make(new[] { tensor });
        var result = new List<double[]>();
        foreach (var g in Grads)
        {
            for (var i = 0; i < 3; i++) gradient[i] = T.CreateChecked(g[i]);
            optimizer.Step();
            result.Add(value.Select(v => double.CreateChecked(v)).ToArray());
        }
        Assert.That(optimizer.StepCount, Is.EqualTo(3));
        return result.ToArray();
    }

    private static void AssertSteps(double[][] actual, double[][] expected, double tolerance)
    {
        for (var s = 0; s < expected.Length; s++)
            for (var i = 0; i < 3; i++)
                Assert.That(actual[s][i], Is.EqualTo(expected[s][i]).Within(tolerance * Math.Abs(expected[s][i])), $"step {s + 1}, element {i}");
    }

    private static readonly double[][] SgdMomentumDampening =
    {
        new[] { 0.49, -1.48, 1.97 },
        new[] { 0.517, -1.507, 1.9204999999999999 },
        new[] { 0.5368, -1.5312999999999999, 1.9299499999999998 },
    };

    private static readonly double[][] SgdNesterovDecay =
    {
        new[] { 0.48005, -1.45915, 1.9392 },
        new[] { 0.546632905, -1.5339626149999999, 1.86209552 },
        new[] { 0.5604509619804999, -1.5546926745315, 1.927408786512 },
    };

    private static readonly double[][] AdamPlain =
    {
        new[] { 0.4900000009999999, -1.4900000005, 1.9900000003333334 },
        new[] { 0.4955950357485128, -1.4944221530217234, 1.980088271946428 },
        new[] { 0.4991190833146187, -1.4978404897175932, 1.9812664308584897 },
    };

    private static readonly double[][] AdamL2 =
    {
        new[] { 0.4900000006666666, -1.4900000002857143, 1.9900000002 },
        new[] { 0.49421122910693693, -1.4905405804587837, 1.9800423864967853 },
        new[] { 0.4957502742941267, -1.4890998873301808, 1.9767194148506375 },
    };

    private static readonly double[][] AdamWDecoupled =
    {
        new[] { 0.4895000009999999, -1.4885000005, 1.9880000003333334 },
        new[] { 0.4946055357475128, -1.4914336530212233, 1.9761002719460945 },
        new[] { 0.49763497777787113, -1.493360556064072, 1.9753023305862103 },
    };

    [Test]
    public void Sgd_MomentumWithDampening_MatchesPyTorch()
    {
        // By hand, step 1: the buffer starts as the gradient itself (no dampening on the first step): p = p0 − 0.1·g1.
        var result = Run<double>(p => new Sgd<double>(p, 0.1, momentum: 0.9, dampening: 0.1));
        Assert.That(result[0], Is.EqualTo(new[] { 0.5 - 0.1 * 0.1, -1.5 + 0.1 * 0.2, 2.0 - 0.1 * 0.3 }).Within(1e-15));
        // Step 2: b = 0.9·g1 + (1 − 0.1)·g2.
        Assert.That(result[1][0], Is.EqualTo(result[0][0] - 0.1 * (0.9 * 0.1 + 0.9 * -0.4)).Within(1e-15));
        AssertSteps(result, SgdMomentumDampening, 1e-15);
    }

    [Test]
    public void Sgd_Nesterov_WithWeightDecay_MatchesPyTorch()
    {
        // By hand, step 1: g = g1 + 0.01·p0; b = g; update with g + 0.9·b = 1.9·g.
        var result = Run<double>(p => new Sgd<double>(p, 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true));
        var expected = P0.Select((p, i) => p - 0.1 * 1.9 * (Grads[0][i] + 0.01 * p)).ToArray();
        Assert.That(result[0], Is.EqualTo(expected).Within(1e-15));
        AssertSteps(result, SgdNesterovDecay, 1e-15);
    }

    [Test]
    public void Adam_BiasCorrection_MatchesPyTorch()
    {
        // By hand, step 1: m = 0.1·g, v = 0.001·g²; the corrections 1 − β₁ = 0.1 and 1 − β₂ = 0.001 undo those factors
        // exactly, so the step is lr·g/(|g| + ε): 0.01·sign(g) up to ε — not 0.01·0.1·g/(√0.001·|g|) as without correction.
        var result = Run<double>(p => new Adam<double>(p, learningRate: 0.01));
        var expected = P0.Select((p, i) => p - 0.01 * Grads[0][i] / (Math.Abs(Grads[0][i]) + 1e-8)).ToArray();
        Assert.That(result[0], Is.EqualTo(expected).Within(1e-15));
        AssertSteps(result, AdamPlain, 1e-14);
    }

    [Test]
    public void Adam_L2WeightDecay_MatchesPyTorch()
        => AssertSteps(Run<double>(p => new Adam<double>(p, learningRate: 0.01, weightDecay: 0.1)), AdamL2, 1e-14);

    [Test]
    public void AdamW_DecoupledDecay_MatchesPyTorch()
    {
        // By hand, step 1: p·(1 − 0.01·0.1) first, then the Adam step of the raw gradient (decay never enters m or v).
        var result = Run<double>(p => new AdamW<double>(p, learningRate: 0.01, weightDecay: 0.1));
        var expected = P0.Select((p, i) => p * 0.999 - 0.01 * Grads[0][i] / (Math.Abs(Grads[0][i]) + 1e-8)).ToArray();
        Assert.That(result[0], Is.EqualTo(expected).Within(1e-15));
        AssertSteps(result, AdamWDecoupled, 1e-14);
        Assert.That(result[2][0], Is.Not.EqualTo(AdamL2[2][0]).Within(1e-6), "decoupled decay differs from L2 decay");
    }

    [Test]
    public void FloatOptimizers_TrackThePyTorchDoubleResult()
    {
        AssertSteps(Run<float>(p => new Sgd<float>(p, 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)), SgdNesterovDecay, 1e-6);
        AssertSteps(Run<float>(p => new Adam<float>(p, learningRate: 0.01)), AdamPlain, 1e-6);
        AssertSteps(Run<float>(p => new AdamW<float>(p, learningRate: 0.01, weightDecay: 0.1)), AdamWDecoupled, 1e-6);
    }

    [Test]
    public void Sgd_RejectsNesterovWithoutMomentum()
    {
        var (tensor, _, _) = Tensor<double>();
        Assert.That(() => new Sgd<double>(new[] { tensor }, 0.1, nesterov: true), Throws.ArgumentException.With.Message.Contains("Nesterov"));
        Assert.That(() => new Adam<double>(new[] { tensor }, beta1: 1.0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private sealed class RateOnly : IOptimizer
    {
        public double LearningRate { get; set; } = 1.0;
        public long StepCount => 0;
    }

    [Test]
    public void StepSchedule_MatchesPyTorch()
    {
        var optimizer = new RateOnly();
        var schedule = new StepLearningRate(optimizer, stepSize: 3, gamma: 0.5);
        var rates = Enumerable.Range(0, 10).Select(_ => { schedule.Step(); return optimizer.LearningRate; }).ToArray();
        Assert.That(rates, Is.EqualTo(new[] { 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125 }));
    }

    [Test]
    public void CosineSchedule_MatchesPyTorch()
    {
        var optimizer = new RateOnly();
        var schedule = new CosineLearningRate(optimizer, period: 4, minimum: 0.1);
        var rates = Enumerable.Range(0, 6).Select(_ => { schedule.Step(); return optimizer.LearningRate; }).ToArray();
        // PyTorch's recursive form agrees with the closed form to rounding.
        Assert.That(rates, Is.EqualTo(new[] { 0.8681980515339464, 0.55, 0.23180194846605368, 0.1, 0.2318019484660536, 0.55 }).Within(1e-14));
    }

    [Test]
    public void ReduceOnPlateau_MatchesPyTorch_AndResumesFromItsState()
    {
        double[] metrics = { 1.0, 0.9, 0.95, 0.9, 0.91, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85 };
        double[] expected = { 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25 };
        var optimizer = new RateOnly();
        var schedule = new ReduceLearningRateOnPlateau(optimizer, factor: 0.5, patience: 2, cooldown: 1);
        var rates = metrics.Select(m => { schedule.Step(m); return optimizer.LearningRate; }).ToArray();
        Assert.That(rates, Is.EqualTo(expected));

        // Stop after epoch 7, restore into a fresh schedule, continue: the same rates.
        var first = new RateOnly();
        var before = new ReduceLearningRateOnPlateau(first, factor: 0.5, patience: 2, cooldown: 1);
        foreach (var m in metrics.Take(7)) before.Step(m);
        var second = new RateOnly();
        var after = new ReduceLearningRateOnPlateau(second, factor: 0.5, patience: 2, cooldown: 1);
        after.SetState(before.GetState());
        var resumed = metrics.Skip(7).Select(m => { after.Step(m); return second.LearningRate; }).ToArray();
        Assert.That(resumed, Is.EqualTo(expected.Skip(7)));
    }

    [Test]
    public void ClipByGlobalNorm_ScalesToTheMaximum_AndReturnsTheNormBefore()
    {
        var a = new ParameterTensor<double>("a", new[] { 2 }, new double[2], new[] { 3.0, 4.0 });
        var b = new ParameterTensor<double>("b", new[] { 1 }, new double[1], new[] { 12.0 });
        var norm = GradientClipping.ClipByGlobalNorm(new[] { a, b }, maxNorm: 6.5);
        Assert.That(norm, Is.EqualTo(13.0));
        var coefficient = 6.5 / (13.0 + 1e-6);
        Assert.That(a.Gradient.ToArray(), Is.EqualTo(new[] { 3 * coefficient, 4 * coefficient }));
        Assert.That(b.Gradient.ToArray(), Is.EqualTo(new[] { 12 * coefficient }));
        Assert.That(GradientClipping.GlobalNorm(new[] { a, b }), Is.EqualTo(6.5).Within(1e-6));
        // Below the maximum nothing changes.
        Assert.That(GradientClipping.ClipByGlobalNorm(new[] { a, b }, maxNorm: 100), Is.EqualTo(6.5).Within(1e-6));
        Assert.That(b.Gradient.ToArray(), Is.EqualTo(new[] { 12 * coefficient }));
    }

    [Test]
    public void ClipByValue_Clamps()
    {
        var a = new ParameterTensor<float>("a", new[] { 4 }, new float[4], new[] { -3f, -0.5f, 0.25f, 9f });
        GradientClipping.ClipByValue(new[] { a }, 1.0);
        Assert.That(a.Gradient.ToArray(), Is.EqualTo(new[] { -1f, -0.5f, 0.25f, 1f }));
    }

    [Test]
    public void GradientNormReport_WarnsOnVanishingExplodingAndNonFinite()
    {
        var tiny = new ParameterTensor<double>("tiny", new[] { 2 }, new double[2], new[] { 1e-9, 0 });
        var fine = new ParameterTensor<double>("fine", new[] { 2 }, new double[2], new[] { 0.3, 0.4 });
        var huge = new ParameterTensor<double>("huge", new[] { 1 }, new double[1], new[] { 5e3 });

        var healthy = GradientNormReport.Create(new[] { fine }, step: 1);
        Assert.That(healthy.Health, Is.EqualTo(GradientHealth.Healthy));
        Assert.That(healthy.GlobalNorm, Is.EqualTo(0.5).Within(1e-15));
        Assert.That(healthy.Warnings, Is.Empty);

        var vanishing = GradientNormReport.Create(new[] { tiny }, step: 2);
        Assert.That(vanishing.Health, Is.EqualTo(GradientHealth.Vanishing));
        Assert.That(vanishing.Warnings, Has.Some.Contains("step 2: global gradient norm 1.000E-009 is vanishing"));

        var mixed = GradientNormReport.Create(new[] { tiny, fine, huge }, step: 3);
        Assert.That(mixed.Health, Is.EqualTo(GradientHealth.Exploding));
        Assert.That(mixed.Tensors.Select(t => t.Health), Is.EqualTo(new[] { GradientHealth.Vanishing, GradientHealth.Healthy, GradientHealth.Exploding }));
        Assert.That(mixed.Warnings, Has.Count.EqualTo(3));
        Assert.That(mixed.Warnings, Has.Some.Contains("'tiny'").And.Some.Contains("'huge'"));

        huge.Gradient.Span[0] = double.NaN;
        var log = new System.IO.StringWriter();
        var monitor = new GradientMonitor<double>(new[] { fine, huge }, log);
        Assert.That(monitor.Record(4).Health, Is.EqualTo(GradientHealth.NonFinite));
        Assert.That(log.ToString(), Does.Contain("warning: step 4: global gradient norm NaN is not finite"));
        Assert.That(monitor.GlobalNorms, Has.Count.EqualTo(1));
    }
}
