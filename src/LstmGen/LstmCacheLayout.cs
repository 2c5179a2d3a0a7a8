namespace LstmGen;

/// <summary>
/// Where a training forward's recording keeps each value, as every generated file's header states ("Training cache
/// for T steps and B rows"): <c>x [T,B,D] | h [T+1,B,H] | c [T+1,B,H] | rows [T,B,R]</c>, each row starting with the
/// activated gates i, f, g, o [4H] and tanh(ĉ) [H]; layer norm and clip append their own values to a row.
/// </summary>
/// <remarks>The gate-trace tests check every variant against a reference forward, so a change of the emitted layout shows there.</remarks>
internal readonly struct LstmCacheLayout
{
    private readonly int _inputSize, _hiddenSize, _steps, _batch;

    public LstmCacheLayout(LstmCellLayout cell, int steps, int batch)
    {
        _inputSize = cell.InputSize;
        _hiddenSize = cell.HiddenSize;
        _steps = steps;
        _batch = batch;
        RowLength = RowLengthOf(cell.Variant, cell.HiddenSize);
    }

    /// <summary>Scalars recorded per (t, b) row.</summary>
    public int RowLength { get; }

    /// <summary>Scalars before the first row record: x, then the h and c histories.</summary>
    public long RecordsStart => (long)_steps * _batch * _inputSize + 2L * (_steps + 1) * _batch * _hiddenSize;

    /// <summary>Scalars up to the end of the last row record (the kernels' scratch follows).</summary>
    public long RecordedLength => RecordsStart + (long)_steps * _batch * RowLength;

    /// <summary>h_t [H] of row b after step t (the history holds h0 first).</summary>
    public long Hidden(int t, int b) => (long)_steps * _batch * _inputSize + ((long)(t + 1) * _batch + b) * _hiddenSize;

    /// <summary>c_t [H] of row b after step t.</summary>
    public long Cell(int t, int b) => Hidden(t, b) + (long)(_steps + 1) * _batch * _hiddenSize;

    /// <summary>The gates i, f, g, o [4H] of row b at step t.</summary>
    public long Gates(int t, int b) => RecordsStart + ((long)t * _batch + b) * RowLength;

    /// <summary>
    /// gates [4H] | tanh(ĉ) [H] | layer norm: ẑ of W_ih x [4H], of W_hh h [4H], of c [H], 1/s of both gate terms
    /// (one per statistics block) and of c | clip: masks [4H].
    /// </summary>
    private static int RowLengthOf(LstmCellVariant variant, int h)
    {
        var length = 5 * h;
        if (variant.LayerNorm)
        {
            var statistics = variant.LayerNormPerGate ? 4 : 1;
            length += 9 * h + 2 * statistics + 1;
        }
        if (variant.Clip is not null) length += 4 * h;
        return length;
    }
}
