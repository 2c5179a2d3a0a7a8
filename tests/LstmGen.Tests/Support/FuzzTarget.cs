using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstmGen.IO;
using LstmGen.Layers;
using LstmGen.Optimizers;
using LstmGen.Training;
using NUnit.Framework;

namespace LstmGen.Tests.Support;

/// <summary>What the fuzzed files load into: a two-layer network with AdamW state, a cosine schedule and a data generator, all non-trivial.</summary>
internal sealed class FuzzTarget
{
    public FuzzTarget(int seed)
    {
        Network = new LstmNetworkBuilder<float>().Embedding(7, 3).Lstm<Net3x4>(bidirectional: true).Lstm<Net8x4>().Dropout(0.2)
            .Linear(5).Build(seed);
        Optimizer = new AdamW<float>(Network.Parameters, learningRate: 1e-2);
        Schedule = new CosineLearningRate(Optimizer, period: 20, minimum: 1e-4);
        Data = new DeterministicRandom(seed + 100);
        // Non-trivial optimiser state: two steps on pseudo-random gradients.
        var random = new Random(seed);
        for (var step = 0; step < 2; step++)
        {
            foreach (var p in Network.Parameters)
                foreach (ref var g in p.Gradient.Span) g = (float)(random.NextDouble() - 0.5);
            Optimizer.Step();
            Schedule.Step();
        }
    }

    public LstmNetwork<float> Network { get; }
    public AdamW<float> Optimizer { get; }
    public CosineLearningRate Schedule { get; }
    public DeterministicRandom Data { get; }
    public Dictionary<string, DeterministicRandom> Generators => new() { ["data"] = Data };

    public void Save(string path, long step) => Checkpoint.Save(path, Network, Optimizer, step, Schedule, Generators,
        new Dictionary<string, string> { ["note"] = "fuzz" });

    public void Load(string path) => Checkpoint.Load(path, Network, Optimizer, Schedule, Generators);

    /// <summary>Every bit a load could change.</summary>
    public string Snapshot()
    {
        var text = new StringBuilder();
        foreach (var p in Network.Parameters) text.Append(Convert.ToHexString(p.Value.Span.ToArray().SelectMany(BitConverter.GetBytes).ToArray()));
        foreach (var state in Optimizer.StateNames)
            for (var i = 0; i < Optimizer.Parameters.Count; i++)
                text.Append(Convert.ToHexString(Optimizer.State(state, i).ToArray().SelectMany(BitConverter.GetBytes).ToArray()));
        text.Append($"|{Optimizer.StepCount}|{Optimizer.LearningRate:R}|");
        foreach (var (key, value) in Schedule.GetState()) text.Append($"{key}={value:R};");
        text.Append(string.Join(",", Network.Lstm.DropoutRandom?.GetState() ?? Array.Empty<ulong>())).Append('|').Append(string.Join(",", Data.GetState()));
        return text.ToString();
    }
}
