using System;
using System.IO;
using System.Linq;
using LstmGen.Layers;
using LstmGen.Numerics;
using LstmGen.Optimizers;
using LstmGen.Testing;
using LstmGen.Training;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// What bfloat16 recurrent weights cost in accuracy: on the golden cells (worst relative error of the outputs against
/// the float32 kernel) and on a task (a Mackey-Glass forecaster's test error with bfloat16 weights within 10 % of
/// float32). The measured figures are printed; docs/performance.md quotes them.
/// </summary>
public class BFloat16TaskTests
{
    [Test]
    public void GoldenCells_OutputsStayWithinOnePercentOfFloat32()
    {
        var worst = 0.0;
        var cells = 0;
        foreach (var file in Directory.GetFiles(Paths.GoldenFolder, "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            var golden = GoldenVector.Load(file);
            if (golden.Variant.LayerNorm) continue; // layer-norm cells keep float32 weights
            var cell = typeof(BFloat16TaskTests).Assembly.GetTypes()
                .Where(t => !t.ContainsGenericParameters && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILstmCell<>)))
                .First(type => Matches(type, golden));
            var error = (double)typeof(BFloat16TaskTests).GetMethod(nameof(RelativeError), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(cell).Invoke(null, new object[] { golden })!;
            TestContext.Out.WriteLine($"{Path.GetFileName(file)}: bfloat16 W_hh, worst relative error of the outputs against float32 {error:E2}");
            Assert.That(error, Is.GreaterThan(0).And.LessThan(1e-2), Path.GetFileName(file));
            worst = Math.Max(worst, error);
            cells++;
        }
        Assert.That(cells, Is.GreaterThanOrEqualTo(4), "golden cells without layer norm");
        TestContext.Out.WriteLine($"worst over {cells} golden cells: {worst:E2}");
    }

    private static bool Matches(Type type, GoldenVector golden)
    {
        var layout = (LstmCellLayout)type.GetProperty("Layout")!.GetValue(null)!;
        var v = layout.Variant;
        var g = golden.Variant;
        return layout.InputSize == golden.InputSize && layout.HiddenSize == golden.HiddenSize && v.Peephole == g.Peephole
            && !v.LayerNorm && v.ForgetBias == g.ForgetBias && v.CoupledInputForget == g.Cifg && v.Clip == g.Clip;
    }

