using System;
using LstmGen.Generators.Helpers;
using LstmGen.Generators.Models;

namespace LstmGen.Generators;

public sealed partial class LstmCellGenerator
{
    /// <summary>The per-row kernels: gate pre-activations, elementwise gate math, and the backward products.</summary>
    internal static partial class Emitter
    {
        // ---------------------------------------------------------------- forward: elementwise gate math

        /// <summary>The elementwise forward kernels of layer-norm cells (the other cells fuse their gate math into the step's tiles).</summary>
        private static void WriteForwardElementwise(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            if (!cell.Variant.LayerNorm) return;
            var t = p.Type;
            w.WriteLine($"/// <summary>Gates from the normalised terms (a = ln_ih_weight * zx + ln_ih_bias + ln_hh_weight * zh + ln_hh_bias + b_ih + b_hh) and c_t = f * c_(t-1) + i * g for one batch row ({t}), fused; cPrev and cNext may be the same row.</summary>");
            WriteElementwise(w, p, cell.HiddenSize, $"Cell{p.Name}(ref {t} p, ref {t} record, ref {t} cPrev, ref {t} cNext)",
                (path, j) => WriteGateMath(w, cell, p, path, j, fromRecord: true));
            WriteNormalizedHidden(w, cell, p);
        }

        /// <summary>
        /// The gate math of one register of units from j: from the pre-activations (read from the record's normalised
        /// terms with layer norm, else the parameters ai, af, ag, ao of the tile epilogue) to the gates, c_t and, without
        /// layer norm, tanh(c_t) and h_t, with each variant adding its own lines. Writes the activated gates and tanh(c_t)
        /// into the record (what backward reads), c_t, h_t and the output row.
        /// </summary>
        private static void WriteGateMath(IndentedTextWriter w, LstmCellInfo cell, Precision p, SimdPath path, string j, bool fromRecord)
        {
            int h = cell.HiddenSize;
            var v = cell.Variant;
            var row = new RowLayout(cell);
            var clip = v.Clip;
            const string Math = "global::LstmGen.Numerics.VectorMath";
            var ln = v.LayerNorm;
            string At(int gate) => AddExpr(Int(gate * h), j);
            if (fromRecord)
            {
                string Pre(int gate)
                {
                    string P(string tensor) => path.Load("p", AddExpr(Int(cell.Offset(tensor) + gate * h), j));
                    var zx = path.Load("record", AddExpr(Int(row.NormalizedInput + gate * h), j));
                    var zh = path.Load("record", AddExpr(Int(row.NormalizedHidden + gate * h), j));
                    var bih = path.Load("p", AddExpr(Int(cell.BiasIhOffset + gate * h), j));
                    var bhh = path.Load("p", AddExpr(Int(cell.BiasHhOffset + gate * h), j));
                    return $"({P("ln_ih_weight")} * {zx} + {P("ln_ih_bias")}) + ({P("ln_hh_weight")} * {zh} + {P("ln_hh_bias")}) + {bih} + {bhh}";
                }
                w.WriteLine($"var ai = {Pre(0)};");
                if (!v.CoupledInputForget) w.WriteLine($"var af = {Pre(1)};");
                w.WriteLine($"var ag = {Pre(2)};");
                w.WriteLine($"var ao = {Pre(3)};");
            }
            w.WriteLine($"var cp = {path.Load("cPrev", j)};");
            if (v.Peephole)
            {
                w.WriteLine($"ai = ai + {path.Load("p", AddExpr(Int(cell.Offset("w_ci")), j))} * cp;");
                if (!v.CoupledInputForget) w.WriteLine($"af = af + {path.Load("p", AddExpr(Int(cell.Offset("w_cf")), j))} * cp;");
            }
            if (v.ForgetBias != 0 && !v.CoupledInputForget) w.WriteLine($"af = af + {path.Broadcast(p.Literal(v.ForgetBias))};");
            if (clip is { } kappaValue)
            {
                w.WriteLine($"var kappa = {path.Broadcast(p.Literal(kappaValue))};");
                w.WriteLine(path.Store(path.InRange("ai", "kappa", p), "record", AddExpr(Int(row.Mask), j)));
                w.WriteLine(path.Store(path.InRange("ag", "kappa", p), "record", AddExpr(Int(row.Mask + 2 * h), j)));
                w.WriteLine($"ai = {path.Clamp("ai", "kappa")};");
                w.WriteLine($"ag = {path.Clamp("ag", "kappa")};");
                if (!v.CoupledInputForget)
                {
                    w.WriteLine(path.Store(path.InRange("af", "kappa", p), "record", AddExpr(Int(row.Mask + h), j)));
                    w.WriteLine($"af = {path.Clamp("af", "kappa")};");
                }
            }
            w.WriteLine($"var i = {Math}.Sigmoid(ai);");
            w.WriteLine(v.CoupledInputForget ? $"var f = {path.One(p)} - i;" : $"var f = {Math}.Sigmoid(af);");
            w.WriteLine($"var g = {Math}.Tanh(ag);");
            w.WriteLine("var c = f * cp + i * g;");
            if (v.Peephole) w.WriteLine($"ao = ao + {path.Load("p", AddExpr(Int(cell.Offset("w_co")), j))} * c;");
            if (clip is not null)
            {
                w.WriteLine(path.Store(path.InRange("ao", "kappa", p), "record", AddExpr(Int(row.Mask + 3 * h), j)));
                w.WriteLine($"ao = {path.Clamp("ao", "kappa")};");
            }
            w.WriteLine($"var o = {Math}.Sigmoid(ao);");
            w.WriteLine(path.Store("i", "record", At(0)));
            w.WriteLine(path.Store("f", "record", At(1)));
            w.WriteLine(path.Store("g", "record", At(2)));
            w.WriteLine(path.Store("o", "record", At(3)));
            w.WriteLine(path.Store("c", "cNext", j));
            if (ln) return;
            w.WriteLine($"var tc = {Math}.Tanh(c);");
            w.WriteLine("var hidden = o * tc;");
            w.WriteLine(path.Store("tc", "record", At(4)));
            w.WriteLine(path.Store("hidden", "hNext", j));
            w.WriteLine(path.Store("hidden", "output", j));
        }

