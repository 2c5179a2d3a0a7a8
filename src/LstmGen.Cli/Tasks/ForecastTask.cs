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
/// Forecasting a generated series (Mackey-Glass τ = 17, or a sum of two sines), normalised to zero mean and unit
/// variance. Each step feeds the last 16 values (lags 0..15); training targets the next value. The first 70 % trains,
/// the last 30 % is the test range; baselines: last value, and a least-squares linear model on the same 16 lags.
/// One step ahead both models nearly match the truth, so the test also runs them free: from origins across the test
/// range each sees the true series up to the origin and then only its own predictions, for <see cref="Horizon"/> steps.
/// </summary>
internal sealed class ForecastTask : ITrainingTask
{
    private const int Window = 48, Lags = CellCatalog.InputFeatures;

    /// <summary>Steps of a free-running forecast, and the spacing of their origins over the test range.</summary>
    public const int Horizon = 60, OriginSpacing = 15;
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
        var free = FreeRunning(network);
        const int early = 20;
        var rows = new List<(string, string)>
        {
            ("one-step test MSE (LSTM)", Numbers.Format(mse)),
            ("one-step test MSE (last value)", Numbers.Format(last)),
            ("one-step test MSE (linear, 16 lags)", Numbers.Format(lin)),
            ($"free-running RMSE at {early} steps (LSTM / linear / last value)", $"{Numbers.Format(free.Lstm[early - 1])} / {Numbers.Format(free.Linear[early - 1])} / {Numbers.Format(free.Last[early - 1])}"),
            ($"free-running RMSE at {Horizon} steps (LSTM / linear / last value)", $"{Numbers.Format(free.Lstm[^1])} / {Numbers.Format(free.Linear[^1])} / {Numbers.Format(free.Last[^1])}"),
        };
        return new TaskResult(rows, $"{SeriesName}: one-step test MSE {Numbers.Format(mse)} (linear {Numbers.Format(lin)}); " +
            $"{Horizon} steps free-running RMSE {Numbers.Format(free.Lstm[^1])} (linear {Numbers.Format(free.Linear[^1])}) over {free.Origins} origins", mse);
    }

    /// <summary>Root-mean-square error by horizon (index h − 1) of the free-running forecasts from every origin.</summary>
    public sealed record HorizonErrors(double[] Lstm, double[] Linear, double[] Last, int Origins);

    public HorizonErrors FreeRunning(LstmNetwork<float> network)
    {
        var origins = Origins();
        var lstm = RolloutLstm(network, origins);
        var linear = RolloutLinear(origins);
        double[] Rmse(Func<int, int, double> forecast) => Enumerable.Range(1, Horizon)
            .Select(h => Math.Sqrt(Enumerable.Range(0, origins.Length).Average(j => Math.Pow(forecast(j, h) - _series[origins[j] + h], 2)))).ToArray();
        return new HorizonErrors(Rmse((j, h) => lstm[j][h - 1]), Rmse((j, h) => linear[j][h - 1]), Rmse((j, _) => _series[origins[j]]), origins.Length);
    }

    /// <summary>Origins o (the last true value seen) spaced over the test range, each with <see cref="Horizon"/> true values after it.</summary>
    private int[] Origins()
    {
        var list = new List<int>();
        for (var o = _split; o + Horizon < _series.Length; o += OriginSpacing) list.Add(o);
        return list.ToArray();
    }

    /// <summary>
    /// The network's forecasts [origin][h − 1]: it runs the <see cref="Window"/> true steps up to each origin from a zero
    /// state (as in training), then steps on, fed its own predictions as the newest lags. All origins run as one batch.
    /// </summary>
    private double[][] RolloutLstm(LstmNetwork<float> network, int[] origins)
    {
        var batch = origins.Length;
        var histories = origins.Select(o => Extend(o)).ToArray();
        var state = network.CreateState(batch);
        var x = new float[Window * batch * Lags];
        for (var t = 0; t < Window; t++)
            for (var j = 0; j < batch; j++)
                FillLags(histories[j], origins[j] - Window + 1 + t, x.AsSpan((t * batch + j) * Lags, Lags));
        var y = new float[Window * batch];
        network.Forward(x, new SequenceShape(Window, batch), y, training: false, state);
        var forecasts = origins.Select(_ => new double[Horizon]).ToArray();
        var stepShape = new SequenceShape(1, batch);
        var stepX = new float[batch * Lags];
        var stepY = new float[batch];
        for (var h = 1; ; h++)
        {
            for (var j = 0; j < batch; j++)
            {
                var prediction = h == 1 ? y[(Window - 1) * batch + j] : stepY[j];
                forecasts[j][h - 1] = prediction;
                histories[j][origins[j] + h] = prediction;
            }
            if (h == Horizon) return forecasts;
            for (var j = 0; j < batch; j++) FillLags(histories[j], origins[j] + h, stepX.AsSpan(j * Lags, Lags));
            network.Forward(stepX, stepShape, stepY, training: false, state);
        }
    }

    /// <summary>The linear model's forecasts [origin][h − 1], fed its own predictions the same way.</summary>
    private double[][] RolloutLinear(int[] origins)
    {
        var w = FitLinear();
        var lags = new float[Lags];
        return origins.Select(o =>
        {
            var history = Extend(o);
            var forecast = new double[Horizon];
            for (var h = 1; h <= Horizon; h++)
            {
                FillLags(history, o + h - 1, lags);
                var s = w[Lags];
                for (var k = 0; k < Lags; k++) s += w[k] * lags[k];
                forecast[h - 1] = history[o + h] = s;
            }
            return forecast;
        }).ToArray();
    }

    /// <summary>The true series up to and including <paramref name="origin"/>, with room for the forecast after it.</summary>
    private double[] Extend(int origin)
    {
        var history = new double[origin + 1 + Horizon];
        Array.Copy(_series, history, origin + 1);
        return history;
    }

    private static void FillLags(double[] history, int t, Span<float> lags)
    {
        for (var k = 0; k < Lags; k++) lags[k] = t - k >= 0 ? (float)history[t - k] : 0;
    }

    public IReadOnlyList<string> WritePlots(LstmNetwork<float> network, string directory)
    {
        var origins = Origins();
        var shown = origins.Length / 2;   // one origin from the middle of the test range
        var origin = origins[shown];
        var lstm = RolloutLstm(network, new[] { origin })[0];
        var linear = RolloutLinear(new[] { origin })[0];
        var context = Enumerable.Range(origin - 2 * Horizon, 3 * Horizon + 1).ToArray();
        var ahead = Enumerable.Range(origin + 1, Horizon).Select(t => (double)t).ToArray();
        var files = new List<string>();
        files.AddRange(LinePlot.Write(Path.Combine(directory, $"forecast-{SeriesName}"),
            $"{SeriesName}: {Horizon}-step free-running forecast from step {origin}", "time step", "value (normalised)", new[]
            {
                new Line("truth", context.Select(t => (double)t).ToArray(), context.Select(t => _series[t]).ToArray(), LinePlot.LightGray, Width: 5),
                new Line("LSTM", ahead, lstm, LinePlot.Blue),
                new Line("linear (16 lags)", ahead, linear, LinePlot.Orange, Dashed: true),
            }, marker: origin, markerLabel: "forecast starts"));
        var errors = FreeRunning(network);
        var horizons = Enumerable.Range(1, Horizon).Select(h => (double)h).ToArray();
        files.AddRange(LinePlot.Write(Path.Combine(directory, $"forecast-error-{SeriesName}"),
            $"{SeriesName}: free-running forecast error by horizon ({errors.Origins} origins in the test range)", "steps ahead", "RMSE (normalised units)", new[]
            {
                new Line("LSTM", horizons, errors.Lstm, LinePlot.Blue),
                new Line("linear (16 lags)", horizons, errors.Linear, LinePlot.Orange, Dashed: true),
                new Line("last value", horizons, errors.Last, LinePlot.Gray),
            }));
        return files;
    }
}
