using LstmGen;

namespace CharModel;

/// <summary>
/// Generates text one character at a time: embedding → <see cref="LstmStream{TCell,T}"/> (the state carries over,
/// the weights are packed once) → linear head → a draw from the softmax at a temperature.
/// </summary>
public sealed class Sampler
{
    private readonly TextModel _model;
    private readonly Vocabulary _vocabulary;
    private readonly LstmStream<CharCell, float> _stream;
    private readonly float[] _embedded = new float[CharCell.InputSize];
    private readonly float[] _hidden = new float[CharCell.HiddenSize];
    private readonly float[] _logits;

    public Sampler(TextModel model, Vocabulary vocabulary)
    {
        _model = model;
        _vocabulary = vocabulary;
        _stream = new LstmStream<CharCell, float>(model.CellParameters);
        _logits = new float[vocabulary.Count];
    }

    public string Generate(string prompt, int length, double temperature, int seed)
    {
        var random = new Random(seed);
        _stream.Reset();
        foreach (var character in prompt) Feed(_vocabulary.Id(character));
        var text = new System.Text.StringBuilder(prompt);
        for (var i = 0; i < length; i++)
        {
            var next = Draw(temperature, random);
            text.Append(_vocabulary.Character(next));
            Feed(next);
        }
        return text.ToString();
    }

    /// <summary>One character in: the logits of the next one are in <see cref="_logits"/>.</summary>
    private void Feed(int id)
    {
        _model.Network.Embedding!.Forward(new[] { id }, _embedded);
        _stream.Step(_embedded, _hidden);
        _model.Network.Head!.Forward(_hidden, _logits);
    }

    private int Draw(double temperature, Random random)
    {
        var max = _logits.Max();
        var weights = _logits.Select(l => Math.Exp((l - max) / temperature)).ToArray();
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u <= 0) return i;
        }
        return weights.Length - 1;
    }
}
