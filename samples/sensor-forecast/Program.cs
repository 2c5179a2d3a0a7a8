// Sensor forecast: train an LSTM to predict a sensor's next reading, then run it live, one reading at a time,
// with LstmStream (the state carries from call to call, the weights are packed once, nothing is allocated per step).
using LstmGen;
using SensorForecast;

var series = SensorSeries.Generate(hours: 3000, seed: 7);
var training = series[..2400];
var live = series[2400..];

Console.WriteLine($"Training on {training.Length} hourly readings ({SensorCell.InputSize} → {SensorCell.HiddenSize} LSTM → linear)");
var forecaster = new Forecaster(seed: 1);
forecaster.Train(training, updates: 400, steps: 48, batch: 16, seed: 2);

// Live: one reading arrives, one prediction of the next reading comes out.
var stream = new LstmStream<SensorCell, float>(forecaster.CellParameters);
var head = forecaster.Network.Head!;
var hidden = new float[SensorCell.HiddenSize];
var next = new float[1];
var streamed = new float[live.Length - 1];
for (var t = 0; t < live.Length - 1; t++)
{
    stream.Step(live.AsSpan(t, 1), hidden);
    head.Forward(hidden, next);
    streamed[t] = next[0];
}

// Scored after one day of warm-up (the stream starts from the zero state), against "the next reading equals this one".
const int warmUp = 24;
double model = 0, lastValue = 0;
for (var t = warmUp; t < live.Length - 1; t++)
{
    model += Math.Pow(streamed[t] - live[t + 1], 2);
    lastValue += Math.Pow(live[t] - live[t + 1], 2);
}
var count = live.Length - 1 - warmUp;
Console.WriteLine($"Live forecast over {count} hours: MSE {model / count:E2}, 'same as now' baseline {lastValue / count:E2} ({lastValue / model:F1}x better)");

// The stream gives what one forward over the whole live stretch gives.
var whole = new float[live.Length - 1];
forecaster.Network.Forward(live.AsSpan(0, live.Length - 1), new LstmGen.SequenceShape(live.Length - 1, 1), whole, training: false);
var largest = 0f;
for (var t = 0; t < whole.Length; t++) largest = Math.Max(largest, Math.Abs(whole[t] - streamed[t]));
Console.WriteLine($"Largest difference between streamed and whole-sequence predictions: {largest}");
return model < lastValue && largest == 0 ? 0 : 1;
