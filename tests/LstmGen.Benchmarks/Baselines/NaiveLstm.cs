using System;

namespace LstmGen.Benchmarks.Baselines;

/// <summary>
/// Baseline 1: the textbook scalar LSTM with runtime sizes, as found in tutorials: a loop over the 4H gate rows with
/// an inner dot product, then the gate math one element at a time; BPTT with rank-one updates and transposed
/// products written as plain loops. No SIMD, no blocking. Same layout and semantics as the generated standard cell.
/// </summary>
public sealed class NaiveLstm : Runner
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly float[] _gates;   // [T, B, 4H] activated gates i, f, g, o
    private readonly float[] _cells;   // [T+1, B, H]
    private readonly float[] _hidden;  // [T+1, B, H]
    private readonly float[] _a;
    private readonly float[] _dh;
    private readonly float[] _dc;

    public NaiveLstm(int inputSize, int hiddenSize, int steps, int batch)
        : base(inputSize, hiddenSize, steps, batch)
    {
        var g = 4 * hiddenSize;
        _parameters = new float[g * (inputSize + hiddenSize) + 2 * g];
        _gradients = new float[_parameters.Length];
        _gates = new float[steps * batch * g];
        _cells = new float[(steps + 1) * batch * hiddenSize];
        _hidden = new float[(steps + 1) * batch * hiddenSize];
        _a = new float[g];
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

    private static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));

    private void Forward(bool record)
    {
        int d = D, h = H, g = 4 * h, batch = Batch;
        float[] p = _parameters, a = _a;
        int whh = g * d, bih = whh + g * h, bhh = bih + g;
        Array.Clear(_hidden, 0, batch * h);
        Array.Clear(_cells, 0, batch * h);
        for (var t = 0; t < Steps; t++)
        {
            // Inference keeps only the current state (slot 0); training keeps the whole history.
            int prev = record ? t * batch * h : 0, next = record ? (t + 1) * batch * h : 0;
            for (var b = 0; b < batch; b++)
            {
                var row = t * batch + b;
                for (var r = 0; r < g; r++)
                {
                    var s = p[bih + r] + p[bhh + r];
                    for (var k = 0; k < d; k++) s += p[r * d + k] * X[row * d + k];
                    for (var k = 0; k < h; k++) s += p[whh + r * h + k] * _hidden[prev + b * h + k];
                    a[r] = s;
                }
                for (var j = 0; j < h; j++)
                {
                    float i = Sigmoid(a[j]), f = Sigmoid(a[h + j]), gg = MathF.Tanh(a[2 * h + j]), o = Sigmoid(a[3 * h + j]);
                    var c = f * _cells[prev + b * h + j] + i * gg;
                    var hj = o * MathF.Tanh(c);
                    if (record)
                    {
                        _gates[row * g + j] = i;
                        _gates[row * g + h + j] = f;
                        _gates[row * g + 2 * h + j] = gg;
                        _gates[row * g + 3 * h + j] = o;
                    }
                    a[j] = c;          // a[0..H) is free again: keep c and h until the row is done
                    a[h + j] = hj;
                }
                for (var j = 0; j < h; j++)
                {
                    _cells[next + b * h + j] = a[j];
                    _hidden[next + b * h + j] = a[h + j];
                    Output[row * h + j] = a[h + j];
                }
            }
        }
        var last = record ? Steps * batch * h : 0;
        Array.Copy(_hidden, last, HT, 0, batch * h);
        Array.Copy(_cells, last, CT, 0, batch * h);
    }

    private void Backward()
    {
        int d = D, h = H, g = 4 * h, batch = Batch;
        float[] p = _parameters, dp = _gradients, da = _a;
        int whh = g * d, bih = whh + g * h, bhh = bih + g;
        Array.Copy(DhT, _dh, batch * h);
        Array.Copy(DcT, _dc, batch * h);
        for (var t = Steps - 1; t >= 0; t--)
        {
            for (var b = 0; b < batch; b++)
            {
                var row = t * batch + b;
                int prev = t * batch * h + b * h, next = (t + 1) * batch * h + b * h;
                for (var j = 0; j < h; j++)
                {
                    float i = _gates[row * g + j], f = _gates[row * g + h + j], gg = _gates[row * g + 2 * h + j], o = _gates[row * g + 3 * h + j];
                    var tc = MathF.Tanh(_cells[next + j]);
                    var dh = _dh[b * h + j] + DOutput[row * h + j];
                    var dc = _dc[b * h + j] + dh * o * (1 - tc * tc);
                    da[j] = dc * gg * i * (1 - i);
                    da[h + j] = dc * _cells[prev + j] * f * (1 - f);
                    da[2 * h + j] = dc * i * (1 - gg * gg);
                    da[3 * h + j] = dh * tc * o * (1 - o);
                    _dc[b * h + j] = dc * f;
                }
                for (var r = 0; r < g; r++)
                {
                    dp[bih + r] += da[r];
                    dp[bhh + r] += da[r];
                    for (var k = 0; k < d; k++) dp[r * d + k] += da[r] * X[row * d + k];
                    for (var k = 0; k < h; k++) dp[whh + r * h + k] += da[r] * _hidden[prev + k];
                }
                for (var k = 0; k < d; k++)
                {
                    var s = 0f;
                    for (var r = 0; r < g; r++) s += p[r * d + k] * da[r];
                    Dx[row * d + k] = s;
                }
                for (var k = 0; k < h; k++)
                {
                    var s = 0f;
                    for (var r = 0; r < g; r++) s += p[whh + r * h + k] * da[r];
                    _dh[b * h + k] = s;
                }
            }
        }
        Array.Copy(_dh, Dh0, batch * h);
        Array.Copy(_dc, Dc0, batch * h);
    }
}
