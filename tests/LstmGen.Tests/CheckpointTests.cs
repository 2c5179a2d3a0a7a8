using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LstmGen.IO;
using LstmGen.Layers;
using LstmGen.Optimizers;
using LstmGen.Training;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>Determinism and checkpoints: the same seed gives the same bits; resuming gives the same bits as not stopping.</summary>
public class CheckpointTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "lstmgen-checkpoints-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>A small training run with every source of randomness: init, dropout, data order, variable lengths.</summary>
    private sealed class Run
    {
        public const int Vocabulary = 9, Steps = 10, Batch = 6;

        public Run(int seed, NetworkInitialization initialization = NetworkInitialization.Default)
        {
            Network = new LstmNetworkBuilder<float>().Embedding(Vocabulary, 3).Lstm<Net3x4>(bidirectional: true).Lstm<Net8x4>().Dropout(0.3)
                .Linear(Vocabulary).Build(seed, initialization);
            Optimizer = new AdamW<float>(Network.Parameters, learningRate: 5e-3, weightDecay: 0.01);
            Schedule = new CosineLearningRate(Optimizer, period: 40, minimum: 1e-4);
            Data = new DeterministicRandom(seed + 1000);
        }

        public LstmNetwork<float> Network { get; }
        public AdamW<float> Optimizer { get; }
        public CosineLearningRate Schedule { get; }
        public DeterministicRandom Data { get; }
        public List<double> Losses { get; } = new();

        public Dictionary<string, DeterministicRandom> Generators => new() { ["data"] = Data };

        public void Train(int steps)
        {
            var logits = new float[Steps * Batch * Vocabulary];
            var dLogits = new float[logits.Length];
            for (var i = 0; i < steps; i++)
            {
                var lengths = Enumerable.Range(0, Batch).Select(_ => 1 + Data.Next(Steps)).ToArray();
                var shape = new SequenceShape(Steps, Batch, SequenceLayout.BatchFirst, lengths);
                var tokens = Enumerable.Range(0, shape.Rows).Select(_ => Data.Next(Vocabulary)).ToArray();
                // Predict the previous token (a simple learnable target).
                var labels = tokens.Select((token, row) => row % Steps == 0 ? SoftmaxCrossEntropy.IgnoreIndex : tokens[row - 1]).ToArray();
                Network.ZeroGradients();
                Network.Forward(tokens, shape, logits, training: true);
                Losses.Add(SoftmaxCrossEntropy.Compute<float>(logits, Vocabulary, labels, shape, dLogits));
                Network.Backward(dLogits);
                GradientClipping.ClipByGlobalNorm(Network.Parameters, 1.0);
                Optimizer.Step();
                Schedule.Step();
            }
        }

        public byte[] Bits()
        {
            var values = Network.Parameters.SelectMany(p => p.Value.ToArray())
                .Concat(Enumerable.Range(0, Network.Parameters.Count).SelectMany(i => Optimizer.State(Adam<float>.ExpAvg, i).ToArray().Concat(Optimizer.State(Adam<float>.ExpAvgSq, i).ToArray())))
                .ToArray();
            return values.SelectMany(BitConverter.GetBytes).ToArray();
        }
    }

    [Test]
    public void SameSeed_GivesBitIdenticalWeightsAfterTraining()
    {
        var first = new Run(seed: 1);
        var second = new Run(seed: 1);
        var other = new Run(seed: 2);
        first.Train(30);
        second.Train(30);
        other.Train(30);
        Assert.That(second.Bits(), Is.EqualTo(first.Bits()));
        Assert.That(second.Losses, Is.EqualTo(first.Losses));
        Assert.That(other.Bits(), Is.Not.EqualTo(first.Bits()));
        Assert.That(first.Losses.Skip(25).Average(), Is.LessThan(first.Losses.Take(5).Average()), "it trains");
    }

    [Test]
    public void Resume_FromACheckpoint_EqualsNotStopping()
    {
        var straight = new Run(seed: 3);
        straight.Train(30);

        var before = new Run(seed: 3);
        before.Train(12);
        var path = Path.Combine(_folder, "checkpoint.safetensors");
        Checkpoint.Save(path, before.Network, before.Optimizer, step: 12, before.Schedule, before.Generators,
            new Dictionary<string, string> { ["task"] = "previous token" });
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }), "no temporary file left behind");

        // Fresh objects with a different seed and zero weights: everything must come from the checkpoint.
        var resumed = new Run(seed: 77, NetworkInitialization.Zeros);
        var info = Checkpoint.Load(path, resumed.Network, resumed.Optimizer, resumed.Schedule, resumed.Generators);
        Assert.That(info.Step, Is.EqualTo(12));
        Assert.That(info.Metadata["task"], Is.EqualTo("previous token"));
        Assert.That(resumed.Optimizer.StepCount, Is.EqualTo(12));
        Assert.That(resumed.Schedule.Epoch, Is.EqualTo(12));
        resumed.Train(18);

        Assert.That(resumed.Bits(), Is.EqualTo(straight.Bits()));
        Assert.That(before.Losses.Concat(resumed.Losses), Is.EqualTo(straight.Losses));
    }

    [Test]
    public void Checkpoint_ForADifferentSetup_IsRejected_AndChangesNothing()
    {
        var run = new Run(seed: 4);
        run.Train(3);
        var path = Path.Combine(_folder, "checkpoint.safetensors");
        Checkpoint.Save(path, run.Network, run.Optimizer, step: 3, run.Schedule, run.Generators);

        var target = new Run(seed: 5);
        var sgd = new Sgd<float>(target.Network.Parameters, 0.1, momentum: 0.9);
        var bits = target.Bits();
        var error = Assert.Throws<SafeTensorsException>(() => Checkpoint.Load(path, target.Network, sgd, target.Schedule, target.Generators))!;
        Assert.That(error.Message, Does.Contain("the checkpoint's optimiser is AdamW, this one is Sgd"));
        Assert.That(error.Message, Does.Contain("unexpected tensor 'optimizer.exp_avg.lstm.weight_ih_l0'"));
        Assert.That(target.Bits(), Is.EqualTo(bits));

        var narrower = new LstmNetworkBuilder<float>().Embedding(Run.Vocabulary, 3).Lstm<Net3x4>().Linear(Run.Vocabulary).Build(0);
        var optimizer = new AdamW<float>(narrower.Parameters);
        error = Assert.Throws<SafeTensorsException>(() => Checkpoint.Load(path, narrower, optimizer))!;
        Assert.That(error.Message, Does.Contain("unexpected tensor 'model.lstm.weight_ih_l0_reverse' (F32 [16, 3])"));
        Assert.That(error.Message, Does.Contain("unexpected tensor 'optimizer.exp_avg_sq.lstm.bias_hh_l1' (F32 [16])"));

        File.WriteAllBytes(path, File.ReadAllBytes(path)[..200]);
        Assert.Throws<SafeTensorsException>(() => Checkpoint.Load(path, target.Network, target.Optimizer));
        Assert.That(target.Bits(), Is.EqualTo(bits));
    }
}
