using LstmGen;
using LstmGen.Layers;
using LstmGen.Optimizers;
using LstmGen.Training;

namespace CharModel;

/// <summary>The cell: a 16-wide character embedding in, 96 hidden units.</summary>
[LstmCell(inputSize: 16, hiddenSize: 96)]
public partial struct CharCell;

/// <summary>Character id → embedding → LSTM → logits over the vocabulary, trained to predict the next character.</summary>
public sealed class TextModel
{
    public TextModel(int vocabularySize, int seed)
    {
        VocabularySize = vocabularySize;
        Network = new LstmNetworkBuilder<float>()
            .Embedding(vocabularySize, dimension: CharCell.InputSize)
            .Lstm<CharCell>()
            .Linear(vocabularySize)
            .Build(seed);
    }

    public int VocabularySize { get; }

    public LstmNetwork<float> Network { get; }

    public LstmParameters<CharCell, float> CellParameters => ((LstmLayer<CharCell, float>)Network.Lstm.Layers[0]).Parameters;

    /// <summary>AdamW on random windows of <paramref name="steps"/> characters, <paramref name="batch"/> per update.</summary>
    public void Train(int[] ids, int updates, int steps, int batch, int seed)
    {
        var optimizer = new AdamW<float>(Network.Parameters, learningRate: 1e-2, weightDecay: 1e-4);
        var schedule = new CosineLearningRate(optimizer, period: updates, minimum: 1e-3);
        var shape = new SequenceShape(steps, batch, SequenceLayout.TimeMajor);
        var inputs = new int[shape.Rows];
        var targets = new int[shape.Rows];
        var logits = new float[shape.Rows * VocabularySize];
        var dLogits = new float[logits.Length];
        var random = new Random(seed);
        for (var update = 1; update <= updates; update++)
        {
            for (var b = 0; b < batch; b++)
            {
                var start = random.Next(ids.Length - steps - 1);
                for (var t = 0; t < steps; t++)
                {
                    inputs[t * batch + b] = ids[start + t];
                    targets[t * batch + b] = ids[start + t + 1];
                }
            }
            Network.ZeroGradients();
            Network.Forward(inputs, shape, logits, training: true);
            var loss = SoftmaxCrossEntropy.Compute<float>(logits, VocabularySize, targets, shape, dLogits);
            Network.Backward(dLogits);
            GradientClipping.ClipByGlobalNorm(Network.Parameters, maxNorm: 1.0);
            optimizer.Step();
            schedule.Step();
            if (update % 50 == 0) Console.WriteLine($"  update {update,4}: {loss:F3} nats/char");
        }
    }

    /// <summary>Mean cross-entropy (nats per character) of predicting each next character of <paramref name="ids"/>, in 8 parallel streams.</summary>
    public double Evaluate(int[] ids)
    {
        const int streams = 8;
        var steps = (ids.Length - 1) / streams;
        var shape = new SequenceShape(steps, streams, SequenceLayout.TimeMajor);
        var inputs = new int[shape.Rows];
        var targets = new int[shape.Rows];
        for (var b = 0; b < streams; b++)
        {
            for (var t = 0; t < steps; t++)
            {
                inputs[t * streams + b] = ids[b * steps + t];
                targets[t * streams + b] = ids[b * steps + t + 1];
            }
        }
        var logits = new float[shape.Rows * VocabularySize];
        Network.Forward(inputs, shape, logits, training: false);
        return SoftmaxCrossEntropy.Compute<float>(logits, VocabularySize, targets, shape, new float[logits.Length]);
    }
}
