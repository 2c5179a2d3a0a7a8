using System;
using LstmGen.Generators.Helpers;
using LstmGen.Generators.Models;

namespace LstmGen.Generators;

public sealed partial class LstmCellGenerator
{
    /// <summary>The per-row kernels: gate pre-activations, elementwise gate math, and the backward products.</summary>
    internal static partial class Emitter
    {
        // ---------------------------------------------------------------- forward: pre-activations

        private static void WritePreactivations(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            int d = cell.InputSize, h = cell.HiddenSize;
            var t = p.Type;
            var split = cell.Variant.LayerNorm;
            var paths = PathsFor(p, Math.Max(d, h));
            var outputs = split ? $"ref {t} zx, ref {t} zh" : $"ref {t} a";
            var arguments = split ? "ref zx, ref zh" : "ref a";
            w.WriteLine(split
                ? $"/// <summary>zx = W_ih x and zh = W_hh h (4H each, no bias: layer norm comes first) for one batch row ({t}), one kernel per gate block.</summary>"
                : $"/// <summary>a[0:4H] = b_ih + b_hh + W_ih x + W_hh h for one batch row ({t}), one kernel per gate block.</summary>");
            WriteMemberAttributes(w);
            using (w.Open($"private static void Preactivations{p.Name}(ref {t} p, ref {t} x, ref {t} h, {outputs})"))
            {
                WriteDispatch(w, paths, path =>
                {
                    for (var q = 0; q < 4; q++)
                        w.WriteLine($"{GateTitles[q]}{p.Name}{path.Name}(ref p, ref x, ref h, {arguments});");
                });
            }
            w.WriteLine();

            foreach (var path in paths)
            {
                for (var q = 0; q < 4; q++)
                    WriteGateKernel(w, cell, p, path, q, outputs);
            }
        }

