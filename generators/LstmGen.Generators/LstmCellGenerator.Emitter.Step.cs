using System;
using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generators.Helpers;
using LstmGen.Generators.Models;

namespace LstmGen.Generators;

public sealed partial class LstmCellGenerator
{
    /// <summary>
    /// The fused recurrent step of cells without layer norm: W_hhᵀ is packed gate-interleaved, so one register tile
    /// accumulates the i, f, g and o pre-activations of the same hidden units; the gate math, c_t and h_t then run on
    /// those registers (the tile's epilogue) instead of going back through memory and a general matrix product.
    /// </summary>
    internal static partial class Emitter
    {
        /// <summary>
        /// Accumulator registers one batch tile may hold (rows × 4 gates), leaving the rest for weights, the broadcast row
        /// value and the epilogue. x64 has 32 vector registers with AVX-512 and 16 without: 16 and 12 accumulators
        /// (4 and 3 rows) measured fastest; 24 (6 rows) with AVX-512 and 16 (4 rows) with AVX2 spill and ran at about half speed.
        /// Vector128 takes 8 (2 rows): SSE's two-operand instructions need a scratch register per product (A/B at 64×128,
        /// B = 32, AVX off: 21 against 13–18 GFLOP/s with 12; with AVX encodings at 128 bits, as NEON, 31 against 27).
        /// </summary>
        private static int TileAccumulators(SimdPath path) => path.Bits switch { 512 => 16, 256 => 12, _ => 8 };

        /// <summary>
        /// How one path runs the recurrent step of a cell: hidden units in blocks of one register (<see cref="Width"/>
        /// lanes, <see cref="Blocks"/> of them) and <see cref="TailUnits"/> left to scalar code. A batch of at least
        /// <see cref="BatchRows"/> rows runs tiles of that many rows × one unit block × 4 gates, unit blocks outer, so
        /// each block's weights are read from cache once per row tile and each weight load serves every row of the tile.
        /// Fewer rows run tiles of one row × <see cref="RowBlocks"/> unit blocks × 4 gates.
        /// </summary>
        private sealed record StepPlan(SimdPath Path, int Width, int Blocks, int TailUnits, int BatchRows, int RowBlocks)
        {
            public static StepPlan For(LstmCellInfo cell, Precision p, SimdPath path)
            {
                int h = cell.HiddenSize, width = path.Width(p);
                int blocks = h / width;
                // The scalar path (no vector unit, and the tail units of the vector paths) stays small: one unit of one row.
                if (path.IsScalar) return new StepPlan(path, 1, h, 0, 1, 1);
                // One row: two unit blocks per tile give 8 independent FMA chains, enough to hide the FMA latency.
                return new StepPlan(path, width, blocks, h - blocks * width, TileAccumulators(path) / 4, Math.Max(1, Math.Min(2, blocks)));
            }
        }

        /// <summary>The paths of the step for this cell: the vector paths whose register fits in H, then scalar.</summary>
        private static StepPlan[] StepPlans(LstmCellInfo cell, Precision p)
            => Array.ConvertAll(PathsFor(p, cell.HiddenSize), path => StepPlan.For(cell, p, path));

        /// <summary>The plan in words, for the generated file's header.</summary>
        private static IEnumerable<string> DescribeStepPlan(LstmCellInfo cell)
        {
            int h = cell.HiddenSize;
            if (cell.Variant.LayerNorm)
            {
                yield return "Recurrent step: layer norm needs the statistics of the whole W_hh h_(t-1) term before any gate, so the term is";
                yield return "one register-blocked product (LstmGen.Numerics.Gemm) into the row record, then the normalisation and the gate kernel.";
                yield break;
            }
            yield return "Recurrent step (fused): W_hh^T is packed gate-interleaved per block of hidden units, so one register tile";
            yield return "accumulates a_i, a_f, a_g, a_o of the same units over k = 0 .. H-1 (starting from b + W_ih x_t) and the";
            yield return $"epilogue computes the gates, c_t and h_t from those registers. W_hh^T: {(4 * h * h * 4 / 1024.0).ToString("0.#", CultureInfo.InvariantCulture)} KB in float, twice";
            yield return "that in double. Per path (chosen at run time, widest first):";
            foreach (var p in Precision.All)
            {
                foreach (var plan in StepPlans(cell, p))
                {
                    var name = plan.Path.IsScalar ? $"scalar {p.Type}" : $"Vector{plan.Path.Bits}<{p.Type}>";
                    var tail = plan.TailUnits > 0 && !plan.Path.IsScalar ? $", {plan.TailUnits} tail unit(s) in scalar code" : "";
                    var tiles = plan.Path.IsScalar
                        ? "tiles of 1 row x 1 unit x 4 gates"
                        : $"B >= {plan.BatchRows}: tiles of {plan.BatchRows} rows x 1 block x 4 gates ({plan.BatchRows * 4} accumulators), blocks outer; fewer rows: 1 row x {plan.RowBlocks} block(s) x 4 gates";
                    yield return $"  {name,-17} {plan.Blocks} block(s) of {plan.Width} unit(s){tail}; {tiles}.";
                }
            }
            yield return "Opt-in (float): W_hh^T in bfloat16 pairs (LstmWeightFormat.BFloat16), the one-row tiles widening each weight";
            yield return "exactly as they load it. Unit split (inference, B <= 2, H >= 128, threads > 1): each thread runs its share of the unit";
            yield return "blocks of every step (the last one the tail units) and the threads meet at a barrier after each step.";
        }

