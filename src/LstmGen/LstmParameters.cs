using System;
using System.Numerics;

namespace LstmGen;

/// <summary>
/// The parameters of one cell in one contiguous buffer, in PyTorch's <c>nn.LSTM</c> layout
/// (<c>weight_ih</c> [4H×D], <c>weight_hh</c> [4H×H], <c>bias_ih</c> [4H], <c>bias_hh</c> [4H], gates i, f, g, o),
/// followed by any variant parameters. Gradients use the same type and layout.
/// </summary>
/// <typeparam name="TCell">The generated cell type.</typeparam>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LstmParameters<TCell, T>
    where TCell : ILstmCell<TCell>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _data;

    /// <summary>Creates a zero-filled buffer (use an initialiser, or copy weights in).</summary>
    public LstmParameters()
    {
        Precision.EnsureSupported<T>();
        _data = new T[TCell.ParameterCount];
    }

    /// <summary>The cell's tensor table.</summary>
    public static LstmCellLayout Layout => TCell.Layout;

    /// <summary>The whole buffer.</summary>
    public Span<T> Data => _data;

    /// <summary>The whole buffer as memory (for code that must hold on to it, e.g. optimisers).</summary>
    public Memory<T> AsMemory() => _data;

    /// <summary>Number of scalars in the buffer.</summary>
    public int Length => _data.Length;

    /// <summary><c>weight_ih</c>, [4H×D] row-major.</summary>
    public Span<T> WeightIh => Tensor("weight_ih");

    /// <summary><c>weight_hh</c>, [4H×H] row-major.</summary>
    public Span<T> WeightHh => Tensor("weight_hh");

    /// <summary><c>bias_ih</c>, [4H].</summary>
    public Span<T> BiasIh => Tensor("bias_ih");

    /// <summary><c>bias_hh</c>, [4H].</summary>
    public Span<T> BiasHh => Tensor("bias_hh");

    /// <summary>A named tensor (PyTorch name without the <c>_l0</c> suffix) as a view into the buffer.</summary>
    public Span<T> Tensor(string name)
    {
        var info = TCell.Layout[name];
        return _data.AsSpan(info.Offset, info.Length);
    }

    /// <summary>Sets every element to zero (e.g. to reset accumulated gradients).</summary>
    public void Clear() => Array.Clear(_data);

    /// <summary>Copies every element from another buffer of the same cell.</summary>
    public void CopyFrom(LstmParameters<TCell, T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        source._data.CopyTo(_data, 0);
    }

    /// <summary>Copies every element from a span of length <see cref="Length"/>.</summary>
    public void CopyFrom(ReadOnlySpan<T> source)
    {
        Guard.Length(source.Length, _data.Length, nameof(source));
        source.CopyTo(_data);
    }

    /// <summary>A deep copy.</summary>
    public LstmParameters<TCell, T> Clone()
    {
        var copy = new LstmParameters<TCell, T>();
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>
    /// PyTorch's default initialisation: every parameter drawn from U(−1/√H, 1/√H) (peepholes too), then any
    /// layer-norm gains set to 1 and shifts to 0.
    /// </summary>
    public void InitializePyTorchDefault(Random random)
    {
        var bound = 1.0 / Math.Sqrt(TCell.HiddenSize);
        InitializeUniform(random, -bound, bound);
        ResetLayerNorm();
    }

    /// <summary>Sets every layer-norm gain (<c>ln_*_weight</c>) to 1 and shift (<c>ln_*_bias</c>) to 0; no-op without layer norm.</summary>
    public void ResetLayerNorm()
    {
        foreach (var tensor in TCell.Layout.Tensors)
        {
            if (!tensor.Name.StartsWith("ln_", StringComparison.Ordinal)) continue;
            var values = _data.AsSpan(tensor.Offset, tensor.Length);
            if (tensor.Name.EndsWith("_weight", StringComparison.Ordinal)) values.Fill(T.One);
            else values.Clear();
        }
    }

    /// <summary>
    /// The forget-bias initialiser (Keras' <c>unit_forget_bias</c>; Jozefowicz et al. 2015 use 1 or 2): sets the
    /// forget block of <c>bias_ih</c> to <paramref name="value"/> and that of <c>bias_hh</c> to 0. The bias stays
    /// trainable. Not to be confused with <see cref="ForgetBiasAttribute"/>, a constant that is never trained.
    /// </summary>
    public void InitializeForgetGateBias(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "The forget-gate bias must be finite.");
        var h = TCell.HiddenSize;
        BiasIh.Slice(h, h).Fill(T.CreateChecked(value));
        BiasHh.Slice(h, h).Clear();
    }

    /// <summary>Every parameter drawn from U(<paramref name="low"/>, <paramref name="high"/>).</summary>
    public void InitializeUniform(Random random, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(low <= high) || !double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"Expected finite bounds with low <= high, got [{low}, {high}].", nameof(low));
        for (var i = 0; i < _data.Length; i++)
            _data[i] = T.CreateChecked(low + (high - low) * random.NextDouble());
    }
}
