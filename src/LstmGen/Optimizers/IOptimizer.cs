namespace LstmGen.Optimizers;

/// <summary>What a learning-rate schedule needs from an optimiser, whatever its precision.</summary>
public interface IOptimizer
{
    /// <summary>The learning rate the next <c>Step</c> uses.</summary>
    double LearningRate { get; set; }

    /// <summary>Number of updates applied so far (PyTorch's per-parameter <c>step</c>).</summary>
    long StepCount { get; }
}
