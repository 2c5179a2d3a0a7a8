using System.Collections.Generic;
using LstmGen.Layers;
using LstmGen.Training;

namespace LstmGen.Cli.Tasks;

/// <summary>A built-in task: data generated in code (or read from a file), a loss, and the metric that defines success.</summary>
internal interface ITrainingTask
{
    /// <summary>Task name as given to <c>train</c>.</summary>
    string Name { get; }

    /// <summary>Default hidden size when <c>--hidden</c> is not given.</summary>
    int DefaultHidden { get; }

    /// <summary>Default number of epochs (of 50 steps) when <c>--epochs</c> is not given.</summary>
    int DefaultEpochs { get; }

    /// <summary>Default learning rate for Adam.</summary>
    double DefaultLearningRate { get; }

    /// <summary>What one unit of throughput is ("seq", "chars", "words").</summary>
    string Unit { get; }

    /// <summary>Units processed per training step.</summary>
    int UnitsPerStep { get; }

    /// <summary>Adds the input (dense or embedding) before the LSTM layers.</summary>
    LstmNetworkBuilder<float> Input(LstmNetworkBuilder<float> builder);

    /// <summary>Outputs of the linear head per step.</summary>
    int Outputs { get; }

    /// <summary>One training batch: forward (training), loss, backward; returns the loss. Gradients are zeroed by the caller.</summary>
    double TrainStep(LstmNetwork<float> network, DeterministicRandom random);

    /// <summary>Scores the network on held-out data; lines for the results table and one summary line.</summary>
    TaskResult Evaluate(LstmNetwork<float> network);

    /// <summary>Writes task-specific pictures into <paramref name="directory"/>; returns their paths.</summary>
    IReadOnlyList<string> WritePlots(LstmNetwork<float> network, string directory);

    /// <summary>Metadata saved with the checkpoint so <c>sample</c> and <c>inspect</c> can rebuild the model.</summary>
    IReadOnlyDictionary<string, string> Metadata { get; }
}

/// <summary>An evaluation: named metrics (value and how to read it) and the sentence that sums it up.</summary>
internal sealed record TaskResult(IReadOnlyList<(string Metric, string Value)> Rows, string Summary, double Score);
