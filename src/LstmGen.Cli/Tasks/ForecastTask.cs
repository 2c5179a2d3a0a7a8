using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LstmGen.Cli.Models;
using LstmGen.Cli.Plots;
using LstmGen.Layers;
using LstmGen.Training;

namespace LstmGen.Cli.Tasks;

/// <summary>
/// One-step-ahead forecasting of a generated series (Mackey-Glass τ = 17, or a sum of two sines), normalised to
/// zero mean and unit variance. Each step feeds the last 16 values (lags 0..15); the target is the next value.
/// The first 70 % trains, the last 30 % is the test range; baselines: last value, and a least-squares linear model
/// on the same 16 lags.
/// </summary>
internal sealed class ForecastTask : ITrainingTask
{
    private const int Window = 48, Lags = CellCatalog.InputFeatures;
    private readonly double[] _series;
    private readonly int _split, _batch;

    public ForecastTask(TrainOptions options)
    {
        _series = options.Series switch
        {
            "mackey-glass" => MackeyGlass(4000),
            "sine" => Sine(4000),
            _ => throw new CliException($"unknown series '{options.Series}': choose mackey-glass or sine"),
        };
        _split = (int)(_series.Length * 0.7);
        _batch = options.Batch;
        SeriesName = options.Series;
    }

    public string SeriesName { get; }
    public string Name => "forecast";
    public int DefaultHidden => 32;
    public int DefaultEpochs => 10;
    public double DefaultLearningRate => 3e-3;
    public string Unit => "seq";
    public int UnitsPerStep => _batch;
    public int Outputs => 1;
    public LstmNetworkBuilder<float> Input(LstmNetworkBuilder<float> builder) => builder.Input(Lags);
    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string> { ["series"] = SeriesName };

    /// <summary>Mackey-Glass dx/dt = 0.2·x(t−17)/(1 + x(t−17)^10) − 0.1·x, Euler steps of 0.1, sampled every 3 time units.</summary>
    public static double[] MackeyGlass(int count)
    {
        const double dt = 0.1, tau = 17;
        const int every = 30, delay = (int)(tau / dt), warmUp = 3000;
        var total = warmUp + count * every;
        var x = new double[total + delay];
        for (var i = 0; i < delay; i++) x[i] = 1.2;
        for (var i = delay; i < x.Length - 1; i++)
        {
            var lagged = x[i - delay];
            x[i + 1] = x[i] + dt * (0.2 * lagged / (1 + Math.Pow(lagged, 10)) - 0.1 * x[i]);
        }
        var series = new double[count];
        for (var k = 0; k < count; k++) series[k] = x[delay + warmUp + k * every];
        return Normalise(series);
    }

    public static double[] Sine(int count)
    {
        var s = new double[count];
        for (var t = 0; t < count; t++) s[t] = Math.Sin(0.11 * t) + 0.5 * Math.Sin(0.37 * t + 1);
        return Normalise(s);
    }

    private static double[] Normalise(double[] s)
    {
        var mean = s.Average();
        var std = Math.Sqrt(s.Select(v => (v - mean) * (v - mean)).Average());
        return s.Select(v => (v - mean) / std).ToArray();
    }

    private double Lag(int t, int k) => t - k >= 0 ? _series[t - k] : 0;

    public double TrainStep(LstmNetwork<float> network, DeterministicRandom random)
    {
        var shape = new SequenceShape(Window, _batch);
        var x = new float[shape.Rows * Lags];
        var y = new float[shape.Rows];
        for (var b = 0; b < _batch; b++)
        {
            var start = random.Next(_split - Window - 1);
            for (var t = 0; t < Window; t++)
            {
                var row = t * _batch + b;
                for (var k = 0; k < Lags; k++) x[row * Lags + k] = (float)Lag(start + t, k);
                y[row] = (float)_series[start + t + 1];
            }
        }
        var prediction = new float[shape.Rows];
        var gradient = new float[shape.Rows];
        network.Forward(x, shape, prediction, training: true);
        var loss = MeanSquaredError.Compute<float>(prediction, y, gradient);
        network.Backward(gradient);
        return loss;
    }

