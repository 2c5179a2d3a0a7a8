using System;
using System.IO;
using LstmGen.IO;
using LstmGen.Layers;
using LstmGen.Optimizers;
using LstmGen.Training;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>The "Layers and training" example of README.md, kept compiling and running (cells Net3x4 and Net8x4 here).</summary>
public class ReadmeExampleTests
{
    [Test]
    public void Example_BuildTrainSaveLoad()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lstmgen-readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "tagger.safetensors");
            var checkpointPath = Path.Combine(folder, "checkpoint.safetensors");
            int vocabulary = 11, classes = 5;
            // --- README example starts
            var network = new LstmNetworkBuilder<float>()
                .Embedding(vocabulary, dimension: 3)   // token ids → vectors of 3 = Net3x4's input size
                .Lstm<Net3x4>(bidirectional: true)     // layer 0: 3 → 2 × 4
                .Lstm<Net8x4>(bidirectional: true)     // layer 1: 8 → 2 × 4 (sizes are checked here)
                .Dropout(0.2)                          // between the layers, training only
                .Linear(classes)                       // a tag per step
                .Build(seed: 1);                       // default init recipe

            var optimizer = new AdamW<float>(network.Parameters, learningRate: 2e-2);
            var schedule = new CosineLearningRate(optimizer, period: 200);
            var shape = new SequenceShape(steps: 7, batch: 3, SequenceLayout.TimeMajor, lengths: new[] { 7, 2, 5 });
            var tokens = new int[shape.Rows];          // [T × B] ids; padded rows are never read
            var labels = new int[shape.Rows];          // [T × B] tags
            var logits = new float[shape.Rows * classes];
            var dLogits = new float[logits.Length];
            var random = new Random(0);
            for (var i = 0; i < tokens.Length; i++) labels[i] = (tokens[i] = random.Next(vocabulary)) % classes;

            double loss = 0;
            for (var step = 1; step <= 200; step++)
            {
                network.ZeroGradients();
                network.Forward(tokens, shape, logits, training: true);
                loss = SoftmaxCrossEntropy.Compute<float>(logits, classes, labels, shape, dLogits);  // padded steps not counted
                network.Backward(dLogits);
                var report = GradientNormReport.Create(network.Parameters, step);                     // warnings if < 1e-6 or > 1e3
                GradientClipping.ClipByGlobalNorm(network.Parameters, maxNorm: 1.0);
                optimizer.Step();
                schedule.Step();
            }

            ModelWeights.Save(path, network);          // names: embedding.weight, lstm.weight_ih_l0, …, head.bias
            var copy = new LstmNetworkBuilder<float>().Embedding(vocabulary, 3).Lstm<Net3x4>(true).Lstm<Net8x4>(true).Linear(classes)
                .Build(seed: 0, NetworkInitialization.Zeros);
            ModelWeights.Load(path, copy);             // throws, changing nothing, if any tensor is missing or mismatched

            Checkpoint.Save(checkpointPath, network, optimizer, step: 200, schedule);   // atomic; resume with Checkpoint.Load
            // --- README example ends

            Assert.That(loss, Is.LessThan(0.5), "the toy tagging task (tag = id mod 5) is learnt");
            var a = new float[logits.Length];
            var b = new float[logits.Length];
            network.Forward(tokens, shape, a, training: false);
            copy.Forward(tokens, shape, b, training: false);
            Assert.That(b, Is.EqualTo(a));
            var copyOptimizer = new AdamW<float>(copy.Parameters);
            Assert.That(Checkpoint.Load(checkpointPath, copy, copyOptimizer, new CosineLearningRate(copyOptimizer, 200)).Step, Is.EqualTo(200));
            Assert.That(copyOptimizer.LearningRate, Is.EqualTo(optimizer.LearningRate));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
