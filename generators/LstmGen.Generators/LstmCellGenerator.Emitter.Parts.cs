using LstmGen.Generators.Helpers;
using LstmGen.Generators.Models;

namespace LstmGen.Generators;

public sealed partial class LstmCellGenerator
{
    /// <summary>
    /// The unit-split inference forward of cells without layer norm: several threads run one sequence (or a few), each
    /// owning a slice of the hidden units' unit blocks, so each streams only its slice of W_hh (and keeps it in its
    /// own cache). Per chunk the parts project their share of rows, pass a barrier, then run the steps with a barrier
    /// after each (h_t is read whole by every part at t + 1). Each unit is computed by the same FMA chains as on one
    /// thread, so results are bit-identical.
    /// </summary>
    internal static partial class Emitter
    {
        private static void WriteForwardPart(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            int d = cell.InputSize, h = cell.HiddenSize, g = cell.GateRows;
            var row = new RowLayout(cell);
            var t = p.Type;
            string In = $"global::System.ReadOnlySpan<{t}>", Out = $"global::System.Span<{t}>";
            w.WriteLine($"/// <summary>Part <c>part</c> of <c>parts</c> of a unit-split inference forward ({t}) on packed weights; cT holds c_0 on entry (the caller copies it) and c_T on return.</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"internal static void ForwardPart{p.Name}({In} parameters, {In} packed, bool bfloat16Weights, int part, int parts, global::LstmGen.Numerics.StepBarrier barrier, int steps, int batch, {In} x, {In} h0, {Out} output, {Out} cT)"))
            {
                w.WriteLine($"ref {t} p = ref {Marshal}.GetReference(parameters);");
                w.WriteLine($"ref {t} wihT = ref {Marshal}.GetReference(packed);");
                w.WriteLine($"ref {t} whhT = ref {Unsafe}.Add(ref wihT, {Int(g * d)});");
                w.WriteLine($"ref {t} bias = ref {Unsafe}.Add(ref wihT, {Int(g * (d + h))});");
                w.WriteLine($"ref {t} x0 = ref {Marshal}.GetReference(x);");
                w.WriteLine($"ref {t} out0 = ref {Marshal}.GetReference(output);");
                w.WriteLine($"ref {t} h00 = ref {Marshal}.GetReference(h0);");
                w.WriteLine($"ref {t} c = ref {Marshal}.GetReference(cT);");
                w.WriteLine("bool hasState = !h0.IsEmpty;");
                w.WriteLine("int rows = batch * HiddenSize;");
                w.WriteLine($"int chunk = global::System.Math.Min(steps, global::System.Math.Max(1, {Int(RowsPerChunk)} / batch));");
                w.WriteLine($"ref {t} records = ref barrier.Scratch<{t}>(chunk * batch * {Int(row.Length)});");
                using (w.Open("for (int t0 = 0; t0 < steps; t0 += chunk)"))
                {
                    w.WriteLine("int stepsInChunk = global::System.Math.Min(chunk, steps - t0);");
                    w.WriteLine("// a = b_ih + b_hh + W_ih x for this part's share of the chunk's rows (a product's rows do not interact).");
                    w.WriteLine("int chunkRows = stepsInChunk * batch;");
                    w.WriteLine("int firstRow = chunkRows * part / parts, partRows = chunkRows * (part + 1) / parts - firstRow;");
                    w.WriteLine($"for (int i = firstRow; i < firstRow + partRows; i++) {Marshal}.CreateReadOnlySpan(ref bias, {Int(g)}).CopyTo({Marshal}.CreateSpan(ref {Unsafe}.Add(ref records, i * {Int(row.Length)}), {Int(g)}));");
                    w.WriteLine($"{Gemm}.MultiplyAddPacked(partRows, {Int(g)}, {Int(d)}, ref {Unsafe}.Add(ref x0, (t0 * batch + firstRow) * InputSize), InputSize, 1, ref wihT, ref {Unsafe}.Add(ref records, firstRow * {Int(row.Length)}), {Int(row.Length)}, true);");
                    w.WriteLine("barrier.SignalAndWait(); // every row of the chunk projected");
                    using (w.Open("for (int t = t0; t < t0 + stepsInChunk; t++)"))
                    {
                        w.WriteLine($"ref {t} stepRecords = ref {Unsafe}.Add(ref records, (t - t0) * batch * {Int(row.Length)});");
                        w.WriteLine($"ref {t} hPrev = ref t == 0 ? ref h00 : ref {Unsafe}.Add(ref out0, (t - 1) * rows);");
                        w.WriteLine($"ref {t} outStep = ref {Unsafe}.Add(ref out0, t * rows);");
                        const string StepArguments = "t > 0 || hasState, batch, ref whhT, ref hPrev, ref stepRecords, ref c, ref c, ref outStep, ref outStep, ref p, part, parts";
                        w.WriteLine(p == Precision.Single
                            ? $"if (bfloat16Weights) StepSingleBFloat16({StepArguments}); else StepSingle({StepArguments});"
                            : $"Step{p.Name}({StepArguments});");
                        w.WriteLine("barrier.SignalAndWait(); // h_t whole before any part reads it");
                    }
                }
            }
            w.WriteLine();
        }
    }
}