    /// <summary>Predictions for every t (of x[t+1]) over the whole series as one stream.</summary>
    public double[] Predict(LstmNetwork<float> network)
    {
        var steps = _series.Length - 1;
        var x = new float[steps * Lags];
        for (var t = 0; t < steps; t++)
            for (var k = 0; k < Lags; k++) x[t * Lags + k] = (float)Lag(t, k);
        var prediction = new float[steps];
        network.Forward(x, new SequenceShape(steps, 1), prediction, training: false);
        return prediction.Select(v => (double)v).ToArray();
    }

    /// <summary>Least-squares weights (16 lags + bias) fitted on the training range, with a tiny ridge.</summary>
    private double[] FitLinear()
    {
        const int n = Lags + 1;
        var a = new double[n, n];
        var rhs = new double[n];
        var f = new double[n];
        for (var t = 0; t + 1 < _split; t++)
        {
            for (var k = 0; k < Lags; k++) f[k] = Lag(t, k);
            f[Lags] = 1;
            for (var i = 0; i < n; i++)
            {
                rhs[i] += f[i] * _series[t + 1];
                for (var j = 0; j < n; j++) a[i, j] += f[i] * f[j];
            }
        }
        for (var i = 0; i < n; i++) a[i, i] += 1e-6;
        // Gaussian elimination with partial pivoting.
        for (var c = 0; c < n; c++)
        {
            var p = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[p, c])) p = r;
            for (var j = 0; j < n; j++) (a[c, j], a[p, j]) = (a[p, j], a[c, j]);
            (rhs[c], rhs[p]) = (rhs[p], rhs[c]);
            for (var r = c + 1; r < n; r++)
            {
                var m = a[r, c] / a[c, c];
                for (var j = c; j < n; j++) a[r, j] -= m * a[c, j];
                rhs[r] -= m * rhs[c];
            }
        }
        var w = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = rhs[i];
            for (var j = i + 1; j < n; j++) s -= a[i, j] * w[j];
            w[i] = s / a[i, i];
        }
        return w;
    }

    private double[] LinearPredictions()
    {
        var w = FitLinear();
        var p = new double[_series.Length - 1];
        for (var t = 0; t < p.Length; t++)
        {
            var s = w[Lags];
            for (var k = 0; k < Lags; k++) s += w[k] * Lag(t, k);
            p[t] = s;
        }
        return p;
    }

    public TaskResult Evaluate(LstmNetwork<float> network)
    {
        var model = Predict(network);
        var linear = LinearPredictions();
        double mse = 0, last = 0, lin = 0;
        var count = 0;
        for (var t = _split; t + 1 < _series.Length; t++)
        {
            var truth = _series[t + 1];
            mse += Math.Pow(model[t] - truth, 2);
            last += Math.Pow(_series[t] - truth, 2);
            lin += Math.Pow(linear[t] - truth, 2);
            count++;
        }
        mse /= count; last /= count; lin /= count;
        var rows = new List<(string, string)>
        {
            ("test MSE (LSTM)", $"{mse:E3}"),
            ("test MSE (last value)", $"{last:E3}"),
            ("test MSE (linear, 16 lags)", $"{lin:E3}"),
            ("LSTM vs last value", $"{last / mse:F1}× lower"),
            ("LSTM vs linear", $"{lin / mse:F2}× lower"),
        };
        return new TaskResult(rows, $"{SeriesName}: test MSE {mse:E3} (last value {last:E3}, linear {lin:E3}) over {count} steps", mse);
    }

    public IReadOnlyList<string> WritePlots(LstmNetwork<float> network, string directory)
    {
        var model = Predict(network);
        var linear = LinearPredictions();
        const int shown = 300;
        var range = Enumerable.Range(_split, Math.Min(shown, _series.Length - 1 - _split)).ToArray();
        var xs = range.Select(t => (double)(t + 1)).ToArray();
        var path = Path.Combine(directory, $"forecast-{SeriesName}.svg");
        Svg.LinePlot(path, $"{SeriesName}: one-step forecast on the test range", "time step", "value (normalised)", new[]
        {
            new Series("truth", xs, range.Select(t => _series[t + 1]).ToArray(), "#bbbbbb", Width: 5),
            new Series("LSTM", xs, range.Select(t => model[t]).ToArray(), Svg.Blue),
            new Series("linear (16 lags)", xs, range.Select(t => linear[t]).ToArray(), Svg.Orange, Dashed: true),
        });
        return new[] { path };
    }
}
