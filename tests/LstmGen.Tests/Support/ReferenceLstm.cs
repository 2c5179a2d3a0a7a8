using System;
using System.Collections.Generic;
using LstmGen.Testing;

namespace LstmGen.Tests.Support;

/// <summary>
/// A plain scalar double forward of every variant, written straight from specs/variants.md (no SIMD, no caching).
/// It is a second reference for the kernels and reports the pre-activations that the clip sees, so a
/// finite-difference test can keep them away from ±κ where the clamp has its kink.
/// </summary>
internal static class ReferenceLstm
{
    /// <summary><paramref name="Gates"/>: the activated i, f, g, o [T×B×4H] (what a gate trace reports); <paramref name="Cells"/>: c_t [T×B×H].</summary>
    public sealed record Result(double[] Output, double[] HT, double[] CT, List<double> ClippedPreactivations, double[] Gates, double[] Cells);

    public static Result Forward<TCell>(LstmProblem<TCell> problem) where TCell : ILstmCell<TCell>
    {
        var layout = TCell.Layout;
        var v = layout.Variant;
        int d = TCell.InputSize, h = TCell.HiddenSize, g = 4 * h, steps = problem.Steps, batch = problem.Batch;
        double[] P(string name) => layout.Contains(name) ? problem.Parameters.Tensor(name).ToArray() : Array.Empty<double>();
        double[] wih = P("weight_ih"), whh = P("weight_hh"), bih = P("bias_ih"), bhh = P("bias_hh");
        double[] wci = P("w_ci"), wcf = P("w_cf"), wco = P("w_co");
        double[] gih = P("ln_ih_weight"), sih = P("ln_ih_bias"), ghh = P("ln_hh_weight"), shh = P("ln_hh_bias"), gc = P("ln_c_weight"), sc = P("ln_c_bias");
        var output = new double[steps * batch * h];
        var hs = (double[])problem.H0.Clone();
        var cs = (double[])problem.C0.Clone();
        var clipped = new List<double>();
        var gates = new double[steps * batch * g];
        var cells = new double[steps * batch * h];
        for (var t = 0; t < steps; t++)
        {
            for (var b = 0; b < batch; b++)
            {
                var zx = new double[g];
                var zh = new double[g];
                for (var r = 0; r < g; r++)
                {
                    for (var k = 0; k < d; k++) zx[r] += wih[r * d + k] * problem.X[(t * batch + b) * d + k];
                    for (var k = 0; k < h; k++) zh[r] += whh[r * h + k] * hs[b * h + k];
                }
                var a = new double[g];
                if (v.LayerNorm)
                {
                    var blocks = v.LayerNormPerGate ? 4 : 1;
                    var nx = Normalize(zx, blocks, v.LayerNormEpsilon);
                    var nh = Normalize(zh, blocks, v.LayerNormEpsilon);
                    for (var r = 0; r < g; r++) a[r] = gih[r] * nx[r] + sih[r] + ghh[r] * nh[r] + shh[r] + bih[r] + bhh[r];
                }
                else
                {
                    for (var r = 0; r < g; r++) a[r] = zx[r] + bih[r] + zh[r] + bhh[r];
                }
                var cPrev = new double[h];
                Array.Copy(cs, b * h, cPrev, 0, h);
                var c = new double[h];
                var cHat = new double[h];
                for (var j = 0; j < h; j++)
                {
                    double ai = a[j], af = a[h + j], ag = a[2 * h + j];
                    if (v.Peephole) { ai += wci[j] * cPrev[j]; af += wcf[j] * cPrev[j]; }
                    af += v.ForgetBias;
                    ai = Clip(ai, v.Clip, clipped);
                    ag = Clip(ag, v.Clip, clipped);
                    if (!v.CoupledInputForget) af = Clip(af, v.Clip, clipped);
                    var i = Sigmoid(ai);
                    var f = v.CoupledInputForget ? 1 - i : Sigmoid(af);
                    c[j] = f * cPrev[j] + i * Math.Tanh(ag);
                    var at = (t * batch + b) * g + j;
                    (gates[at], gates[at + h], gates[at + 2 * h]) = (i, f, Math.Tanh(ag));
                    cells[(t * batch + b) * h + j] = c[j];
                }
                var cNorm = v.LayerNorm ? Normalize(c, 1, v.LayerNormEpsilon) : c;
                for (var j = 0; j < h; j++)
                {
                    var ao = a[3 * h + j] + (v.Peephole ? wco[j] * c[j] : 0);
                    var o = Sigmoid(Clip(ao, v.Clip, clipped));
                    gates[(t * batch + b) * g + 3 * h + j] = o;
                    cHat[j] = v.LayerNorm ? gc[j] * cNorm[j] + sc[j] : c[j];
                    var hj = o * Math.Tanh(cHat[j]);
                    output[(t * batch + b) * h + j] = hj;
                    hs[b * h + j] = hj;
                    cs[b * h + j] = c[j];
                }
            }
        }
        return new Result(output, hs, cs, clipped, gates, cells);
    }

    /// <summary>The smallest distance of a clipped pre-activation to ±κ (infinity for cells without clip).</summary>
    public static double ClipMargin<TCell>(LstmProblem<TCell> problem) where TCell : ILstmCell<TCell>
    {
        if (TCell.Layout.Variant.Clip is not { } kappa) return double.PositiveInfinity;
        var margin = double.PositiveInfinity;
        foreach (var a in Forward(problem).ClippedPreactivations)
            margin = Math.Min(margin, Math.Abs(Math.Abs(a) - kappa));
        return margin;
    }

    private static double Clip(double value, double? kappa, List<double> seen)
    {
        if (kappa is not { } k) return value;
        seen.Add(value);
        return Math.Min(Math.Max(value, -k), k);
    }

    private static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));

    private static double[] Normalize(double[] z, int blocks, double epsilon)
    {
        var result = new double[z.Length];
        var m = z.Length / blocks;
        for (var k = 0; k < blocks; k++)
        {
            double mean = 0, variance = 0;
            for (var j = 0; j < m; j++) mean += z[k * m + j];
            mean /= m;
            for (var j = 0; j < m; j++) variance += (z[k * m + j] - mean) * (z[k * m + j] - mean);
            variance /= m;
            var s = Math.Sqrt(variance + epsilon);
            for (var j = 0; j < m; j++) result[k * m + j] = (z[k * m + j] - mean) / s;
        }
        return result;
    }
}
