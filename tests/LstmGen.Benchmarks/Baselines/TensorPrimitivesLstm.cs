using System;
using System.Numerics.Tensors;

namespace LstmGen.Benchmarks.Baselines;

/// <summary>
/// Baseline 2: a runtime-size LSTM on <see cref="TensorPrimitives"/> (what a careful C# developer writes without a
/// generator): one <c>Dot</c> per gate row, vectorised <c>Sigmoid</c>/<c>Tanh</c> and elementwise updates, BPTT with
/// <c>MultiplyAdd</c> for the rank-one updates and transposed products. Same layout and semantics as the generated
/// standard cell.
/// </summary>
public sealed class TensorPrimitivesLstm : Runner
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly float[] _gates;   // [T, B, 4H]
    private readonly float[] _cells;   // [T+1, B, H]
    private readonly float[] _hidden;  // [T+1, B, H]
    private readonly float[] _tanhC;   // [T, B, H]
    private readonly float[] _a;
    private readonly float[] _tmp;
    private readonly float[] _dh;
    private readonly float[] _dc;

    public TensorPrimitivesLstm(int inputSize, int hiddenSize, int steps, int batch)
        : base(inputSize, hiddenSize, steps, batch)
    {
        var g = 4 * hiddenSize;
        _parameters = new float[g * (inputSize + hiddenSize) + 2 * g];
        _gradients = new float[_parameters.Length];
        _gates = new float[steps * batch * g];
        _cells = new float[(steps + 1) * batch * hiddenSize];
        _hidden = new float[(steps + 1) * batch * hiddenSize];
        _tanhC = new float[steps * batch * hiddenSize];
        _a = new float[g];
        _tmp = new float[hiddenSize];
        _dh = new float[batch * hiddenSize];
        _dc = new float[batch * hiddenSize];
    }

    public override Span<float> Parameters => _parameters;

    public override Span<float> Gradients => _gradients;

    public override void Inference() => Forward(record: false);

    public override void Training()
    {
        Forward(record: true);
        Backward();
    }

    private void Forward(bool record)
    {
        int d = D, h = H, g = 4 * h, batch = Batch;
        ReadOnlySpan<float> p = _parameters;
        var wih = p.Slice(0, g * d);
        var whh = p.Slice(g * d, g * h);
        var bih = p.Slice(g * d + g * h, g);
        var bhh = p.Slice(g * d + g * h + g, g);
        _hidden.AsSpan(0, batch * h).Clear();
        _cells.AsSpan(0, batch * h).Clear();
        for (var t = 0; t < Steps; t++)
        {
            int prev = record ? t * batch * h : 0, next = record ? (t + 1) * batch * h : 0;
            for (var b = 0; b < batch; b++)
            {
                var row = t * batch + b;
                var x = X.AsSpan(row * d, d);
                var hPrev = _hidden.AsSpan(prev + b * h, h);
                var a = record ? _gates.AsSpan(row * g, g) : _a.AsSpan();
                for (var r = 0; r < g; r++)
                    a[r] = TensorPrimitives.Dot(wih.Slice(r * d, d), x) + TensorPrimitives.Dot(whh.Slice(r * h, h), hPrev) + bih[r] + bhh[r];
                TensorPrimitives.Sigmoid(a.Slice(0, 2 * h), a.Slice(0, 2 * h));
                TensorPrimitives.Tanh(a.Slice(2 * h, h), a.Slice(2 * h, h));
                TensorPrimitives.Sigmoid(a.Slice(3 * h, h), a.Slice(3 * h, h));
                var cNext = _cells.AsSpan(next + b * h, h);
                TensorPrimitives.Multiply(a.Slice(h, h), _cells.AsSpan(prev + b * h, h), _tmp);           // f * c
                TensorPrimitives.FusedMultiplyAdd(a.Slice(0, h), a.Slice(2 * h, h), _tmp, cNext);          // + i * g
                var tanhC = record ? _tanhC.AsSpan(row * h, h) : _tmp.AsSpan();
                TensorPrimitives.Tanh(cNext, tanhC);
                var hNext = _hidden.AsSpan(next + b * h, h);
                TensorPrimitives.Multiply(a.Slice(3 * h, h), tanhC, hNext);
                hNext.CopyTo(Output.AsSpan(row * h, h));
            }
        }
        var last = record ? Steps * batch * h : 0;
        _hidden.AsSpan(last, batch * h).CopyTo(HT);
        _cells.AsSpan(last, batch * h).CopyTo(CT);
    }

    private void Backward()
    {
        int d = D, h = H, g = 4 * h, batch = Batch;
        ReadOnlySpan<float> p = _parameters;
        var wih = p.Slice(0, g * d);
        var whh = p.Slice(g * d, g * h);
        var dp = _gradients.AsSpan();
        var dwih = dp.Slice(0, g * d);
        var dwhh = dp.Slice(g * d, g * h);
        var dbih = dp.Slice(g * d + g * h, g);
        var dbhh = dp.Slice(g * d + g * h + g, g);
        var da = _a.AsSpan();
        DhT.CopyTo(_dh);
        DcT.CopyTo(_dc);
        for (var t = Steps - 1; t >= 0; t--)
        {
            for (var b = 0; b < batch; b++)
            {
                var row = t * batch + b;
                ReadOnlySpan<float> gates = _gates.AsSpan(row * g, g);
                ReadOnlySpan<float> i = gates.Slice(0, h), f = gates.Slice(h, h), gg = gates.Slice(2 * h, h), o = gates.Slice(3 * h, h);
                ReadOnlySpan<float> tc = _tanhC.AsSpan(row * h, h), cPrev = _cells.AsSpan(t * batch * h + b * h, h);
                var dh = _dh.AsSpan(b * h, h);
                var dc = _dc.AsSpan(b * h, h);
                var tmp = _tmp.AsSpan();
                TensorPrimitives.Add(dh, DOutput.AsSpan(row * h, h), dh); // dh += dOutput_t
                // da_o = dh * tc * o * (1 - o)
                TensorPrimitives.Multiply(dh, tc, da.Slice(3 * h, h));
                TensorPrimitives.Multiply(da.Slice(3 * h, h), o, da.Slice(3 * h, h));
                TensorPrimitives.Subtract(1f, o, tmp);
                TensorPrimitives.Multiply(da.Slice(3 * h, h), tmp, da.Slice(3 * h, h));
                // dc += dh * o * (1 - tc^2)
                TensorPrimitives.Multiply(tc, tc, tmp);
                TensorPrimitives.Subtract(1f, tmp, tmp);
                TensorPrimitives.Multiply(tmp, o, tmp);
                TensorPrimitives.FusedMultiplyAdd(tmp, dh, dc, dc);
                // da_i = dc * g * i(1-i); da_f = dc * cPrev * f(1-f); da_g = dc * i * (1-g^2)
                TensorPrimitives.Subtract(1f, i, tmp);
                TensorPrimitives.Multiply(tmp, i, tmp);
                TensorPrimitives.Multiply(tmp, gg, tmp);
                TensorPrimitives.Multiply(tmp, dc, da.Slice(0, h));
                TensorPrimitives.Subtract(1f, f, tmp);
                TensorPrimitives.Multiply(tmp, f, tmp);
                TensorPrimitives.Multiply(tmp, cPrev, tmp);
                TensorPrimitives.Multiply(tmp, dc, da.Slice(h, h));
                TensorPrimitives.Multiply(gg, gg, tmp);
                TensorPrimitives.Subtract(1f, tmp, tmp);
                TensorPrimitives.Multiply(tmp, i, tmp);
                TensorPrimitives.Multiply(tmp, dc, da.Slice(2 * h, h));
                TensorPrimitives.Multiply(dc, f, dc);
                TensorPrimitives.Add(dbih, da, dbih);
                TensorPrimitives.Add(dbhh, da, dbhh);
                var x = X.AsSpan(row * d, d);
                var hPrev = _hidden.AsSpan(t * batch * h + b * h, h);
                var dx = Dx.AsSpan(row * d, d);
                dx.Clear();
                dh.Clear();
                for (var r = 0; r < g; r++)
                {
                    var dar = da[r];
                    TensorPrimitives.MultiplyAdd(x, dar, dwih.Slice(r * d, d), dwih.Slice(r * d, d));
                    TensorPrimitives.MultiplyAdd(hPrev, dar, dwhh.Slice(r * h, h), dwhh.Slice(r * h, h));
                    TensorPrimitives.MultiplyAdd(wih.Slice(r * d, d), dar, dx, dx);
                    TensorPrimitives.MultiplyAdd(whh.Slice(r * h, h), dar, dh, dh);
                }
            }
        }
        _dh.CopyTo(Dh0.AsSpan());
        _dc.CopyTo(Dc0.AsSpan());
    }
}
