using System;
using System.Collections.Generic;
using LstmGen.Cli.Models;
using LstmGen.Layers;
using LstmGen.Training;

namespace LstmGen.Cli.Tasks;

/// <summary>
/// Hochreiter &amp; Schmidhuber's adding problem: per step a value U(0, 1) and a marker; two steps are marked (one in
/// each half); the target, read at the last step only, is the sum of the two marked values. Predicting the mean 1
/// gives MSE 1/6 ≈ 0.167; success is MSE &lt; 0.01. Inputs are features 0 (value) and 1 (marker) of 16 (the rest zero).
/// </summary>
internal sealed class AddingTask : ITrainingTask
{
    private readonly int _length, _batch;

    public AddingTask(TrainOptions options)
    {
        if (options.Length < 2) throw new CliException($"--length {options.Length} is too short: the adding problem needs at least 2 steps");
        _length = options.Length;
        _batch = options.Batch;
    }

    public string Name => "adding";
    public int DefaultHidden => 32;
    public int DefaultEpochs => 60;
    public double DefaultLearningRate => 3e-3;
    public string Unit => "seq";
    public int UnitsPerStep => _batch;
    public int Outputs => 1;
    public LstmNetworkBuilder<float> Input(LstmNetworkBuilder<float> builder) => builder.Input(CellCatalog.InputFeatures);
    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string> { ["length"] = _length.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private (float[] X, float[] Y) Batch(DeterministicRandom random, int batch)
    {
        const int f = CellCatalog.InputFeatures;
        var x = new float[_length * batch * f];
        var y = new float[batch];
        var half = _length / 2;
        for (var b = 0; b < batch; b++)
        {
            var first = random.Next(half);
            var second = half + random.Next(_length - half);
            for (var t = 0; t < _length; t++)
            {
                var row = t * batch + b;
                var value = (float)random.NextDouble();
                x[row * f] = value;
                if (t == first || t == second)
                {
                    x[row * f + 1] = 1;
                    y[b] += value;
                }
            }
        }
        return (x, y);
    }

    private double Loss(LstmNetwork<float> network, float[] x, float[] y, int batch, bool training)
    {
        var prediction = new float[_length * batch];
        network.Forward(x, new SequenceShape(_length, batch), prediction, training);
        var gradient = new float[prediction.Length];
        double loss = 0;
        var lastRow = (_length - 1) * batch;
        for (var b = 0; b < batch; b++)
        {
            var e = prediction[lastRow + b] - y[b];
            loss += e * e;
            gradient[lastRow + b] = 2 * e / batch;
        }
        if (training) network.Backward(gradient);
        return loss / batch;
    }

    public double TrainStep(LstmNetwork<float> network, DeterministicRandom random)
    {
        var (x, y) = Batch(random, _batch);
        return Loss(network, x, y, _batch, training: true);
    }

    public TaskResult Evaluate(LstmNetwork<float> network)
    {
        var (x, y) = Batch(new DeterministicRandom(777), 1000);
        var mse = Loss(network, x, y, 1000, training: false);
        var rows = new List<(string, string)>
        {
            ("sequence length", _length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("test MSE (1000 sequences)", $"{Numbers.Format(mse)}"),
            ("baseline (always 1)", "1.667E-001"),
            ("success (MSE < 0.01)", mse < 0.01 ? "yes" : "no"),
        };
        return new TaskResult(rows, $"adding (T = {_length}): test MSE {Numbers.Format(mse)} vs baseline 0.167 — {(mse < 0.01 ? "solved" : "not solved yet")}", mse);
    }

    public IReadOnlyList<string> WritePlots(LstmNetwork<float> network, string directory) => Array.Empty<string>();
}
