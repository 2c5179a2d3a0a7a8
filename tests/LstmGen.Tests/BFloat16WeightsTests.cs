using System;
using LstmGen.Numerics;
using LstmGen.Testing;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// <see cref="LstmWeightFormat.BFloat16"/>: the bfloat16 step widens each weight exactly and sums in float, so it must
/// equal — bit for bit — the float32 forward run on parameters whose W_hh has been rounded to bfloat16. Rounding,
/// refusals and the stream are checked too.
/// </summary>
public class BFloat16WeightsTests
{
    [TestCase(1.0f, (ushort)0x3F80)]
    [TestCase(-2.0f, (ushort)0xC000)]
    [TestCase(-0.0f, (ushort)0x8000)]
    [TestCase(1.00390625f, (ushort)0x3F80)]    // 1 + 2^-8: halfway between 1 (even) and 1 + 2^-7, to even
    [TestCase(1.01171875f, (ushort)0x3F82)]    // 1 + 3·2^-8: halfway between 1 + 2^-7 (odd) and 1 + 2^-6, to even
    [TestCase(1.0039066f, (ushort)0x3F81)]     // 3 float ulps above the first tie: up
    [TestCase(float.PositiveInfinity, (ushort)0x7F80)]
    [TestCase(float.MaxValue, (ushort)0x7F80)] // past the largest finite bfloat16: infinity
    [TestCase(1e-40f, (ushort)0x0001)]         // subnormal: 1e-40 = 0x000116C2, rounds to the nearest subnormal bfloat16
    public void Round_IsNearestTiesToEven(float value, ushort expected)
        => Assert.That(BFloat16.Round(value), Is.EqualTo(expected), $"{value:R}");

    [Test]
    public void Round_KeepsNaN_AndWidenIsExact()
    {
        Assert.That(float.IsNaN(BFloat16.Widen(BFloat16.Round(float.NaN))), Is.True, "NaN stays NaN");
        var random = new Random(3);
        for (var i = 0; i < 10_000; i++)
        {
            var value = (float)((random.NextDouble() * 2 - 1) * Math.Pow(2, random.Next(-20, 20)));
            var rounded = BFloat16.Widen(BFloat16.Round(value));
            Assert.That(Math.Abs(rounded - value), Is.LessThanOrEqualTo(Math.Abs(value) * Math.Pow(2, -8)), $"{value:R} → {rounded:R}: more than half a bfloat16 ulp");
            Assert.That(BFloat16.Round(rounded), Is.EqualTo(BFloat16.Round(value)), "rounding a bfloat16 value again changes nothing");
        }
    }

    private static void EqualsFloatForwardOnRoundedWeights<TCell>(int steps, int batch, int seed)
        where TCell : ILstmCell<TCell>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var random = new Random(seed);
        var parameters = RandomValues.Parameters<TCell, float>(random);
        var x = RandomValues.Uniform<float>(random, steps * batch * d);
        var h0 = RandomValues.Uniform<float>(random, batch * h);
        var c0 = RandomValues.Uniform<float>(random, batch * h);
        var weights = new LstmPackedWeights<TCell, float>(parameters, LstmWeightFormat.BFloat16);
        var rounded = new LstmParameters<TCell, float>();
        parameters.Data.CopyTo(rounded.Data);
        var whh = rounded.WeightHh;
        for (var i = 0; i < whh.Length; i++) whh[i] = BFloat16.Widen(BFloat16.Round(whh[i]));

