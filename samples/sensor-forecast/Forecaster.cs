using LstmGen;
using LstmGen.Layers;
using LstmGen.Optimizers;
using LstmGen.Training;

namespace SensorForecast;

/// <summary>The cell: one reading per step in, 32 hidden units.</summary>
[LstmCell(inputSize: 1, hiddenSize: 32)]
public partial struct SensorCell;

/// <summary>Reading → LSTM → linear head, trained to predict the next reading at every step.</summary>
public sealed class Forecaster
{
    public Forecaster(int seed)
        => Network = new LstmNetworkBuilder<float>().Input(1).Lstm<SensorCell>().Linear(1).Build(seed);

    public LstmNetwork<float> Network { get; }

    /// <summary>The trained LSTM layer's parameters, for <see cref="LstmStream{TCell,T}"/>.</summary>
    public LstmParameters<SensorCell, float> CellParameters => ((LstmLayer<SensorCell, float>)Network.Lstm.Layers[0]).Parameters;

    /// <summary>
    /// Adam on random windows of <paramref name="steps"/> hours from <paramref name="series"/>, <paramref name="batch"/>
    /// windows per update, mean squared error of the next-hour prediction; returns the last loss.
    /// </summary>
    public double Train(float[] series, int updates, int steps, int batch, int seed)
    {
        var optimizer = new Adam<float>(Network.Parameters, learningRate: 1e-2);
        var schedule = new CosineLearningRate(optimizer, period: updates, minimum: 1e-3);
        var shape = new SequenceShape(steps, batch, SequenceLayout.TimeMajor);
        var inputs = new float[shape.Rows];
        var targets = new float[shape.Rows];
        var predictions = new float[shape.Rows];
        var dPredictions = new float[shape.Rows];
        var random = new Random(seed);
        double loss = 0;
        for (var update = 1; update <= updates; update++)
        {
            for (var b = 0; b < batch; b++)
            {
                var start = random.Next(series.Length - steps - 1);
                for (var t = 0; t < steps; t++)
                {
                    inputs[t * batch + b] = series[start + t];
                    targets[t * batch + b] = series[start + t + 1];
                }
            }
            Network.ZeroGradients();
            Network.Forward(inputs, shape, predictions, training: true);
            loss = MeanSquaredError.Compute<float>(predictions, targets, dPredictions);
            Network.Backward(dPredictions);
            GradientClipping.ClipByGlobalNorm(Network.Parameters, maxNorm: 1.0);
            optimizer.Step();
            schedule.Step();
            if (update % 100 == 0) Console.WriteLine($"  update {update,4}: training MSE {loss:E2}");
        }
        return loss;
    }
}