        // ---------------------------------------------------------------- packing

        /// <summary>
        /// Packs W_hhᵀ gate-interleaved for the path the step will take: for each block of <c>width</c> units, for each k,
        /// the four gates' <c>width</c> weights side by side; units past the last whole block one at a time (width 1).
        /// </summary>
        private static void WritePackRecurrent(IndentedTextWriter w, LstmCellInfo cell, Precision p, bool bf16 = false)
        {
            int h = cell.HiddenSize;
            var t = p.Type;
            // bfloat16: two gates share a 32-bit slot (i low, f high; g low, o high), so a block holds 2 slots per unit and k.
            var slots = bf16 ? 2 : 4;
            w.WriteLine(bf16
                ? "/// <summary>W_hh^T gate-interleaved in bfloat16 pairs: slot ((block * H + k) * 2 + gate / 2) * width + lane holds W_hh[gate * H + block * width + lane, k] rounded to bfloat16, gates i and g in the low 16 bits, f and o in the high.</summary>"
                : $"/// <summary>W_hh^T gate-interleaved ({t}): packed[((block * H + k) * 4 + gate) * width + lane] = W_hh[gate * H + block * width + lane, k], with the width of the step's path.</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"private static void PackRecurrent{p.Name}{(bf16 ? "BFloat16" : "")}(ref {t} whh, ref {t} packed)"))
            {
                var plans = StepPlans(cell, p);
                var widths = new List<string>();
                foreach (var plan in plans)
                    widths.Add(plan.Path.IsScalar ? "1" : $"{plan.Path.Condition} ? {Int(plan.Width)} : ");
                w.WriteLine($"int width = {string.Concat(widths)};");
                w.WriteLine($"int blocks = {Int(h)} / width;");
                using (w.Open($"for (int unit = 0; unit < {Int(h)}; unit++)"))
                {
                    w.WriteLine("// Whole blocks have `width` lanes; the units after them are blocks of one.");
                    w.WriteLine("int block = unit < blocks * width ? unit / width : blocks + (unit - blocks * width);");
                    w.WriteLine("int lanes = unit < blocks * width ? width : 1;");
                    w.WriteLine("int lane = unit < blocks * width ? unit % width : 0;");
                    w.WriteLine($"int start = unit < blocks * width ? block * {Int(slots * h)} * width : blocks * {Int(slots * h)} * width + (unit - blocks * width) * {Int(slots * h)};");
                    using (w.Open($"for (int gate = 0; gate < 4; gate++)"))
                    {
                        w.WriteLine($"ref {t} row = ref {Unsafe}.Add(ref whh, (gate * {Int(h)} + unit) * {Int(h)});");
                        if (bf16)
                        {
                            w.WriteLine("int shift = gate % 2 * 16;");
                            using (w.Open($"for (int k = 0; k < {Int(h)}; k++)"))
                            {
                                w.WriteLine($"ref uint slot = ref {Unsafe}.As<float, uint>(ref {Unsafe}.Add(ref packed, start + (k * 2 + gate / 2) * lanes + lane));");
                                w.WriteLine($"slot = (slot & ~(0xFFFFu << shift)) | ((uint)global::LstmGen.Numerics.BFloat16.Round({Unsafe}.Add(ref row, k)) << shift);");
                            }
                        }
                        else
                        {
                            w.WriteLine($"for (int k = 0; k < {Int(h)}; k++) {Unsafe}.Add(ref packed, start + (k * 4 + gate) * lanes + lane) = {Unsafe}.Add(ref row, k);");
                        }
                    }
                }
            }
            w.WriteLine();
        }

        // ---------------------------------------------------------------- the step

        /// <summary>
        /// One step for all B rows: tiles of rows × unit blocks (the rows left over by the row tiling in one smaller
        /// tile), then the scalar tail units.
        /// </summary>
        private static void WriteStep(IndentedTextWriter w, LstmCellInfo cell, Precision p, bool bf16 = false)
        {
            var t = p.Type;
            var plans = StepPlans(cell, p);
            var flavour = bf16 ? "BFloat16" : "";
            const string Arguments = "hasPrev, batch, ref whh, ref hPrev, ref records, ref cPrev, ref cNext, ref hNext, ref output, ref p, part, parts";
            w.WriteLine(bf16
                ? "/// <summary>The fused recurrent step with W_hh^T in bfloat16 pairs (float): each weight widened exactly to float as it is loaded, float accumulation.</summary>"
                : $"/// <summary>One fused recurrent step over the B rows ({t}): a += W_hh h_(t-1) in registers, then gates, c_t and h_t; the path is the widest accelerated one.</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"private static void Step{p.Name}{flavour}({StepParameters(t)})"))
            {
                WriteDispatch(w, Array.ConvertAll(plans, plan => plan.Path), path => w.WriteLine($"Step{p.Name}{flavour}{path.Name}({Arguments});"));
            }
            w.WriteLine();
            var tiles = new List<(StepPlan Plan, int Rows, int Blocks)>();
            foreach (var plan in plans) WriteStepPath(w, cell, p, plan, tiles, bf16);
            foreach (var (plan, rows, blocks) in tiles) WriteTile(w, cell, p, plan, rows, blocks, bf16);
            if (bf16) return;
            foreach (var plan in plans) WriteGateEpilogue(w, cell, p, plan.Path);
        }

        private static string StepParameters(string t)
            => $"bool hasPrev, int batch, ref {t} whh, ref {t} hPrev, ref {t} records, ref {t} cPrev, ref {t} cNext, ref {t} hNext, ref {t} output, ref {t} p, int part, int parts";

        /// <summary>The step of one path; adds the tiles it calls to <paramref name="tiles"/> (each shape once).</summary>
        private static void WriteStepPath(IndentedTextWriter w, LstmCellInfo cell, Precision p, StepPlan plan, List<(StepPlan Plan, int Rows, int Blocks)> tiles, bool bf16)
        {
            void Use(StepPlan tilePlan, int rows, int blocks)
            {
                if (!tiles.Contains((tilePlan, rows, blocks))) tiles.Add((tilePlan, rows, blocks));
            }

            int h = cell.HiddenSize;
            var t = p.Type;
            var row = new RowLayout(cell);
            var name = $"Step{p.Name}{(bf16 ? "BFloat16" : "")}{plan.Path.Name}";
            var slots = bf16 ? 2 : 4;
            var scalar = StepPlan.For(cell, p, SimdPath.Scalar);
            var tailStart = plan.Blocks * plan.Width;
            w.WriteLine($"/// <summary>The step on the {(plan.Path.IsScalar ? "scalar path" : $"Vector{plan.Path.Bits} path")} ({t}).</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"private static void {name}({StepParameters(t)})"))
            {
                string Refs(string b) =>
                    $"ref {Unsafe}.Add(ref hPrev, {b} * {Int(h)}), ref {Unsafe}.Add(ref records, {b} * {Int(row.Length)}), ref {Unsafe}.Add(ref cPrev, {b} * {Int(h)}), ref {Unsafe}.Add(ref cNext, {b} * {Int(h)}), ref {Unsafe}.Add(ref hNext, {b} * {Int(h)}), ref {Unsafe}.Add(ref output, {b} * {Int(h)}), ref p";
                string Block(string block) => $"ref {Unsafe}.Add(ref whh, {block} * {Int(slots * h * plan.Width)})";
                void Call(int rows, int blocks, string block, string b, string j)
                {
                    Use(plan, rows, blocks);
                    w.WriteLine($"{TileName(p, plan, rows, blocks, bf16)}(hasPrev, {Block(block)}, {Refs(b)}, {j});");
                }

                void RowCall(int blocks, string block, string b) => Call(1, blocks, block, b, $"{block} * {Int(plan.Width)}");

                w.WriteLine("// This part's unit blocks (all of them when one thread runs the step); the last part also takes the tail units.");
                w.WriteLine($"int first = {Int(plan.Blocks)} * part / parts, last = {Int(plan.Blocks)} * (part + 1) / parts;");

                void BatchTiles()
                {
                    w.WriteLine("// Unit blocks outer: a block's weights (H x 4 gates x one register) are reused from cache by every row tile.");
                    using (w.Open("for (int block = first; block < last; block++)"))
                    {
                        w.WriteLine("int b = 0;");
                        if (plan.BatchRows == 1)
                        {
                            using (w.Open("for (; b < batch; b++)"))
                                Call(1, 1, "block", "b", $"block * {Int(plan.Width)}");
                            return;
                        }
                        using (w.Open($"for (; b <= batch - {Int(plan.BatchRows)}; b += {Int(plan.BatchRows)})"))
                            Call(plan.BatchRows, 1, "block", "b", $"block * {Int(plan.Width)}");
                        w.WriteLine("// The rows left over by the row tiles in one smaller tile: its chains are independent, one row at a time would wait on FMA latency.");
                        using (w.Open("switch (batch - b)"))
                        {
                            for (var rows = plan.BatchRows - 1; rows >= 1; rows--)
                            {
                                using (w.Open($"case {rows}:"))
                                {
                                    Call(rows, 1, "block", "b", $"block * {Int(plan.Width)}");
                                    w.WriteLine("break;");
                                }
                            }
                        }
                    }
                }

                void RowTiles()
                {
                    using (w.Open("for (int b = 0; b < batch; b++)"))
                    {
                        w.WriteLine("int block = first;");
                        using (w.Open($"for (; block + {Int(plan.RowBlocks)} <= last; block += {Int(plan.RowBlocks)})"))
                            RowCall(plan.RowBlocks, "block", "b");
                        if (plan.RowBlocks > 1)
                        {
                            using (w.Open("if (block < last)"))
                                RowCall(1, "block", "b");
                        }
                    }
                }

                if (plan.BatchRows == 1)
                {
                    BatchTiles();
                }
                else if (bf16)
                {
                    // bfloat16 weights pay where one or a few rows stream W_hh (bandwidth-bound); only the one-row tiles are emitted.
                    w.WriteLine("// One row at a time, several unit blocks per tile for independent FMA chains.");
                    RowTiles();
                }
                else
                {
                    using (w.Open($"if (batch >= {Int(plan.BatchRows)})"))
                        BatchTiles();
                    w.WriteLine("// Fewer rows than a row tile: one row at a time, several unit blocks per tile for independent FMA chains.");
                    using (w.Open("else"))
                        RowTiles();
                }
                if (!plan.Path.IsScalar && plan.TailUnits > 0)
                {
                    w.WriteLine($"// Units {tailStart} .. {h - 1}: scalar tiles on their width-1 blocks after the whole vectors.");
                    Use(scalar, 1, 1);
                    using (w.Open("if (part == parts - 1)"))
                    using (w.Open("for (int b = 0; b < batch; b++)"))
                    using (w.Open($"for (int unit = {Int(tailStart)}; unit < {Int(h)}; unit++)"))
                        w.WriteLine($"{TileName(p, scalar, 1, 1, bf16)}(hasPrev, ref {Unsafe}.Add(ref whh, {Int(tailStart * slots * h)} + (unit - {Int(tailStart)}) * {Int(slots * h)}), {Refs("b")}, unit);");
                }
            }
            w.WriteLine();
        }

        private static string TileName(Precision p, StepPlan plan, int rows, int blocks, bool bf16) => $"Tile{p.Name}{(bf16 ? "BFloat16" : "")}{plan.Path.Name}R{rows}U{blocks}";

        /// <summary>
        /// A register tile: <paramref name="rows"/> batch rows × <paramref name="blocks"/> unit blocks × 4 gates of
        /// accumulators, started from the record (b + W_ih x_t), one FMA chain per lane in ascending k, then the epilogue.
        /// </summary>
        private static void WriteTile(IndentedTextWriter w, LstmCellInfo cell, Precision p, StepPlan plan, int rows, int blocks, bool bf16)
        {
            int h = cell.HiddenSize, width = plan.Width;
            var t = p.Type;
            var path = plan.Path;
            var row = new RowLayout(cell);
            w.WriteLine($"/// <summary>{rows} row(s) x {blocks} block(s) of {width} unit(s) x 4 gates from unit j ({t}).</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"private static void {TileName(p, plan, rows, blocks, bf16)}(bool hasPrev, ref {t} whh, ref {t} hPrev, ref {t} record, ref {t} cPrev, ref {t} cNext, ref {t} hNext, ref {t} output, ref {t} p, int j)"))
            {
                string Acc(int r, int u, int q) => $"a{r}{u}{GateNames[q]}";
                string RecordRow(int r) => r == 0 ? "record" : $"{Unsafe}.Add(ref record, {Int(r * row.Length)})";
                string StateRow(string name, int r) => r == 0 ? name : $"{Unsafe}.Add(ref {name}, {Int(r * h)})";
                for (var r = 0; r < rows; r++)
                {
                    for (var u = 0; u < blocks; u++)
                    {
                        for (var q = 0; q < 4; q++)
                            w.WriteLine($"var {Acc(r, u, q)} = {path.Load(RecordRow(r), AddExpr(Int(q * h + u * width), "j"))};");
                    }
                }
                using (w.Open("if (hasPrev)"))
                using (w.Open($"for (int k = 0; k < {Int(h)}; k++)"))
                {
                    w.WriteLine($"ref {t} wk = ref {Unsafe}.Add(ref whh, k * {Int((bf16 ? 2 : 4) * width)});");
                    for (var r = 0; r < rows; r++)
                        w.WriteLine($"var h{r} = {path.Broadcast($"{Unsafe}.Add(ref hPrev, {AddExpr(Int(r * h), "k")})")};");
                    for (var u = 0; u < blocks; u++)
                    {
                        if (bf16)
                        {
                            // One load carries two gates' weights: i|f and g|o, each widened by a shift or a mask.
                            w.WriteLine($"var w{u}if = {path.Load("wk", Int(u * 2 * h * width))};");
                            w.WriteLine($"var w{u}go = {path.Load("wk", Int(u * 2 * h * width + width))};");
                        }
                        for (var q = 0; q < 4; q++)
                        {
                            var weight = bf16
                                ? path.WidenBFloat16($"w{u}{(q < 2 ? "if" : "go")}", high: q % 2 == 1)
                                : path.Load("wk", Int(u * 4 * h * width + q * width));
                            if (rows == 1)
                            {
                                w.WriteLine($"{Acc(0, u, q)} = {path.MultiplyAdd("h0", weight, Acc(0, u, q))};");
                                continue;
                            }
                            w.WriteLine($"var w{u}{GateNames[q]} = {weight};");
                            for (var r = 0; r < rows; r++)
                                w.WriteLine($"{Acc(r, u, q)} = {path.MultiplyAdd($"h{r}", $"w{u}{GateNames[q]}", Acc(r, u, q))};");
                        }
                    }
                }
                // All but the first register's pre-activations wait in the record (L1) while the gate math runs on the
                // others, so it has the registers to itself instead of spilling around the waiting accumulators.
                var first = true;
                for (var r = 0; r < rows; r++)
                    for (var u = 0; u < blocks; u++)
                        for (var q = 0; q < 4 && !(r == 0 && u == 0); q++)
                            w.WriteLine(path.Store(Acc(r, u, q), RecordRow(r), AddExpr(Int(q * h + u * width), "j")));
                for (var r = 0; r < rows; r++)
                {
                    for (var u = 0; u < blocks; u++)
                    {
                        var j = AddExpr("j", Int(u * width));
                        string Pre(int q) => first ? Acc(r, u, q) : path.Load(RecordRow(r), AddExpr(Int(q * h + u * width), "j"));
                        w.WriteLine($"Gates{p.Name}{path.Name}({Pre(0)}, {Pre(1)}, {Pre(2)}, {Pre(3)}, ref {RecordRow(r)}, ref {StateRow("cPrev", r)}, ref {StateRow("cNext", r)}, ref {StateRow("hNext", r)}, ref {StateRow("output", r)}, ref p, {j});");
                        first = false;
                    }
                }
            }
            w.WriteLine();
        }

        /// <summary>The tile epilogue: the gate math of <see cref="WriteGateMath"/> on pre-activations held in registers, inlined into each tile.</summary>
        private static void WriteGateEpilogue(IndentedTextWriter w, LstmCellInfo cell, Precision p, SimdPath path)
        {
            var t = p.Type;
            var vector = path.Type(p);
            w.WriteLine($"/// <summary>Gates, c_t = f * c_(t-1) + i * g and h_t = o * tanh(c_t) for one register of units from j ({t}); cPrev and cNext may be the same row, and so may hNext and output.</summary>");
            w.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{Version}\")]");
            w.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
            using (w.Open($"private static void Gates{p.Name}{path.Name}({vector} ai, {vector} af, {vector} ag, {vector} ao, ref {t} record, ref {t} cPrev, ref {t} cNext, ref {t} hNext, ref {t} output, ref {t} p, int j)"))
                WriteGateMath(w, cell, p, path, "j", fromRecord: false);
            w.WriteLine();
        }
    }
}