        foreach (var fromState in new[] { false, true })
        {
            float[] expected = new float[steps * batch * h], hT = new float[batch * h], cT = new float[batch * h];
            float[] actual = new float[steps * batch * h], hTReduced = new float[batch * h], cTReduced = new float[batch * h];
            float[] full = new float[steps * batch * h];
            if (fromState)
            {
                Lstm.Forward(rounded, steps, batch, x, h0, c0, expected, hT, cT);
                Lstm.Forward(weights, steps, batch, x, h0, c0, actual, hTReduced, cTReduced);
                Lstm.Forward(parameters, steps, batch, x, h0, c0, full, new float[batch * h], new float[batch * h]);
            }
            else
            {
                Lstm.Forward(rounded, steps, batch, x, expected, hT, cT);
                Lstm.Forward(weights, steps, batch, x, actual, hTReduced, cTReduced);
                Lstm.Forward(parameters, steps, batch, x, full, new float[batch * h], new float[batch * h]);
            }
            var label = $"{typeof(TCell).Name}, T = {steps}, B = {batch}, state {fromState}";
            Assert.Multiple(() =>
            {
                Assert.That(actual, Is.EqualTo(expected), $"outputs ({label})");
                Assert.That(hTReduced, Is.EqualTo(hT), $"hT ({label})");
                Assert.That(cTReduced, Is.EqualTo(cT), $"cT ({label})");
                // The rounding shows against float32 weights (so the bfloat16 step ran), and stays small.
                var error = Normwise.RelativeError(Array.ConvertAll(actual, v => (double)v), Array.ConvertAll(full, v => (double)v));
                Assert.That(error, Is.GreaterThan(0).And.LessThan(2e-2), $"normwise difference from float32 weights ({label})");
            });
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(7)]
    public void PackedForward_EqualsFloatForwardOnRoundedWeights(int batch)
    {
        EqualsFloatForwardOnRoundedWeights<Cell3x5>(6, batch, 1);
        EqualsFloatForwardOnRoundedWeights<Cell16x32>(5, batch, 2);
        EqualsFloatForwardOnRoundedWeights<Cell17x33>(5, batch, 3);
        EqualsFloatForwardOnRoundedWeights<Cell64x128>(4, batch, 4);
    }

    [Test]
    public void PackedForward_EqualsFloatForwardOnRoundedWeights_Variants()
    {
        EqualsFloatForwardOnRoundedWeights<Cell5x7_Peephole_ForgetBias>(6, 3, 5);
        EqualsFloatForwardOnRoundedWeights<Cell5x7_Cifg_Clip>(6, 1, 6);
        EqualsFloatForwardOnRoundedWeights<Cell5x7_Peephole_Cifg_Clip>(6, 4, 7);
        EqualsFloatForwardOnRoundedWeights<Cell16x32_Peephole_ForgetBias>(5, 2, 8);
    }

    [Test]
    public void Stream_EqualsPackedForward()
    {
        const int steps = 6, batch = 2;
        var random = new Random(9);
        var parameters = RandomValues.Parameters<Cell17x33, float>(random);
        var x = RandomValues.Uniform<float>(random, steps * batch * 17);
        var expected = new float[steps * batch * 33];
        Lstm.Forward(new LstmPackedWeights<Cell17x33, float>(parameters, LstmWeightFormat.BFloat16), steps, batch, x, expected, new float[batch * 33], new float[batch * 33]);
        var stream = new LstmStream<Cell17x33, float>(parameters, batch, LstmWeightFormat.BFloat16);
        Assert.That(stream.WeightFormat, Is.EqualTo(LstmWeightFormat.BFloat16));
        var actual = new float[steps * batch * 33];
        for (var t = 0; t < steps; t++)
            stream.Step(x.AsSpan(t * batch * 17, batch * 17), actual.AsSpan(t * batch * 33, batch * 33));
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Refuses_DoubleCells_LayerNormCells_AndUnknownFormats()
    {
        var doubles = new LstmParameters<Cell3x5, double>();
        var error = Assert.Throws<NotSupportedException>(() => _ = new LstmPackedWeights<Cell3x5, double>(doubles, LstmWeightFormat.BFloat16));
        Assert.That(error!.Message, Does.Contain("float cells").And.Contain("Double"));
        var layerNorm = new LstmParameters<Cell5x7_LayerNorm_Cifg_Clip, float>();
        error = Assert.Throws<NotSupportedException>(() => _ = new LstmStream<Cell5x7_LayerNorm_Cifg_Clip, float>(layerNorm, 1, LstmWeightFormat.BFloat16));
        Assert.That(error!.Message, Does.Contain("layer norm"));
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LstmPackedWeights<Cell3x5, float>(new LstmParameters<Cell3x5, float>(), (LstmWeightFormat)7));
        Assert.That(unknown!.ParamName, Is.EqualTo("format"));
    }
}