        private static void WriteGateKernel(IndentedTextWriter w, LstmCellInfo cell, Precision p, SimdPath path, int gate, string outputs)
        {
            int d = cell.InputSize, h = cell.HiddenSize, width = path.Width(p);
            var t = p.Type;
            var split = cell.Variant.LayerNorm;
            int vectorsD = d / width, vectorsH = h / width;
            int tailD = d % width, tailH = h % width;
            var perRow = vectorsD + vectorsH + tailD + tailH;
            // The scalar path is the fallback for machines without SIMD: compact loops, no unrolling.
            var unrollRows = !path.IsScalar && h * perRow <= UnrollBudget;
            var first = gate * h;
            // Split mode keeps the recurrent term in its own accumulators (u) so the two terms can be normalised apart.
            var hiddenAccumulator = split ? "u" : "s";

            w.WriteLine($"/// <summary>Gate {GateNames[gate]}, rows {first}..{first + h - 1}: dot products along D = {d} and H = {h}, {Lanes(path, p)}.</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"private static void {GateTitles[gate]}{p.Name}{path.Name}(ref {t} p, ref {t} x, ref {t} h, {outputs})"))
            {
                w.WriteLine($"ref {t} wih = ref p;");
                w.WriteLine($"ref {t} whh = ref {Unsafe}.Add(ref p, {Int(cell.WeightHhOffset)});");
                if (!split)
                {
                    w.WriteLine($"ref {t} bih = ref {Unsafe}.Add(ref p, {Int(cell.BiasIhOffset)});");
                    w.WriteLine($"ref {t} bhh = ref {Unsafe}.Add(ref p, {Int(cell.BiasHhOffset)});");
                }

                void Block(string row, int count)
                {
                    // Inside a loop the for-body already gives the block its scope.
                    using (IsConstant(row) ? (IDisposable)w.Open() : null)
                    {
                        w.WriteLine(IsConstant(row)
                            ? $"// gate {GateNames[gate]}, rows {row}..{Add(row, count - 1)}"
                            : $"// gate {GateNames[gate]}, rows row..row+{count - 1}");
                        for (var r = 0; r < count; r++)
                            w.WriteLine($"var s{r} = {path.Zero(p)};");
                        if (split)
                        {
                            for (var r = 0; r < count; r++)
                                w.WriteLine($"var u{r} = {path.Zero(p)};");
                        }
                        WriteDotTerms(w, path, p, unrollRows || (!path.IsScalar && vectorsD <= 8), "x", "wih", d, vectorsD, row, count, "xv", "s");
                        WriteDotTerms(w, path, p, unrollRows || (!path.IsScalar && vectorsH <= 8), "h", "whh", h, vectorsH, row, count, "hv", hiddenAccumulator);
                        for (var r = 0; r < count; r++)
                        {
                            var rowIndex = Add(row, r);
                            var inputSum = path.Sum($"s{r}");
                            for (var k = vectorsD * width; k < d; k++)
                                inputSum += $" + {SimdPath.ScalarAt("wih", Add(Mul(rowIndex, d), k))} * {SimdPath.ScalarAt("x", Int(k))}";
                            var hiddenSum = split ? path.Sum($"u{r}") : inputSum;
                            for (var k = vectorsH * width; k < h; k++)
                                hiddenSum += $" + {SimdPath.ScalarAt("whh", Add(Mul(rowIndex, h), k))} * {SimdPath.ScalarAt("h", Int(k))}";
                            if (split)
                            {
                                w.WriteLine($"{SimdPath.ScalarAt("zx", rowIndex)} = {inputSum};");
                                w.WriteLine($"{SimdPath.ScalarAt("zh", rowIndex)} = {hiddenSum};");
                            }
                            else
                            {
                                w.WriteLine($"{SimdPath.ScalarAt("a", rowIndex)} = {hiddenSum} + {SimdPath.ScalarAt("bih", rowIndex)} + {SimdPath.ScalarAt("bhh", rowIndex)};");
                            }
                        }
                    }
                }

                var blocks = h / RowBlock;
                Repeat(w, unrollRows, "row", first, blocks, RowBlock, row => Block(row, RowBlock));
                if (h % RowBlock != 0) Block(Int(first + blocks * RowBlock), h % RowBlock);
            }
            w.WriteLine();
        }

        /// <summary>acc_r += W[row + r, k : k + width] · v[k : k + width] over the whole vectors of a row of length n.</summary>
        private static void WriteDotTerms(IndentedTextWriter w, SimdPath path, Precision p, bool unroll, string vector, string matrix, int n, int vectors, string row, int count, string prefix, string accumulator)
        {
            var width = path.Width(p);
            Repeat(w, unroll, "k", 0, vectors, width, k =>
            {
                var v = $"{prefix}{Name(k)}";
                w.WriteLine($"var {v} = {path.Load(vector, k)};");
                for (var r = 0; r < count; r++)
                    w.WriteLine($"{accumulator}{r} = {path.MultiplyAdd(path.Load(matrix, AddExpr(Mul(Add(row, r), n), k)), v, $"{accumulator}{r}")};");
            });
        }

        // ---------------------------------------------------------------- forward: elementwise gate math

        private static void WriteForwardElementwise(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            int h = cell.HiddenSize, g = cell.GateRows;
            var v = cell.Variant;
            var t = p.Type;
            var clip = v.Clip;
            var maskParameter = clip is not null ? $", ref {t} mask" : "";

            if (v.LayerNorm)
            {
                int gih = cell.Offset("ln_ih_weight"), bih = cell.Offset("ln_ih_bias"), ghh = cell.Offset("ln_hh_weight"), bhh = cell.Offset("ln_hh_bias");
                w.WriteLine($"/// <summary>a = ln_ih_weight * zx + ln_ih_bias + ln_hh_weight * zh + ln_hh_bias + b_ih + b_hh over the 4H = {g} rows ({t}).</summary>");
                WriteElementwise(w, p, g, $"NormalizedGates{p.Name}(ref {t} p, ref {t} zx, ref {t} zh, ref {t} a)", (path, j) =>
                {
                    w.WriteLine($"var input = {path.Load("p", AddExpr(Int(gih), j))} * {path.Load("zx", j)} + {path.Load("p", AddExpr(Int(bih), j))};");
                    w.WriteLine($"var recurrent = {path.Load("p", AddExpr(Int(ghh), j))} * {path.Load("zh", j)} + {path.Load("p", AddExpr(Int(bhh), j))};");
                    w.WriteLine(path.Store($"input + recurrent + {path.Load("p", AddExpr(Int(cell.BiasIhOffset), j))} + {path.Load("p", AddExpr(Int(cell.BiasHhOffset), j))}", "a", j));
                });

                int gc = cell.Offset("ln_c_weight"), bc = cell.Offset("ln_c_bias");
                w.WriteLine($"/// <summary>c-hat = ln_c_weight * zc + ln_c_bias over H = {h} ({t}); the caller takes its tanh.</summary>");
                WriteElementwise(w, p, h, $"NormalizedCell{p.Name}(ref {t} p, ref {t} zc, ref {t} cHat)", (path, j) =>
                    w.WriteLine(path.Store($"{path.Load("p", AddExpr(Int(gc), j))} * {path.Load("zc", j)} + {path.Load("p", AddExpr(Int(bc), j))}", "cHat", j)));
            }

            if (v.Peephole || v.ForgetBias != 0 || clip is not null)
            {
                var steps = new System.Collections.Generic.List<string>();
                if (v.Peephole) steps.Add("peephole");
                if (v.ForgetBias != 0) steps.Add("forget bias");
                if (clip is not null) steps.Add("clip");
                w.WriteLine($"/// <summary>Adds to the i, f, g pre-activations before their activations ({string.Join(", ", steps)}) ({t}).</summary>");
                WriteElementwise(w, p, h, $"GateInputs{p.Name}(ref {t} p, ref {t} a, ref {t} cPrev{maskParameter})", (path, j) =>
                {
                    var kappa = clip is { } k ? path.Broadcast(p.Literal(k)) : "";
                    w.WriteLine($"var ai = {path.Load("a", j)};");
                    if (!v.CoupledInputForget) w.WriteLine($"var af = {path.Load("a", AddExpr(Int(h), j))};");
                    if (v.Peephole)
                    {
                        w.WriteLine($"var cp = {path.Load("cPrev", j)};");
                        w.WriteLine($"ai = ai + {path.Load("p", AddExpr(Int(cell.Offset("w_ci")), j))} * cp;");
                        if (!v.CoupledInputForget) w.WriteLine($"af = af + {path.Load("p", AddExpr(Int(cell.Offset("w_cf")), j))} * cp;");
                    }
                    if (v.ForgetBias != 0) w.WriteLine($"af = af + {path.Broadcast(p.Literal(v.ForgetBias))};");
                    if (clip is not null)
                    {
                        w.WriteLine($"var kappa = {kappa};");
                        w.WriteLine($"var ag = {path.Load("a", AddExpr(Int(2 * h), j))};");
                        w.WriteLine(path.Store(path.InRange("ai", "kappa", p), "mask", j));
                        w.WriteLine(path.Store(path.InRange("ag", "kappa", p), "mask", AddExpr(Int(2 * h), j)));
                        w.WriteLine(path.Store(path.Clamp("ai", "kappa"), "a", j));
                        w.WriteLine(path.Store(path.Clamp("ag", "kappa"), "a", AddExpr(Int(2 * h), j)));
                        if (!v.CoupledInputForget)
                        {
                            w.WriteLine(path.Store(path.InRange("af", "kappa", p), "mask", AddExpr(Int(h), j)));
                            w.WriteLine(path.Store(path.Clamp("af", "kappa"), "a", AddExpr(Int(h), j)));
                        }
                    }
                    else
                    {
                        w.WriteLine(path.Store("ai", "a", j));
                        if (!v.CoupledInputForget) w.WriteLine(path.Store("af", "a", AddExpr(Int(h), j)));
                    }
                });
            }

            if (v.CoupledInputForget)
            {
                w.WriteLine($"/// <summary>Coupled input-forget gate: f = 1 - i over H = {h} ({t}).</summary>");
                WriteElementwise(w, p, h, $"CoupledForgetGate{p.Name}(ref {t} gates)", (path, j) =>
                    w.WriteLine(path.Store($"{path.One(p)} - {path.Load("gates", j)}", "gates", AddExpr(Int(h), j))));
            }

            w.WriteLine($"/// <summary>c_t = f * c_(t-1) + i * g for one batch row ({t}); cPrev and cNext may be the same row.</summary>");
            WriteElementwise(w, p, h, $"CellState{p.Name}(ref {t} gates, ref {t} cPrev, ref {t} cNext)", (path, j) =>
            {
                w.WriteLine($"var c = {path.Load("gates", AddExpr(Int(h), j))} * {path.Load("cPrev", j)} + {path.Load("gates", j)} * {path.Load("gates", AddExpr(Int(2 * h), j))};");
                w.WriteLine(path.Store("c", "cNext", j));
            });

            if (v.Peephole || clip is not null)
            {
                w.WriteLine($"/// <summary>The output pre-activation before its sigmoid:{(v.Peephole ? " a_o += w_co * c_t (the new cell);" : "")}{(clip is not null ? " clip;" : "")} ({t}).</summary>");
                WriteElementwise(w, p, h, $"OutputGateInput{p.Name}(ref {t} p, ref {t} a, ref {t} c{maskParameter})", (path, j) =>
                {
                    var index = AddExpr(Int(3 * h), j);
                    w.WriteLine($"var ao = {path.Load("a", index)};");
                    if (v.Peephole) w.WriteLine($"ao = ao + {path.Load("p", AddExpr(Int(cell.Offset("w_co")), j))} * {path.Load("c", j)};");
                    if (clip is { } k)
                    {
                        w.WriteLine($"var kappa = {path.Broadcast(p.Literal(k))};");
                        w.WriteLine(path.Store(path.InRange("ao", "kappa", p), "mask", index));
                        w.WriteLine(path.Store(path.Clamp("ao", "kappa"), "a", index));
                    }
                    else
                    {
                        w.WriteLine(path.Store("ao", "a", index));
                    }
                });
            }

            w.WriteLine($"/// <summary>h_t = o * tanh(c-hat) for one batch row ({t}), written to the state and to the output.</summary>");
            WriteElementwise(w, p, h, $"HiddenState{p.Name}(ref {t} gates, ref {t} tanhC, ref {t} hNext, ref {t} output)", (path, j) =>
            {
                w.WriteLine($"var hidden = {path.Load("gates", AddExpr(Int(3 * h), j))} * {path.Load("tanhC", j)};");
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

        // ---------------------------------------------------------------- backward: products with the weights

        private static void WriteRankOneUpdates(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            WriteRankOne(w, cell, p, "Input", cell.InputSize, "x_t");
            WriteRankOne(w, cell, p, "Hidden", cell.HiddenSize, "h_(t-1)");
        }

        private static void WriteRankOne(IndentedTextWriter w, LstmCellInfo cell, Precision p, string part, int n, string vectorName)
        {
            var t = p.Type;
            var g = cell.GateRows;
            var paths = PathsFor(p, n);
            w.WriteLine($"/// <summary>dW[r, :] += da[r] * {vectorName} for the 4H = {g} rows of a [4H x {n}] gradient ({t}).</summary>");
            WriteMemberAttributes(w);
            using (w.Open($"private static void RankOne{part}{p.Name}(ref {t} da, ref {t} v, ref {t} dw)"))
                WriteDispatch(w, paths, path => w.WriteLine($"RankOne{part}{p.Name}{path.Name}(ref da, ref v, ref dw);"));
            w.WriteLine();

            foreach (var path in paths)
            {
                int width = path.Width(p), vectors = n / width, tail = n % width;
                var preload = !path.IsScalar && vectors <= 8;
                var unroll = !path.IsScalar && g * (vectors + tail) <= UnrollBudget;
                w.WriteLine($"/// <summary>Rank-one update of a [4H x {n}] gradient, {Lanes(path, p)}.</summary>");
                WriteMemberAttributes(w, hot: true);
                using (w.Open($"private static void RankOne{part}{p.Name}{path.Name}(ref {t} da, ref {t} v, ref {t} dw)"))
                {
                    if (preload)
                    {
                        for (var k = 0; k < vectors; k++)
                            w.WriteLine($"var v{k * width} = {path.Load("v", Int(k * width))};");
                    }
                    Repeat(w, unroll, "r", 0, g, 1, r =>
                    {
                        var ar = $"a{Name(r)}";
                        w.WriteLine($"var {ar} = {path.Broadcast(SimdPath.ScalarAt("da", r))};");
                        Repeat(w, preload || unroll || (!path.IsScalar && vectors <= 8), "k", 0, vectors, width, k =>
                        {
                            var index = AddExpr(Mul(r, n), k);
                            var source = preload ? $"v{k}" : path.Load("v", k);
                            w.WriteLine(path.Store(path.MultiplyAdd(ar, source, path.Load("dw", index)), "dw", index));
                        });
                        for (var k = vectors * width; k < n; k++)
                            w.WriteLine($"{SimdPath.ScalarAt("dw", Add(Mul(r, n), k))} += {SimdPath.ScalarAt("da", r)} * {SimdPath.ScalarAt("v", Int(k))};");
                    });
                }
                w.WriteLine();
            }
        }

        private static void WriteTransposedProducts(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            WriteTransposed(w, cell, p, "Input", cell.InputSize, "dx_t");
            WriteTransposed(w, cell, p, "Hidden", cell.HiddenSize, "dh_(t-1)");
        }

        private static void WriteTransposed(IndentedTextWriter w, LstmCellInfo cell, Precision p, string part, int n, string resultName)
        {
            var t = p.Type;
            var g = cell.GateRows;
            var paths = PathsFor(p, n);
            w.WriteLine($"/// <summary>{resultName} = W^T da: y[:] = sum over the 4H = {g} rows r of da[r] * W[r, :], W [4H x {n}] ({t}); overwrites y.</summary>");
            WriteMemberAttributes(w);
            using (w.Open($"private static void Transposed{part}{p.Name}(ref {t} w, ref {t} da, ref {t} y)"))
                WriteDispatch(w, paths, path => w.WriteLine($"Transposed{part}{p.Name}{path.Name}(ref w, ref da, ref y);"));
            w.WriteLine();

            foreach (var path in paths)
            {
                int width = path.Width(p), vectors = n / width;
                w.WriteLine($"/// <summary>Transposed product with {n} output columns, {Lanes(path, p)}.</summary>");
                WriteMemberAttributes(w, hot: true);
                using (w.Open($"private static void Transposed{part}{p.Name}{path.Name}(ref {t} w, ref {t} da, ref {t} y)"))
                {
                    // Full column blocks of ColumnBlock vectors, then a partial block, then scalar tail columns.
                    void ColumnBlockOf(SimdPath blockPath, string firstColumn, int count, int step)
                    {
                        using (IsConstant(firstColumn) ? (IDisposable)w.Open() : null)
                        {
                            w.WriteLine(IsConstant(firstColumn)
                                ? $"// columns {firstColumn}..{Add(firstColumn, count * step - 1)}"
                                : $"// columns column..column+{count * step - 1}");
                            for (var k = 0; k < count; k++)
                                w.WriteLine($"var s{k} = {blockPath.Zero(p)};");
                            var unrollRows = !path.IsScalar && g * count <= UnrollBudget;
                            Repeat(w, unrollRows, "r", 0, g, 1, r =>
                            {
                                var ar = $"a{Name(r)}";
                                w.WriteLine($"var {ar} = {blockPath.Broadcast(SimdPath.ScalarAt("da", r))};");
                                for (var k = 0; k < count; k++)
                                    w.WriteLine($"s{k} = {blockPath.MultiplyAdd(ar, blockPath.Load("w", AddExpr(Mul(r, n), Add(firstColumn, k * step))), $"s{k}")};");
                            });
                            for (var k = 0; k < count; k++)
                                w.WriteLine(blockPath.Store($"s{k}", "y", Add(firstColumn, k * step)));
                        }
                    }

                    var fullBlocks = vectors / ColumnBlock;
                    var blockColumns = ColumnBlock * width;
                    Repeat(w, !path.IsScalar && fullBlocks <= 4, "column", 0, fullBlocks, blockColumns, column => ColumnBlockOf(path, column, ColumnBlock, width));
                    if (vectors % ColumnBlock != 0)
                        ColumnBlockOf(path, Int(fullBlocks * blockColumns), vectors % ColumnBlock, width);
                    if (n % width != 0)
                        ColumnBlockOf(SimdPath.Scalar, Int(vectors * width), n % width, 1);
                }
                w.WriteLine();
            }
        }
    }
}
