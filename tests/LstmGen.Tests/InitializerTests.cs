using System;
using System.Linq;
using LstmGen.Layers;
using LstmGen.Training;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>The initialisers and the default recipe.</summary>
public class InitializerTests
{
    [Test]
    public void PyTorchDefault_IsUniformWithinOneOverSqrtH()
    {
        var parameters = new LstmParameters<Char16x96, double>();
        Initializers.PyTorchDefault(parameters, new Random(1));
        var bound = 1 / Math.Sqrt(96);
        var values = parameters.Data.ToArray();
        Assert.That(values.Max(Math.Abs), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.99 * bound));
        Assert.That(values.Average(), Is.EqualTo(0).Within(0.01 * bound * 10));
        Assert.That(values.Select(v => v * v).Average(), Is.EqualTo(bound * bound / 3).Within(0.02 * bound * bound), "variance of U(−b, b) is b²/3");
    }

    [Test]
    public void DefaultRecipe_XavierInput_OrthogonalRecurrentBlocks_ForgetBiasOne()
    {
        var parameters = new LstmParameters<Char16x96, double>();
        Initializers.InitializeDefault(parameters, new Random(2));
        const int d = 16, h = 96;
        var xavier = Math.Sqrt(6.0 / (d + 4 * h));
        var input = parameters.WeightIh.ToArray();
        Assert.That(input.Max(Math.Abs), Is.LessThanOrEqualTo(xavier).And.GreaterThan(0.99 * xavier));

        var recurrent = parameters.WeightHh.ToArray();
        for (var gate = 0; gate < 4; gate++)
        {
            double worst = 0;
            for (var i = 0; i < h; i++)
                for (var j = 0; j < h; j++)
                {
                    double dot = 0;
                    for (var r = 0; r < h; r++) dot += recurrent[(gate * h + r) * h + i] * recurrent[(gate * h + r) * h + j];
                    worst = Math.Max(worst, Math.Abs(dot - (i == j ? 1 : 0)));
                }
            Assert.That(worst, Is.LessThan(1e-12), $"gate {gate}: QᵀQ = I");
        }

        var biasIh = parameters.BiasIh.ToArray();
        Assert.That(biasIh[h..(2 * h)], Is.All.EqualTo(1.0), "forget block of bias_ih");
        Assert.That(biasIh[..h].Concat(biasIh[(2 * h)..]), Is.All.EqualTo(0.0));
        Assert.That(parameters.BiasHh.ToArray(), Is.All.EqualTo(0.0));
    }

    [Test]
    public void Orthogonal_WideMatrix_HasOrthonormalRows()
    {
        var w = new double[3 * 7];
        Initializers.Orthogonal<double>(w, 3, 7, new Random(3), gain: 2);
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
            {
                double dot = 0;
                for (var k = 0; k < 7; k++) dot += w[i * 7 + k] * w[j * 7 + k];
                Assert.That(dot, Is.EqualTo(i == j ? 4 : 0).Within(1e-12));
            }
    }

    [Test]
    public void ForgetGateBias_SetsTheSum()
    {
        var parameters = new LstmParameters<Net3x4, float>();
        parameters.InitializePyTorchDefault(new Random(4));
        Initializers.ForgetGateBias(parameters, 2.0);
        Assert.That(parameters.BiasIh.Slice(4, 4).ToArray(), Is.All.EqualTo(2f));
        Assert.That(parameters.BiasHh.Slice(4, 4).ToArray(), Is.All.EqualTo(0f));
        Assert.That(parameters.BiasIh[0], Is.Not.EqualTo(0f), "other blocks untouched");
    }

    [Test]
    public void SameSeed_SameNetwork()
    {
        float[] Build(int seed) => new LstmNetworkBuilder<float>().Embedding(9, 3).Lstm<Net3x4>(true).Linear(9).Build(seed)
            .Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
        Assert.That(Build(5), Is.EqualTo(Build(5)));
        Assert.That(Build(5), Is.Not.EqualTo(Build(6)));
    }
}
