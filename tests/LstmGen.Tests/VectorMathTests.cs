using System;
using System.Runtime.Intrinsics;
using LstmGen.Numerics;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// The fused gate kernels' σ and tanh (<see cref="VectorMath"/>) against double-precision references on a dense grid
/// over [−30, 30] plus saturating and tiny inputs, per vector width: the maximum errors stated in VectorMath's remarks.
/// σ is checked relative to its value, tanh absolutely (it is computed as a difference near 0).
/// </summary>
public class VectorMathTests
{
    private static double[] Inputs()
    {
        var values = new System.Collections.Generic.List<double>();
        for (var i = -300_000; i <= 300_000; i++) values.Add(i * 1e-4);
        foreach (var v in new[] { 1e-30, 1e-8, 87.0, 88.5, 100.0, 700.0, 710.0, 1e10, double.MaxValue })
        {
            values.Add(v);
            values.Add(-v);
        }
        return values.ToArray();
    }

    private static double SigmoidReference(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    [Test]
    public void Float_SigmoidAndTanh_AreWithinTheStatedError()
    {
        double sigmoid512 = 0, tanh512 = 0, sigmoid256 = 0, tanh256 = 0;
        foreach (var x in Inputs())
        {
            var xf = (float)x;
            double xd = xf;
            double s = SigmoidReference(xd), t = Math.Tanh(xd);
            if (Vector512.IsHardwareAccelerated)
            {
                sigmoid512 = Math.Max(sigmoid512, Math.Abs(VectorMath.Sigmoid(Vector512.Create(xf))[3] - s) / Math.Max(s, 1e-38));
                tanh512 = Math.Max(tanh512, Math.Abs(VectorMath.Tanh(Vector512.Create(xf))[5] - t));
            }
            if (Vector256.IsHardwareAccelerated)
            {
                sigmoid256 = Math.Max(sigmoid256, Math.Abs(VectorMath.Sigmoid(Vector256.Create(xf))[3] - s) / Math.Max(s, 1e-38));
                tanh256 = Math.Max(tanh256, Math.Abs(VectorMath.Tanh(Vector256.Create(xf))[5] - t));
            }
        }
        TestContext.Out.WriteLine($"float: Vector512 sigmoid {sigmoid512:E2} relative, tanh {tanh512:E2} absolute; Vector256 sigmoid {sigmoid256:E2}, tanh {tanh256:E2}");
        // σ below 1e-38 is flushed to 0 (relative error 1 there), so the relative bound is checked where σ is normal.
        Assert.Multiple(() =>
        {
            Assert.That(tanh512, Is.LessThanOrEqualTo(3e-7));
            Assert.That(tanh256, Is.LessThanOrEqualTo(3e-7));
        });
        double normal512 = 0, normal256 = 0;
        foreach (var x in Inputs())
        {
            var xf = (float)x;
            var s = SigmoidReference(xf);
            if (s < 1e-30) continue;
            if (Vector512.IsHardwareAccelerated) normal512 = Math.Max(normal512, Math.Abs(VectorMath.Sigmoid(Vector512.Create(xf))[0] - s) / s);
            if (Vector256.IsHardwareAccelerated) normal256 = Math.Max(normal256, Math.Abs(VectorMath.Sigmoid(Vector256.Create(xf))[0] - s) / s);
        }
        TestContext.Out.WriteLine($"float sigmoid where sigma >= 1e-30: Vector512 {normal512:E2}, Vector256 {normal256:E2} relative");
        Assert.That(normal512, Is.LessThanOrEqualTo(5e-7));
        Assert.That(normal256, Is.LessThanOrEqualTo(5e-7));
    }

    [Test]
    public void Double_SigmoidAndTanh_AreWithinTheStatedError()
    {
        double sigmoid512 = 0, tanh512 = 0, sigmoid256 = 0, tanh256 = 0;
        foreach (var x in Inputs())
        {
            double s = SigmoidReference(x), t = Math.Tanh(x);
            if (s < 1e-300) continue;
            if (Vector512.IsHardwareAccelerated)
            {
                sigmoid512 = Math.Max(sigmoid512, Math.Abs(VectorMath.Sigmoid(Vector512.Create(x))[1] - s) / s);
                tanh512 = Math.Max(tanh512, Math.Abs(VectorMath.Tanh(Vector512.Create(x))[2] - t));
            }
            if (Vector256.IsHardwareAccelerated)
            {
                sigmoid256 = Math.Max(sigmoid256, Math.Abs(VectorMath.Sigmoid(Vector256.Create(x))[1] - s) / s);
                tanh256 = Math.Max(tanh256, Math.Abs(VectorMath.Tanh(Vector256.Create(x))[2] - t));
            }
        }
        TestContext.Out.WriteLine($"double: Vector512 sigmoid {sigmoid512:E2} relative, tanh {tanh512:E2} absolute; Vector256 sigmoid {sigmoid256:E2}, tanh {tanh256:E2}");
        Assert.Multiple(() =>
        {
            Assert.That(sigmoid512, Is.LessThanOrEqualTo(1e-15));
            Assert.That(tanh512, Is.LessThanOrEqualTo(1e-15));
            Assert.That(sigmoid256, Is.LessThanOrEqualTo(1e-15));
            Assert.That(tanh256, Is.LessThanOrEqualTo(1e-15));
        });
    }
}