        /// <summary>Layer norm, after c_t is normalised into zc: c-hat = ln_c_weight * zc + ln_c_bias, tanh(c-hat) into the record, h_t = o * tanh(c-hat).</summary>
        private static void WriteNormalizedHidden(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            int h = cell.HiddenSize;
            var t = p.Type;
            const string Math = "global::LstmGen.Numerics.VectorMath";
            int gc = cell.Offset("ln_c_weight"), bc = cell.Offset("ln_c_bias");
            w.WriteLine($"/// <summary>tanh(ln_c_weight * zc + ln_c_bias) into the record and h_t = o * that for one batch row ({t}); hNext and output may be the same row.</summary>");
            WriteElementwise(w, p, h, $"NormalizedHidden{p.Name}(ref {t} p, ref {t} record, ref {t} zc, ref {t} hNext, ref {t} output)", (path, j) =>
            {
                w.WriteLine($"var tc = {Math}.Tanh({path.Load("p", AddExpr(Int(gc), j))} * {path.Load("zc", j)} + {path.Load("p", AddExpr(Int(bc), j))});");
                w.WriteLine($"var hidden = {path.Load("record", AddExpr(Int(3 * h), j))} * tc;");
                w.WriteLine(path.Store("tc", "record", AddExpr(Int(4 * h), j)));
                w.WriteLine(path.Store("hidden", "hNext", j));
                w.WriteLine(path.Store("hidden", "output", j));
            });
        }

        // ---------------------------------------------------------------- backward: gate gradients

