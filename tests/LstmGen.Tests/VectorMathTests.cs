using System;
using System.Runtime.Intrinsics;
using LstmGen.Numerics;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// The fused gate kernels' σ and tanh (<see cref="VectorMath"/>) against double-precision references on a dense grid
/// over [−30, 30] plus saturating and tiny inputs, per vector width: the maximum errors stated in VectorMath's remarks.
/// σ is checked relative to its value, tanh absolutely (it is computed as a difference near 0). A width the machine
/// does not accelerate is skipped (the SIMD path tests run the narrower widths in child processes).
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

    private static bool Accelerated(int bits) => bits switch
    {
        512 => Vector512.IsHardwareAccelerated,
        256 => Vector256.IsHardwareAccelerated,
        _ => Vector128.IsHardwareAccelerated,
    };

    /// <summary>σ and tanh of x at one vector width, read from lane <paramref name="lane"/> (every lane holds x).</summary>
    private static (double Sigmoid, double Tanh) Evaluate(int bits, float x, int lane) => bits switch
    {
        512 => (VectorMath.Sigmoid(Vector512.Create(x))[lane], VectorMath.Tanh(Vector512.Create(x))[lane]),
        256 => (VectorMath.Sigmoid(Vector256.Create(x))[lane], VectorMath.Tanh(Vector256.Create(x))[lane]),
        _ => (VectorMath.Sigmoid(Vector128.Create(x))[lane], VectorMath.Tanh(Vector128.Create(x))[lane]),
    };

    private static (double Sigmoid, double Tanh) Evaluate(int bits, double x, int lane) => bits switch
    {
        512 => (VectorMath.Sigmoid(Vector512.Create(x))[lane], VectorMath.Tanh(Vector512.Create(x))[lane]),
        256 => (VectorMath.Sigmoid(Vector256.Create(x))[lane], VectorMath.Tanh(Vector256.Create(x))[lane]),
        _ => (VectorMath.Sigmoid(Vector128.Create(x))[lane], VectorMath.Tanh(Vector128.Create(x))[lane]),
    };

    [TestCase(512)]
    [TestCase(256)]
    [TestCase(128)]
    public void Float_SigmoidAndTanh_AreWithinTheStatedError(int bits)
    {
        if (!Accelerated(bits)) Assert.Ignore($"Vector{bits} is not accelerated on this machine.");
        double sigmoid = 0, tanh = 0;
        foreach (var x in Inputs())
        {
            var xf = (float)x;
            double s = SigmoidReference(xf), t = Math.Tanh(xf);
            var (vs, vt) = Evaluate(bits, xf, lane: 3);
            tanh = Math.Max(tanh, Math.Abs(vt - t));
            // σ below 1e-30 is flushed towards 0 (relative error up to 1 there), so the relative bound is checked where σ is normal.
            if (s >= 1e-30) sigmoid = Math.Max(sigmoid, Math.Abs(vs - s) / s);
        }
        TestContext.Out.WriteLine($"float Vector{bits}: sigmoid {sigmoid:E2} relative (where sigma >= 1e-30), tanh {tanh:E2} absolute");
        Assert.Multiple(() =>
        {
            Assert.That(sigmoid, Is.LessThanOrEqualTo(5e-7), "sigmoid");
            Assert.That(tanh, Is.LessThanOrEqualTo(3e-7), "tanh");
        });
    }

    [TestCase(512)]
    [TestCase(256)]
    [TestCase(128)]
    public void Double_SigmoidAndTanh_AreWithinTheStatedError(int bits)
    {
        if (!Accelerated(bits)) Assert.Ignore($"Vector{bits} is not accelerated on this machine.");
        double sigmoid = 0, tanh = 0;
        foreach (var x in Inputs())
        {
            double s = SigmoidReference(x), t = Math.Tanh(x);
            if (s < 1e-300) continue;
            var (vs, vt) = Evaluate(bits, x, lane: 1);
            sigmoid = Math.Max(sigmoid, Math.Abs(vs - s) / s);
            tanh = Math.Max(tanh, Math.Abs(vt - t));
        }
        TestContext.Out.WriteLine($"double Vector{bits}: sigmoid {sigmoid:E2} relative, tanh {tanh:E2} absolute");
        Assert.Multiple(() =>
        {
            Assert.That(sigmoid, Is.LessThanOrEqualTo(1e-15), "sigmoid");
            Assert.That(tanh, Is.LessThanOrEqualTo(1e-15), "tanh");
        });
    }
}
