// Character model: an LSTM trained on the first 100 KB of Shakespeare bundled with the repository, then sampled.
// Usage: dotnet run --project samples/char-model -c Release [-- updates]   (default 150 updates: seconds; try 2000)
using CharModel;

var updates = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 150;
var path = Path.Combine(AppContext.BaseDirectory, "data", "tinyshakespeare-100k.txt");
var text = File.ReadAllText(path);
var vocabulary = new Vocabulary(text);
var ids = vocabulary.Encode(text);
var split = ids.Length * 9 / 10;
var training = ids[..split];
var heldOut = ids[split..];
Console.WriteLine($"{text.Length:N0} characters, {vocabulary.Count} distinct; training on {training.Length:N0}, holding out {heldOut.Length:N0}");

var model = new TextModel(vocabulary.Count, seed: 1);
var before = model.Evaluate(heldOut);
var clock = System.Diagnostics.Stopwatch.StartNew();
model.Train(training, updates, steps: 64, batch: 32, seed: 2);
var after = model.Evaluate(heldOut);
Console.WriteLine($"Held-out loss: {before:F3} → {after:F3} nats/char after {updates} updates in {clock.Elapsed.TotalSeconds:F1} s (uniform: {Math.Log(vocabulary.Count):F3})");

var sampler = new Sampler(model, vocabulary);
Console.WriteLine("Sample (temperature 0.8):");
Console.WriteLine(sampler.Generate("ROMEO:\n", length: 300, temperature: 0.8, seed: 3));
return after < before ? 0 : 1;
