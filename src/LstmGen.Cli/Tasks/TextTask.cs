using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LstmGen.Cli.Models;
using LstmGen.Layers;
using LstmGen.Training;

namespace LstmGen.Cli.Tasks;

/// <summary>
/// Language model on a UTF-8 file: next character (<c>chars</c>) or next word (<c>words</c>). The last 10 % of the
/// tokens is held out and scored as one stream (state carried), in nats per token; the first 90 % trains with random
/// windows.
/// </summary>
internal sealed class TextTask : ITrainingTask
{
    private const int MaxHeldOut = 20_000;
    private readonly int[] _train, _heldOut;
    private readonly int _steps, _batch;

    private readonly int _embedding;

    public TextTask(TrainOptions options)
    {
        if (options.Mode is not ("chars" or "words")) throw new CliException($"unknown --mode '{options.Mode}': choose chars or words");
        var text = TextFile.Read(options.File ?? "");
        var tokens = Vocabulary.Split(text, options.Mode);
        _steps = options.Mode == "words" ? 32 : 64;
        if (tokens.Count < 2 * (_steps + 2) + 20)
            throw new CliException($"text file '{options.File}' is too short: {tokens.Count} {options.Mode}, need at least {2 * (_steps + 2) + 20}");
        var split = (int)(tokens.Count * 0.9);
        if (split < _steps + 2) split = _steps + 2;
        Vocabulary = Vocabulary.Build(tokens.Take(split).ToList(), options.Mode);
        if (options.Mode == "chars") Vocabulary = Vocabulary.Build(tokens, options.Mode); // held-out characters must be encodable
        var ids = Vocabulary.Encode(tokens);
        _train = ids[..split];
        _heldOut = ids[split..Math.Min(ids.Length, split + MaxHeldOut)];
        _batch = options.Batch;
        _embedding = options.InputSize ?? CellCatalog.InputFeatures;
    }

    public Vocabulary Vocabulary { get; }
    public string Name => "text";
    public int DefaultHidden => 64;
    public int DefaultEpochs => 10;
    public double DefaultLearningRate => 3e-3;
    public string Unit => Vocabulary.Unit;
    public int UnitsPerStep => _steps * _batch;
    public int Outputs => Vocabulary.Count;
    public LstmNetworkBuilder<float> Input(LstmNetworkBuilder<float> builder) => builder.Embedding(Vocabulary.Count, _embedding);
    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string> { ["mode"] = Vocabulary.Mode, ["vocabulary"] = Vocabulary.ToJson() };

    public double TrainStep(LstmNetwork<float> network, DeterministicRandom random)
    {
        var shape = new SequenceShape(_steps, _batch);
        var tokens = new int[shape.Rows];
        var labels = new int[shape.Rows];
        for (var b = 0; b < _batch; b++)
        {
            var start = random.Next(_train.Length - _steps - 1);
            for (var t = 0; t < _steps; t++)
            {
                tokens[t * _batch + b] = _train[start + t];
                labels[t * _batch + b] = _train[start + t + 1];
            }
        }
        var logits = new float[shape.Rows * Vocabulary.Count];
        var gradient = new float[logits.Length];
        network.Forward(tokens, shape, logits, training: true);
        var loss = SoftmaxCrossEntropy.Compute<float>(logits, Vocabulary.Count, labels, gradient);
        network.Backward(gradient);
        return loss;
    }

    /// <summary>Mean next-token loss over <paramref name="ids"/> read as one stream in chunks with the state carried.</summary>
    public static double StreamLoss(LstmNetwork<float> network, int[] ids, int vocabulary, int chunk = 250)
    {
        var state = network.CreateState(1);
        double total = 0;
        var count = 0;
        for (var start = 0; start + 1 < ids.Length; start += chunk)
        {
            var length = Math.Min(chunk, ids.Length - 1 - start);
            var logits = new float[length * vocabulary];
            network.Forward(ids.AsSpan(start, length), new SequenceShape(length, 1), logits, training: false, state);
            total += SoftmaxCrossEntropy.Compute<float>(logits, vocabulary, ids.AsSpan(start + 1, length), default) * length;
            count += length;
        }
        return count == 0 ? double.NaN : total / count;
    }

    public TaskResult Evaluate(LstmNetwork<float> network)
    {
        var loss = StreamLoss(network, _heldOut, Vocabulary.Count);
        var unit = Vocabulary.Mode == "words" ? "word" : "char";
        var rows = new List<(string, string)>
        {
            ("vocabulary", $"{Vocabulary.Count} {Vocabulary.Unit}"),
            ("training tokens", _train.Length.ToString("N0", CultureInfo.InvariantCulture)),
            ($"held-out nats/{unit}", loss.ToString("F3", CultureInfo.InvariantCulture)),
            ("held-out perplexity", Math.Exp(loss).ToString("F2", CultureInfo.InvariantCulture)),
            ($"uniform guess (nats/{unit})", Math.Log(Vocabulary.Count).ToString("F3", CultureInfo.InvariantCulture)),
        };
        if (unit == "char") rows.Add(("held-out bits/char", (loss / Math.Log(2)).ToString("F3", CultureInfo.InvariantCulture)));
        return new TaskResult(rows, $"text ({Vocabulary.Mode}): held-out {loss:F3} nats/{unit} over {_heldOut.Length - 1} {Vocabulary.Unit} (uniform {Math.Log(Vocabulary.Count):F3})", loss);
    }

    public IReadOnlyList<string> WritePlots(LstmNetwork<float> network, string directory) => Array.Empty<string>();
}
