namespace LstmGen.Cli.Tasks;

/// <summary>Everything <c>train</c> accepts (validated by <see cref="Trainer"/> and the tasks).</summary>
internal sealed record TrainOptions
{
    public string Task { get; init; } = "forecast";
    public string Cell { get; init; } = "standard";
    public int? Hidden { get; init; }
    /// <summary>Layer 0's input size: the embedding size of text and copy (default 16); forecast and adding feed 16 features.</summary>
    public int? InputSize { get; init; }
    public bool Bidirectional { get; init; }
    public int Layers { get; init; } = 1;
    public string Optimizer { get; init; } = "adam";
    public double? LearningRate { get; init; }
    public double Clip { get; init; } = 1.0;
    /// <summary>Null: the task's default (<see cref="ITrainingTask.DefaultEpochs"/>).</summary>
    public int? Epochs { get; init; }
    public int StepsPerEpoch { get; init; } = 50;
    public double? TimeBudgetSeconds { get; init; }
    public int Batch { get; init; } = 32;
    public int Seed { get; init; } = 1;
    public string OutDirectory { get; init; } = "lstmgen-out";
    public string? CheckpointPath { get; init; }
    // Task-specific.
    public string Series { get; init; } = "mackey-glass";
    public int Length { get; init; } = 50;
    public int Delay { get; init; } = 10;
    public string? File { get; init; }
    public string Mode { get; init; } = "chars";
}
