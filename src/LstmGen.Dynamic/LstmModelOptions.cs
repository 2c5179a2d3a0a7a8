namespace LstmGen.Dynamic;

/// <summary>How <see cref="LstmModel.Load"/> reads a model.</summary>
public sealed record LstmModelOptions
{
    /// <summary>The compiler that provides the cells (default <see cref="LstmCellCompiler.Shared"/>).</summary>
    public LstmCellCompiler? Compiler { get; init; }

    /// <summary>
    /// The variant of every layer, for options a state dict does not show in its tensor names (forget bias, CIFG, clip,
    /// layer-norm ε and per-gate statistics). Default: the standard cell, with peepholes and layer norm (ε = 1e-5)
    /// switched on when their tensors (<c>w_ci_l0</c>, <c>ln_ih_weight_l0</c>) are present. If given, it must agree with
    /// the tensors.
    /// </summary>
    public LstmCellVariant? Variant { get; init; }

    /// <summary>The module name of the linear head (e.g. <c>fc</c>), when more than one linear layer fits the LSTM's output.</summary>
    public string? HeadName { get; init; }

    /// <summary>Ignore tensors that are neither the LSTM, the head nor the embedding (default false: they are an error, so nothing is silently dropped).</summary>
    public bool AllowExtraTensors { get; init; }
}