    /// <summary>max |y_bf16 − y_f32| / max |y_f32| over the golden forward's outputs (T × B × H).</summary>
    private static double RelativeError<TCell>(GoldenVector golden) where TCell : ILstmCell<TCell>
    {
        int h = TCell.HiddenSize, steps = golden.Steps, batch = golden.Batch;
        var parameters = new LstmParameters<TCell, float>();
        foreach (var tensor in TCell.Layout.Tensors)
            Array.ConvertAll(golden.Parameters[tensor.Name], v => (float)v).CopyTo(parameters.Tensor(tensor.Name));
        float[] x = Array.ConvertAll(golden.X, v => (float)v), h0 = Array.ConvertAll(golden.H0, v => (float)v), c0 = Array.ConvertAll(golden.C0, v => (float)v);
        var full = new float[steps * batch * h];
        var reduced = new float[steps * batch * h];
        Lstm.Forward(parameters, steps, batch, x, h0, c0, full, new float[batch * h], new float[batch * h]);
        Lstm.Forward(new LstmPackedWeights<TCell, float>(parameters, LstmWeightFormat.BFloat16), steps, batch, x, h0, c0, reduced, new float[batch * h], new float[batch * h]);
        double worst = 0, scale = 0;
        for (var i = 0; i < full.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(reduced[i] - full[i]));
            scale = Math.Max(scale, Math.Abs(full[i]));
        }
        return worst / scale;
    }

    private const int Lags = 16, Window = 48;

    [Test]
    public void MackeyGlassForecaster_TestErrorWithin10PercentOfFloat32()
    {
        var series = MackeyGlass(1600);
        var split = (int)(series.Length * 0.7);
        var network = new LstmNetworkBuilder<float>().Lstm<Cell16x32>().Linear(1).Build(seed: 1);
        var optimizer = new Adam<float>(network.Parameters, learningRate: 1e-2);
        var random = new Random(2);
        const int batch = 16;
        var shape = new SequenceShape(Window, batch, SequenceLayout.TimeMajor);
        float[] inputs = new float[Window * batch * Lags], targets = new float[Window * batch], prediction = new float[Window * batch], dPrediction = new float[Window * batch];
        for (var step = 0; step < 300; step++)
        {
            for (var b = 0; b < batch; b++)
            {
                var start = random.Next(Lags, split - Window - 1);
                for (var t = 0; t < Window; t++) Window_(series, start + t, inputs.AsSpan((t * batch + b) * Lags, Lags), out targets[t * batch + b]);
            }
            network.ZeroGradients();
            network.Forward(inputs, shape, prediction, training: true);
            MeanSquaredError.Compute<float>(prediction, targets, dPrediction);
            network.Backward(dPrediction);
            optimizer.Step();
        }

        // The test range as one sequence (B = 1), through the trained layer with float32 and with bfloat16 W_hh.
        var steps = series.Length - 1 - split;
        var x = new float[steps * Lags];
        var truth = new float[steps];
        for (var t = 0; t < steps; t++) Window_(series, split + t, x.AsSpan(t * Lags, Lags), out truth[t]);
        var layer = (LstmLayer<Cell16x32, float>)network.Lstm.Layers[0];
        var head = network.Head!;
        double Mse(LstmWeightFormat format)
        {
            var hidden = new float[steps * Cell16x32.HiddenSize];
            Lstm.Forward(new LstmPackedWeights<Cell16x32, float>(layer.Parameters, format), steps, 1, x, hidden, new float[Cell16x32.HiddenSize], new float[Cell16x32.HiddenSize]);
            double sum = 0;
            for (var t = 0; t < steps; t++)
            {
                double y = head.Bias[0];
                for (var j = 0; j < Cell16x32.HiddenSize; j++) y += head.Weight[j] * hidden[t * Cell16x32.HiddenSize + j];
                sum += (y - truth[t]) * (y - truth[t]);
            }
            return sum / steps;
        }
        var float32 = Mse(LstmWeightFormat.Default);
        var bfloat16 = Mse(LstmWeightFormat.BFloat16);
        var lastValue = Enumerable.Range(0, steps).Average(t => Math.Pow(series[split + t] - truth[t], 2));
        TestContext.Out.WriteLine($"Mackey-Glass test MSE (one step ahead, {steps} steps): float32 {float32:E3}, bfloat16 W_hh {bfloat16:E3} ({bfloat16 / float32:F3}x); last-value baseline {lastValue:E3}");
        Assert.Multiple(() =>
        {
            Assert.That(float32, Is.LessThan(lastValue / 4), "the forecaster learned something (beats the last-value baseline 4x)");
            Assert.That(bfloat16, Is.Not.EqualTo(float32), "bfloat16 weights change the result");
            Assert.That(Math.Abs(bfloat16 / float32 - 1), Is.LessThanOrEqualTo(0.10), "bfloat16 test MSE within 10 % of float32");
        });
    }

    /// <summary>The <see cref="Lags"/> values up to <paramref name="t"/> (oldest first) and the value after it.</summary>
    private static void Window_(float[] series, int t, Span<float> lags, out float next)
    {
        for (var k = 0; k < Lags; k++) lags[k] = series[t - Lags + 1 + k];
        next = series[t + 1];
    }

    /// <summary>Mackey-Glass, τ = 17: dx/dt = 0.2 x(t−τ)/(1 + x(t−τ)^10) − 0.1 x, Euler steps of 0.1, one sample every 3 time units, normalised.</summary>
    private static float[] MackeyGlass(int count)
    {
        const double dt = 0.1;
        const int delay = 170, every = 30, warmUp = 3000;
        var x = new double[delay + warmUp + count * every + 1];
        for (var i = 0; i < delay; i++) x[i] = 1.2;
        for (var i = delay; i < x.Length - 1; i++)
            x[i + 1] = x[i] + dt * (0.2 * x[i - delay] / (1 + Math.Pow(x[i - delay], 10)) - 0.1 * x[i]);
        var samples = Enumerable.Range(0, count).Select(k => x[delay + warmUp + k * every]).ToArray();
        double mean = samples.Average(), std = Math.Sqrt(samples.Average(v => (v - mean) * (v - mean)));
        return samples.Select(v => (float)((v - mean) / std)).ToArray();
    }
}