        private static void WriteGateGradients(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            int h = cell.HiddenSize, g = cell.GateRows;
            var v = cell.Variant;
            var row = new RowLayout(cell);
            var t = p.Type;
            var tanhOffset = row.TanhCell(cell);
            var peepholeParameters = v.Peephole ? $", ref {t} p, ref {t} grad, ref {t} cNow" : "";

            string MaskTimes(SimdPath path, int gate, string j)
                => v.Clip is null ? "" : $" * {path.Load("record", AddExpr(Int(row.Mask + gate * h), j))}";

            if (v.LayerNorm)
            {
                w.WriteLine($"/// <summary>da_o into da[3H:4H] and dc-hat = dh * o * (1 - tanh(c-hat)^2), the gradient at LN(c_t) ({t}).</summary>");
                WriteElementwise(w, p, h, $"OutputGradients{p.Name}(ref {t} record, ref {t} dOutput, bool hasOutputGradient, ref {t} dh, ref {t} da, ref {t} dcHat)", (path, j) =>
                {
                    var one = path.One(p);
                    w.WriteLine($"var dhj = hasOutputGradient ? {path.Load("dh", j)} + {path.Load("dOutput", j)} : {path.Load("dh", j)};");
                    w.WriteLine($"var o = {path.Load("record", AddExpr(Int(3 * h), j))};");
                    w.WriteLine($"var tc = {path.Load("record", AddExpr(Int(tanhOffset), j))};");
                    w.WriteLine(path.Store($"dhj * tc * o * ({one} - o){MaskTimes(path, 3, j)}", "da", AddExpr(Int(3 * h), j)));
                    w.WriteLine(path.Store($"dhj * o * ({one} - tc * tc)", "dcHat", j));
                });
            }

            var signature = v.LayerNorm
                ? $"GateGradients{p.Name}(ref {t} record, ref {t} cPrev, ref {t} dcHat, ref {t} dc, ref {t} da{peepholeParameters})"
                : $"GateGradients{p.Name}(ref {t} record, ref {t} cPrev, ref {t} dOutput, bool hasOutputGradient, ref {t} dh, ref {t} dc, ref {t} da{peepholeParameters})";
            w.WriteLine($"/// <summary>Gate pre-activation gradients da (4H) of one batch row ({t}); updates dc to dc_(t-1) in place.</summary>");
            WriteElementwise(w, p, h, signature, (path, j) =>
            {
                var one = path.One(p);
                if (v.LayerNorm)
                {
                    w.WriteLine($"var dao = {path.Load("da", AddExpr(Int(3 * h), j))};");
                    w.WriteLine($"var dcj = {path.Load("dc", j)} + {path.Load("dcHat", j)};");
                }
                else
                {
                    w.WriteLine($"var dhj = hasOutputGradient ? {path.Load("dh", j)} + {path.Load("dOutput", j)} : {path.Load("dh", j)};");
                    w.WriteLine($"var o = {path.Load("record", AddExpr(Int(3 * h), j))};");
                    w.WriteLine($"var tc = {path.Load("record", AddExpr(Int(tanhOffset), j))};");
                    w.WriteLine($"var dao = dhj * tc * o * ({one} - o){MaskTimes(path, 3, j)};");
                    w.WriteLine($"var dcj = {path.Load("dc", j)} + dhj * o * ({one} - tc * tc);");
                }
                if (v.Peephole) w.WriteLine($"dcj = dcj + dao * {path.Load("p", AddExpr(Int(cell.Offset("w_co")), j))};");
                w.WriteLine($"var i = {path.Load("record", j)};");
                w.WriteLine($"var f = {path.Load("record", AddExpr(Int(h), j))};");
                w.WriteLine($"var g = {path.Load("record", AddExpr(Int(2 * h), j))};");
                w.WriteLine($"var cp = {path.Load("cPrev", j)};");
                if (v.CoupledInputForget)
                {
                    w.WriteLine("// f = 1 - i: the forget path flows into i, and a_f gets no gradient.");
                    w.WriteLine($"var dai = dcj * (g - cp) * i * ({one} - i){MaskTimes(path, 0, j)};");
                    w.WriteLine($"var daf = {path.Zero(p)};");
                }
                else
                {
                    w.WriteLine($"var dai = dcj * g * i * ({one} - i){MaskTimes(path, 0, j)};");
                    w.WriteLine($"var daf = dcj * cp * f * ({one} - f){MaskTimes(path, 1, j)};");
                }
                w.WriteLine($"var dag = dcj * i * ({one} - g * g){MaskTimes(path, 2, j)};");
                w.WriteLine(path.Store("dai", "da", j));
                w.WriteLine(path.Store("daf", "da", AddExpr(Int(h), j)));
                w.WriteLine(path.Store("dag", "da", AddExpr(Int(2 * h), j)));
                w.WriteLine(path.Store("dao", "da", AddExpr(Int(3 * h), j)));
                if (v.Peephole)
                {
                    int ci = cell.Offset("w_ci"), cf = cell.Offset("w_cf"), co = cell.Offset("w_co");
                    var forgetTerm = v.CoupledInputForget ? "" : $" + daf * {path.Load("p", AddExpr(Int(cf), j))}";
                    w.WriteLine(path.Store($"dcj * f + dai * {path.Load("p", AddExpr(Int(ci), j))}{forgetTerm}", "dc", j));
                    w.WriteLine(path.Store($"{path.Load("grad", AddExpr(Int(ci), j))} + dai * cp", "grad", AddExpr(Int(ci), j)));
                    if (!v.CoupledInputForget)
                        w.WriteLine(path.Store($"{path.Load("grad", AddExpr(Int(cf), j))} + daf * cp", "grad", AddExpr(Int(cf), j)));
                    w.WriteLine(path.Store($"{path.Load("grad", AddExpr(Int(co), j))} + dao * {path.Load("cNow", j)}", "grad", AddExpr(Int(co), j)));
                }
                else
                {
                    w.WriteLine(path.Store("dcj * f", "dc", j));
                }
            });

            w.WriteLine($"/// <summary>db_ih += da and db_hh += da over the 4H = {g} gate rows ({t}).</summary>");
            WriteElementwise(w, p, g, $"BiasGradients{p.Name}(ref {t} da, ref {t} dbih, ref {t} dbhh)", (path, j) =>
            {
                w.WriteLine($"var daj = {path.Load("da", j)};");
                w.WriteLine(path.Store($"{path.Load("dbih", j)} + daj", "dbih", j));
                w.WriteLine(path.Store($"{path.Load("dbhh", j)} + daj", "dbhh", j));
            });
        }
    }
}
