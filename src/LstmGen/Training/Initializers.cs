using System;
using System.Numerics;

namespace LstmGen.Training;

/// <summary>
/// Parameter initialisers. The LSTM ones work on a cell's <see cref="LstmParameters{TCell, T}"/> through its layout,
/// so variant tensors (peepholes, layer-norm gains) are covered by name.
/// </summary>
/// <remarks>
/// <para><b>Default recipe</b> (<see cref="InitializeDefault{TCell, T}"/>, what new networks get):</para>
/// <list type="bullet">
/// <item><c>weight_ih</c> [4H×D]: Xavier-uniform, U(±√(6/(D+4H))) — keeps the input contribution's variance steady.</item>
/// <item><c>weight_hh</c> [4H×H]: each gate's H×H block orthogonal — the recurrent map preserves norms, so gradients
/// neither vanish nor explode through it at the start.</item>
/// <item><c>bias_ih</c>, <c>bias_hh</c>: zero, then the forget-gate block of <c>bias_ih</c> set to 1 (Jozefowicz et
/// al. 2015; Keras <c>unit_forget_bias</c>) so the cell remembers by default.</item>
/// <item>Variant tensors: layer-norm gains (<c>ln_*weight*</c>) 1 and shifts (<c>ln_*bias*</c>) 0, projection
/// <c>weight_hr</c> Xavier-uniform, anything else (peepholes) U(±1/√H).</item>
/// </list>
/// <para><see cref="PyTorchDefault{TCell, T}"/> is PyTorch's <c>nn.LSTM.reset_parameters</c>: every tensor U(±1/√H).</para>
/// </remarks>
public static class Initializers
{
    /// <summary>The forget-gate bias the default recipe uses.</summary>
    public const double DefaultForgetBias = 1.0;

    /// <summary>PyTorch's <c>nn.LSTM</c> default: every parameter drawn from U(−1/√H, 1/√H), in buffer order.</summary>
    public static void PyTorchDefault<TCell, T>(LstmParameters<TCell, T> parameters, Random random)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.InitializePyTorchDefault(random);
    }

    /// <summary>The default recipe (see the type remarks) with the given forget-gate bias.</summary>
    public static void InitializeDefault<TCell, T>(LstmParameters<TCell, T> parameters, Random random, double forgetBias = DefaultForgetBias)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(random);
        int h = TCell.HiddenSize;
        foreach (var tensor in TCell.Layout.Tensors)
        {
            var values = parameters.Tensor(tensor.Name);
            switch (tensor.Name)
            {
                case "weight_ih":
                case "weight_hr":
                    XavierUniform(values, tensor.Rows, tensor.Columns, random);
                    break;
                case "weight_hh":
                    for (var gate = 0; gate * h < tensor.Rows; gate++)
                        Orthogonal(values.Slice(gate * h * tensor.Columns, h * tensor.Columns), h, tensor.Columns, random);
                    break;
                case "bias_ih":
                case "bias_hh":
                    values.Clear();
                    break;
                default:
                    if (tensor.Name.StartsWith("ln_", StringComparison.Ordinal) && tensor.Name.Contains("weight", StringComparison.Ordinal))
                        values.Fill(T.One);
                    else if (tensor.Name.StartsWith("ln_", StringComparison.Ordinal) && tensor.Name.Contains("bias", StringComparison.Ordinal))
                        values.Clear();
                    else
                        Uniform(values, 1.0 / Math.Sqrt(h), random);
                    break;
            }
        }
        ForgetGateBias(parameters, forgetBias);
    }

    /// <summary>
    /// The forget-gate bias initialiser (specs/variants.md §3): <c>bias_ih[H:2H] = value</c>, <c>bias_hh[H:2H] = 0</c>, so the
    /// summed forget bias is <paramref name="value"/>. It stays trainable.
    /// </summary>
    public static void ForgetGateBias<TCell, T>(LstmParameters<TCell, T> parameters, double value)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "The forget bias must be finite.");
        int h = TCell.HiddenSize;
        parameters.BiasIh.Slice(h, h).Fill(T.CreateChecked(value));
        parameters.BiasHh.Slice(h, h).Clear();
    }

    /// <summary>U(−<paramref name="bound"/>, <paramref name="bound"/>) for every element.</summary>
    public static void Uniform<T>(Span<T> values, double bound, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(bound >= 0) || !double.IsFinite(bound)) throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be finite and non-negative.");
        for (var i = 0; i < values.Length; i++)
            values[i] = T.CreateChecked(bound * (2 * random.NextDouble() - 1));
    }

    /// <summary>N(0, <paramref name="std"/>²) for every element (Box–Muller).</summary>
    public static void Normal<T>(Span<T> values, double std, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        for (var i = 0; i < values.Length; i++)
            values[i] = T.CreateChecked(std * StandardNormal(random));
    }

    /// <summary>
    /// Xavier/Glorot uniform for a [<paramref name="rows"/>×<paramref name="columns"/>] weight applied as W·x:
    /// U(±gain·√(6/(fan_in + fan_out))) with fan_in = columns and fan_out = rows (as <c>torch.nn.init.xavier_uniform_</c>).
    /// </summary>
    public static void XavierUniform<T>(Span<T> weight, int rows, int columns, Random random, double gain = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        Guard.Length(weight.Length, (long)rows * columns, nameof(weight), $"rows {rows} × columns {columns}");
        Uniform(weight, gain * Math.Sqrt(6.0 / (rows + columns)), random);
    }

    /// <summary>
    /// A (semi-)orthogonal [<paramref name="rows"/>×<paramref name="columns"/>] matrix times <paramref name="gain"/>, as
    /// <c>torch.nn.init.orthogonal_</c>: the Q factor of a standard normal matrix (transposed when wide), signs fixed so R
    /// has a positive diagonal. Orthonormal columns when rows ≥ columns, orthonormal rows otherwise.
    /// </summary>
    public static void Orthogonal<T>(Span<T> weight, int rows, int columns, Random random, double gain = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        Guard.Length(weight.Length, (long)rows * columns, nameof(weight), $"rows {rows} × columns {columns}");
        // Work on a tall m×n matrix A (m ≥ n), column-major: column k is a[k*m .. k*m+m).
        var transposed = rows < columns;
        int m = transposed ? columns : rows, n = transposed ? rows : columns;
        var a = new double[m * n];
        for (var i = 0; i < a.Length; i++) a[i] = StandardNormal(random);
        // Gram–Schmidt, each column orthogonalised twice against the previous ones ("twice is enough"), so Q is
        // orthonormal to rounding and R's diagonal (the norms) is positive: exactly torch's sign convention.
        for (var k = 0; k < n; k++)
        {
            var column = a.AsSpan(k * m, m);
            for (var pass = 0; pass < 2; pass++)
            {
                for (var j = 0; j < k; j++)
                {
                    var previous = a.AsSpan(j * m, m);
                    double dot = 0;
                    for (var i = 0; i < m; i++) dot += previous[i] * column[i];
                    for (var i = 0; i < m; i++) column[i] -= dot * previous[i];
                }
            }
            double norm = 0;
            for (var i = 0; i < m; i++) norm += column[i] * column[i];
            norm = Math.Sqrt(norm);
            for (var i = 0; i < m; i++) column[i] /= norm;
        }
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                // Q is m×n; the weight is Q (rows = m) or Qᵀ (rows = n).
                var q = transposed ? a[r * m + c] : a[c * m + r];
                weight[r * columns + c] = T.CreateChecked(gain * q);
            }
    }

    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
