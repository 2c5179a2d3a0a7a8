using System;
using System.Collections.Generic;
using LstmGen.Generators.Helpers;
using LstmGen.Generators.Models;

namespace LstmGen.Generators;

public sealed partial class LstmCellGenerator
{
    /// <summary>
    /// Model → C# text. A pure function of <see cref="LstmCellInfo"/>: no Roslyn types, deterministic output.
    /// This file writes the file structure, the public surface and the sequence loops; the per-row kernels are in
    /// Emitter.Kernels.cs and the shared writing helpers in Emitter.Helpers.cs. Each variant option adds or removes
    /// its own lines here and there; there is one emitter for every combination.
    /// </summary>
    internal static partial class Emitter
    {
        /// <summary>Scratch up to this many elements lives on the stack; larger cells rent it from the array pool.</summary>
        private const int StackScratchLimit = 4096;

        private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
        private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
        private const string LayerNorm = "global::LstmGen.Numerics.LayerNormKernels";

        private static readonly string[] GateNames = { "i", "f", "g", "o" };

        public static string Version { get; } = typeof(Emitter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

        public static string Emit(LstmCellInfo cell)
        {
            var w = new IndentedTextWriter();
            WriteHeader(w, cell);
            var scopes = OpenHierarchy(w, cell.Hierarchy);
            WriteConstants(w, cell);
            WriteCheckedApi(w, cell);
            WriteKernelEntryPoints(w, cell);
            for (var i = scopes.Length - 1; i >= 0; i--) scopes[i].Dispose();
            w.WriteLine();
            return w + ShortenNames(WriteKernels(cell));
        }

        /// <summary>
        /// The kernels, in a file-local class of a namespace of LstmGen's own: its usings (below) make them readable without
        /// <c>global::</c> on every call, and no type of the user's can shadow those names there.
        /// </summary>
        private static string WriteKernels(LstmCellInfo cell)
        {
            var w = new IndentedTextWriter();
            using (w.Open("namespace LstmGen.Generated"))
            {
                foreach (var (ns, _) in KernelNamespaces) w.WriteLine($"using global::{ns};");
                w.WriteLine();
                w.WriteLine($"/// <summary>The fixed-size kernels of {cell.Hierarchy.FullyQualifiedName.Replace("global::", "")} (D = {Int(cell.InputSize)}, H = {Int(cell.HiddenSize)}); the cell's members call them.</summary>");
                w.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{Version}\")]");
                using (w.Open($"file static class {KernelsClass(cell)}"))
                {
                    w.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{Version}\")]");
                    w.WriteLine($"private const int InputSize = {Int(cell.InputSize)};");
                    w.WriteLine();
                    w.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{Version}\")]");
                    w.WriteLine($"private const int HiddenSize = {Int(cell.HiddenSize)};");
                    w.WriteLine();
                    foreach (var p in Precision.All)
                    {
                        WriteForward(w, cell, p);
                        WriteBackward(w, cell, p);
                        WriteForwardElementwise(w, cell, p);
                        if (!cell.Variant.LayerNorm)
                        {
                            WriteForwardPart(w, cell, p);
                            WritePackRecurrent(w, cell, p);
                            WriteStep(w, cell, p);
                            if (p == Precision.Single)
                            {
                                WritePackRecurrent(w, cell, p, bf16: true);
                                WriteStep(w, cell, p, bf16: true);
                            }
                        }
                        WriteGateGradients(w, cell, p);
                    }
                }
            }
            return w.ToString();
        }

        /// <summary>The kernels' class, file-local (one per generated file, so cells of the same name cannot collide).</summary>
        private static string KernelsClass(LstmCellInfo cell) => $"{cell.Hierarchy.Types[cell.Hierarchy.Types.Count - 1].Name}Kernels";

        /// <summary>How the cell's members reach the kernels.</summary>
        private static string Kernels(LstmCellInfo cell) => $"global::LstmGen.Generated.{KernelsClass(cell)}";

        /// <summary>
        /// The namespaces the kernels' file imports, each with the qualified prefix it makes unnecessary. Shortened last
        /// to first, so a namespace is dropped before any namespace that contains it (System.Diagnostics.CodeAnalysis
        /// before System.Diagnostics, everything before System).
        /// </summary>
        private static readonly (string Namespace, string Prefix)[] KernelNamespaces =
        {
            ("System", "global::System."),
            ("System.Buffers", "global::System.Buffers."),
            ("System.CodeDom.Compiler", "global::System.CodeDom.Compiler."),
            ("System.Diagnostics", "global::System.Diagnostics."),
            ("System.Diagnostics.CodeAnalysis", "global::System.Diagnostics.CodeAnalysis."),
            ("System.Runtime.CompilerServices", "global::System.Runtime.CompilerServices."),
            ("System.Runtime.InteropServices", "global::System.Runtime.InteropServices."),
            ("System.Runtime.Intrinsics", "global::System.Runtime.Intrinsics."),
            ("LstmGen.Numerics", "global::LstmGen.Numerics."),
        };

        /// <summary>Drops the prefixes the kernels' usings make unnecessary, everywhere but in the using directives themselves.</summary>
        private static string ShortenNames(string kernels)
        {
            var lines = kernels.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("using global::", StringComparison.Ordinal)) continue;
                var line = new System.Text.StringBuilder(lines[i]);
                for (var n = KernelNamespaces.Length - 1; n >= 0; n--) line.Replace(KernelNamespaces[n].Prefix, "");
                lines[i] = line.Replace("global::LstmGen.", "").ToString();
            }
            return string.Join("\n", lines);
        }

        /// <summary>
        /// What one (t, b) row records: gates | tanh(ĉ) | [layer norm: ẑx | ẑh | ẑc | 1/s] | [clip: masks].
        /// Training keeps one per row in the cache; inference reuses one in scratch.
        /// </summary>
        private sealed class RowLayout
        {
            public RowLayout(LstmCellInfo cell)
            {
                int h = cell.HiddenSize;
                var v = cell.Variant;
                Statistics = v.GateStatistics;
                var next = 5 * h;
                if (v.LayerNorm)
                {
                    NormalizedInput = next;
                    NormalizedHidden = next + 4 * h;
                    NormalizedCell = next + 8 * h;
                    InverseStd = next + 9 * h;
                    next = InverseStd + 2 * Statistics + 1;
                }
                if (v.Clip is not null)
                {
                    Mask = next;
                    next += 4 * h;
                }
                Length = next;
            }

            public int Gates => 0;

            public int TanhCell(LstmCellInfo cell) => 4 * cell.HiddenSize;

            public int NormalizedInput { get; } = -1;

            public int NormalizedHidden { get; } = -1;

            public int NormalizedCell { get; } = -1;

            /// <summary>1/s of the input term (Statistics values), of the recurrent term (Statistics), of c (1).</summary>
            public int InverseStd { get; } = -1;

            public int Statistics { get; }

            public int Mask { get; } = -1;

            public int Length { get; }
        }

        // ---------------------------------------------------------------- file structure

        private static void WriteHeader(IndentedTextWriter w, LstmCellInfo cell)
        {
            int d = cell.InputSize, h = cell.HiddenSize, g = cell.GateRows;
            var v = cell.Variant;
            w.WriteLine("// <auto-generated/>");
            w.WriteLine($"// LstmGen {Version}: specialised LSTM cell '{cell.Hierarchy.Cell.Name}', input size D = {d}, hidden size H = {h}, variant: {Describe(v)}.");
            w.WriteLine("//");
            w.WriteLine("// Forward, for every batch row and t = 0 ... T-1 (gates i, f, g, o; * is elementwise):");
            if (v.LayerNorm)
            {
                var over = v.LayerNormPerGate ? "each H-block" : "all 4H entries";
                w.WriteLine($"//   a   = LN(W_ih x_t; ln_ih) + LN(W_hh h_(t-1); ln_hh) + b_ih + b_hh     LN over {over}, eps = {R(v.LayerNormEpsilon)}");
            }
            else
            {
                w.WriteLine("//   a   = W_ih x_t + b_ih + W_hh h_(t-1) + b_hh                           4H pre-activations");
            }
            if (v.Peephole) w.WriteLine("//   a_i += w_ci * c_(t-1)      a_f += w_cf * c_(t-1)                          peephole");
            if (v.ForgetBias != 0) w.WriteLine($"//   a_f += {R(v.ForgetBias)}                                                       forget bias (constant)");
            if (v.Clip is { } kappa) w.WriteLine($"//   a_i, a_f, a_g = clamp(., -{R(kappa)}, {R(kappa)})                              clip");
            w.WriteLine(v.CoupledInputForget
                ? "//   i = sigmoid(a_i)    f = 1 - i (coupled)    g = tanh(a_g)"
                : "//   i = sigmoid(a_i)    f = sigmoid(a_f)    g = tanh(a_g)");
            w.WriteLine("//   c_t = f * c_(t-1) + i * g");
            if (v.Peephole) w.WriteLine("//   a_o += w_co * c_t                                                         peephole (new cell)");
            if (v.Clip is { } kappaO) w.WriteLine($"//   a_o = clamp(a_o, -{R(kappaO)}, {R(kappaO)})");
            w.WriteLine(v.LayerNorm
                ? "//   o = sigmoid(a_o)    h_t = o * tanh(LN(c_t; ln_c))                        (c_t is carried un-normalised)"
                : "//   o = sigmoid(a_o)    h_t = o * tanh(c_t)");
            w.WriteLine("// Backward (BPTT, t = T-1 ... 0), dh = dOutput_t + dh_t and dc = dc_t flowing back, tau = tanh(c-hat):");
            w.WriteLine(v.LayerNorm
                ? "//   da_o = dh * tau * o(1-o)      dc += LNback(dh * o * (1 - tau^2); ln_c)"
                : "//   da_o = dh * tau * o(1-o)      dc += dh * o * (1 - tau^2)");
            if (v.Peephole) w.WriteLine("//   dc += da_o * w_co");
            w.WriteLine(v.CoupledInputForget
                ? "//   da_i = dc * (g - c_(t-1)) * i(1-i)   da_f = 0   da_g = dc * i * (1-g^2)   dc_(t-1) = dc * f"
                : "//   da_i = dc * g * i(1-i)   da_f = dc * c_(t-1) * f(1-f)   da_g = dc * i * (1-g^2)   dc_(t-1) = dc * f");
            if (v.Peephole) w.WriteLine("//   dc_(t-1) += da_i * w_ci + da_f * w_cf;  dw_ci += da_i * c_(t-1);  dw_cf += da_f * c_(t-1);  dw_co += da_o * c_t");
            if (v.Clip is not null) w.WriteLine("//   every da_k is multiplied by its clip mask (1 inside [-k, k], else 0)");
            w.WriteLine(v.LayerNorm
                ? "//   db = da;  dz_x = LNback(da; ln_ih), dz_h = LNback(da; ln_hh);  dW_ih += dz_x x^T  dW_hh += dz_h h^T  dx = W_ih^T dz_x  dh = W_hh^T dz_h"
                : "//   db_ih += da  db_hh += da  dW_ih += da x_t^T  dW_hh += da h_(t-1)^T  dx_t = W_ih^T da  dh_(t-1) = W_hh^T da");
            w.WriteLine("//");
            w.WriteLine("// Parameter buffer (one contiguous array, PyTorch layout, row-major, gate blocks i, f, g, o):");
            foreach (var tensor in cell.Tensors)
                w.WriteLine($"//   {tensor.Name} [{tensor.Rows}{(tensor.Columns == 1 ? "" : $" x {tensor.Columns}")}] at {tensor.Offset}");
            w.WriteLine($"//   {cell.ParameterCount} scalars in all.");
            var row = new RowLayout(cell);
            w.WriteLine($"// Training cache for T steps and B rows: x [T,B,D] | h [T+1,B,H] | c [T+1,B,H] | rows [T,B,{row.Length}], each row:");
            w.WriteLine("//   gates i,f,g,o [4H] | tanh(c-hat) [H]" + (v.LayerNorm ? " | LN z-hat of W_ih x [4H], of W_hh h [4H], of c [H] | 1/s" : "") + (v.Clip is not null ? " | clip masks [4H]" : "") + ".");
            w.WriteLine("// Kernel plan. Input projection: b + W_ih x for a chunk of rows (all T*B in training) as one register-blocked");
            w.WriteLine("// product (LstmGen.Numerics.Gemm) on W_ih^T packed once per call (or once per LstmStream / packed-weights object).");
            foreach (var line in DescribeStepPlan(cell)) w.WriteLine("// " + line);
            w.WriteLine("// Backward: the gate gradients and dh_(t-1) = dA_t W_hh per step, then dx = dA W_ih, dW_ih += dA^T x and");
            w.WriteLine("// dW_hh += dA^T h as three products over all T*B rows (LstmGen.Numerics.Gemm).");
            w.WriteLine("#nullable enable");
            w.WriteLine("#pragma warning disable");
            w.WriteLine();
        }

        private static string Describe(LstmVariant v)
        {
            var parts = new List<string>();
            if (v.Peephole) parts.Add("peephole");
            if (v.LayerNorm) parts.Add(v.LayerNormPerGate ? "layer norm (per-gate statistics)" : "layer norm");
            if (v.ForgetBias != 0) parts.Add($"forget bias {R(v.ForgetBias)}");
            if (v.CoupledInputForget) parts.Add("coupled input-forget gate");
            if (v.Clip is { } kappa) parts.Add($"clip {R(kappa)}");
            return parts.Count == 0 ? "standard (PyTorch nn.LSTM)" : string.Join(", ", parts);
        }

        private static IDisposable[] OpenHierarchy(IndentedTextWriter w, HierarchyInfo hierarchy)
        {
            var scopes = new IDisposable[hierarchy.Types.Count + (hierarchy.Namespace.Length > 0 ? 1 : 0)];
            var k = 0;
            if (hierarchy.Namespace.Length > 0) scopes[k++] = w.Open($"namespace {hierarchy.Namespace}");
            for (var i = 0; i < hierarchy.Types.Count; i++)
            {
                var level = hierarchy.Types[i];
                if (i == hierarchy.Types.Count - 1)
                {
                    w.WriteLine("/// <summary>Generated by LstmGen: the fixed-size kernels of this LSTM cell.</summary>");
                    scopes[k++] = w.Open($"partial {level.Keyword} {level.Name} : global::LstmGen.ILstmCell<{hierarchy.FullyQualifiedName}>");
                }
                else
                {
                    scopes[k++] = w.Open($"partial {level.Keyword} {level.Name}");
                }
            }
            return scopes;
        }

        private static void WriteMemberAttributes(IndentedTextWriter w, bool hot = false, bool isField = false)
        {
            w.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"LstmGen\", \"{Version}\")]");
            if (isField) return;
            w.WriteLine("[global::System.Diagnostics.DebuggerNonUserCode]");
            w.WriteLine("[global::System.Diagnostics.CodeAnalysis.ExcludeFromCodeCoverage]");
            if (hot) w.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        }

        // ---------------------------------------------------------------- sizes, layout, checked API

        private static void WriteConstants(IndentedTextWriter w, LstmCellInfo cell)
        {
            var self = $"global::LstmGen.ILstmCell<{cell.Hierarchy.FullyQualifiedName}>";
            int d = cell.InputSize, h = cell.HiddenSize;
            var v = cell.Variant;

            void Constant(string summary, string name, int value)
            {
                w.WriteLine($"/// <summary>{summary}</summary>");
                WriteMemberAttributes(w, isField: true);
                w.WriteLine($"public const int {name} = {Int(value)};");
                w.WriteLine();
            }

            Constant("Input size D.", "InputSize", d);
            Constant("Hidden size H.", "HiddenSize", h);
            Constant("Number of scalars in the parameter buffer.", "ParameterCount", cell.ParameterCount);

            foreach (var name in new[] { "InputSize", "HiddenSize", "ParameterCount" })
            {
                w.WriteLine("/// <inheritdoc/>");
                WriteMemberAttributes(w);
                w.WriteLine($"static int {self}.{name} => {name};");
                w.WriteLine();
            }

            w.WriteLine("/// <summary>The variant options and the named tensors of the parameter buffer, in PyTorch's order and layout.</summary>");
            WriteMemberAttributes(w);
            w.WriteLine("public static global::LstmGen.LstmCellLayout Layout { get; } = new global::LstmGen.LstmCellLayout(");
            w.WriteLine($"    {Int(d)}, {Int(h)},");
            w.WriteLine($"    new global::LstmGen.LstmCellVariant({Bool(v.Peephole)}, {Bool(v.LayerNorm)}, {R(v.LayerNormEpsilon)}, {Bool(v.LayerNormPerGate)}, {R(v.ForgetBias)}, {Bool(v.CoupledInputForget)}, {(v.Clip is { } kappa ? R(kappa) : "null")}),");
            w.WriteLine("    new global::LstmGen.LstmTensorInfo[]");
            w.WriteLine("    {");
            foreach (var tensor in cell.Tensors)
                w.WriteLine($"        new global::LstmGen.LstmTensorInfo(\"{tensor.Name}\", {Int(tensor.Offset)}, {Int(tensor.Rows)}, {Int(tensor.Columns)}, {(tensor.IsMatrix ? 2 : 1)}),");
            w.WriteLine("    });");
            w.WriteLine();

            var row = new RowLayout(cell);
            w.WriteLine($"/// <summary>Scalars of a training workspace: x [T,B,D], h and c [T+1,B,H], {row.Length} per (t, b) row, then scratch for the packed weights (forward) or the gate gradients (backward).</summary>");
            WriteMemberAttributes(w);
            w.WriteLine($"public static long CacheLength(int steps, int batch) => (long)steps * batch * {Int(d + row.Length)} + 2L * (steps + 1) * batch * {Int(h)} + global::System.Math.Max({Int(PackedLength(cell))}L, (long)steps * batch * {Int(GradientRows(cell) * cell.GateRows)} + {Int(cell.GateRows * h)});");
            w.WriteLine();
        }

        private static void WriteCheckedApi(IndentedTextWriter w, LstmCellInfo cell)
        {
            var self = cell.Hierarchy.FullyQualifiedName;
            var parameters = $"global::LstmGen.LstmParameters<{self}, T> parameters";
            var workspace = $"global::LstmGen.LstmWorkspace<{self}, T> workspace";
            var gradients = $"global::LstmGen.LstmParameters<{self}, T> gradients";
            const string In = "global::System.ReadOnlySpan<T>";
            const string Out = "global::System.Span<T>";
            const string Constraint = "where T : unmanaged, global::System.Numerics.IFloatingPointIeee754<T>";

            void Method(string summary, string signature, string call)
            {
                w.WriteLine($"/// <summary>{summary}</summary>");
                WriteMemberAttributes(w);
                w.WriteLine($"public static void {signature}");
                w.WriteLine($"    {Constraint}");
                w.WriteLine($"    => global::LstmGen.Lstm.{call};");
                w.WriteLine();
            }

            Method("Inference forward over x [T×B×D] from a zero state: writes output [T×B×H], hT and cT [B×H]. See <see cref=\"global::LstmGen.Lstm\"/>.",
                $"Forward<T>({parameters}, int steps, int batch, {In} x, {Out} output, {Out} hT, {Out} cT)",
                "Forward(parameters, steps, batch, x, output, hT, cT)");
            Method("Inference forward over x [T×B×D] from (h0, c0) [B×H]: writes output [T×B×H], hT and cT [B×H].",
                $"Forward<T>({parameters}, int steps, int batch, {In} x, {In} h0, {In} c0, {Out} output, {Out} hT, {Out} cT)",
                "Forward(parameters, steps, batch, x, h0, c0, output, hT, cT)");
            Method("Training forward from a zero state; records what Backward needs in the workspace.",
                $"Forward<T>({parameters}, {workspace}, int steps, int batch, {In} x, {Out} output, {Out} hT, {Out} cT)",
                "Forward(parameters, workspace, steps, batch, x, output, hT, cT)");
            Method("Training forward from (h0, c0); records what Backward needs in the workspace.",
                $"Forward<T>({parameters}, {workspace}, int steps, int batch, {In} x, {In} h0, {In} c0, {Out} output, {Out} hT, {Out} cT)",
                "Forward(parameters, workspace, steps, batch, x, h0, c0, output, hT, cT)");
            Method("Backpropagation through time: overwrites dx, dh0, dc0 and adds the parameter gradients into gradients.",
                $"Backward<T>({parameters}, {workspace}, {gradients}, int steps, int batch, {In} dOutput, {In} dhT, {In} dcT, {Out} dx, {Out} dh0, {Out} dc0)",
                "Backward(parameters, workspace, gradients, steps, batch, dOutput, dhT, dcT, dx, dh0, dc0)");
            Method("Backpropagation through time with no gradient on the outputs (only on hT and cT).",
                $"Backward<T>({parameters}, {workspace}, {gradients}, int steps, int batch, {In} dhT, {In} dcT, {Out} dx, {Out} dh0, {Out} dc0)",
                "Backward(parameters, workspace, gradients, steps, batch, dhT, dcT, dx, dh0, dc0)");
        }

        private static void WriteKernelEntryPoints(IndentedTextWriter w, LstmCellInfo cell)
        {
            var self = $"global::LstmGen.ILstmCell<{cell.Hierarchy.FullyQualifiedName}>";
            var kernels = Kernels(cell);
            foreach (var p in Precision.All)
            {
                var t = p.Type;
                string In = $"global::System.ReadOnlySpan<{t}>", Out = $"global::System.Span<{t}>";
                w.WriteLine("/// <inheritdoc/>");
                WriteMemberAttributes(w);
                w.WriteLine($"static void {self}.ForwardKernel({In} parameters, int steps, int batch, {In} x, {In} h0, {In} c0, {Out} output, {Out} hT, {Out} cT, {Out} cache)");
                w.WriteLine($"    => {kernels}.Forward{p.Name}(parameters, default, false, steps, batch, x, h0, c0, output, hT, cT, cache);");
                w.WriteLine();
                w.WriteLine("/// <inheritdoc/>");
                WriteMemberAttributes(w);
                w.WriteLine($"static void {self}.ForwardPackedKernel({In} parameters, {In} packed, int steps, int batch, {In} x, {In} h0, {In} c0, {Out} output, {Out} hT, {Out} cT)");
                w.WriteLine($"    => {kernels}.Forward{p.Name}(parameters, packed, false, steps, batch, x, h0, c0, output, hT, cT, default);");
                w.WriteLine();
                w.WriteLine("/// <inheritdoc/>");
                WriteMemberAttributes(w);
                w.WriteLine($"static void {self}.PackWeights({In} parameters, {Out} packed)");
                w.WriteLine($"    => {kernels}.PackWeights{p.Name}(ref {Marshal}.GetReference(parameters), ref {Marshal}.GetReference(packed));");
                w.WriteLine();
                w.WriteLine("/// <inheritdoc/>");
                WriteMemberAttributes(w);
                w.WriteLine($"static void {self}.ForwardPartKernel({In} parameters, {In} packed, bool bfloat16Weights, int part, int parts, global::LstmGen.Numerics.StepBarrier barrier, int steps, int batch, {In} x, {In} h0, {Out} output, {Out} cT)");
                w.WriteLine(cell.Variant.LayerNorm
                    ? "    => throw new global::System.NotSupportedException(\"Layer-norm cells run a step on one thread: the normalisation needs the whole row.\");"
                    : $"    => {kernels}.ForwardPart{p.Name}(parameters, packed, bfloat16Weights, part, parts, barrier, steps, batch, x, h0, output, cT);");
                w.WriteLine();
                w.WriteLine("/// <inheritdoc/>");
                WriteMemberAttributes(w);
                w.WriteLine($"static void {self}.BackwardKernel({In} parameters, int steps, int batch, {Out} cache, {In} dOutput, {In} dhT, {In} dcT, {Out} dx, {Out} dh0, {Out} dc0, {Out} gradients)");
                w.WriteLine($"    => {kernels}.Backward{p.Name}(parameters, steps, batch, cache, dOutput, dhT, dcT, dx, dh0, dc0, gradients);");
                w.WriteLine();
            }
            {
                const string In = "global::System.ReadOnlySpan<float>", Out = "global::System.Span<float>";
                var supported = !cell.Variant.LayerNorm;
                const string Refused = "throw new global::System.NotSupportedException(\"Layer-norm cells keep float32 weights: bfloat16 packing is for cells without layer norm.\")";
                w.WriteLine("/// <inheritdoc/>");
                WriteMemberAttributes(w);
                w.WriteLine($"static void {self}.PackWeightsBFloat16({In} parameters, {Out} packed)");
                w.WriteLine(supported
                    ? $"    => {kernels}.PackWeightsSingleBFloat16(ref {Marshal}.GetReference(parameters), ref {Marshal}.GetReference(packed));"
                    : $"    => {Refused};");
                w.WriteLine();
                w.WriteLine("/// <inheritdoc/>");
                WriteMemberAttributes(w);
                w.WriteLine($"static void {self}.ForwardPackedBFloat16Kernel({In} parameters, {In} packed, int steps, int batch, {In} x, {In} h0, {In} c0, {Out} output, {Out} hT, {Out} cT)");
                w.WriteLine(supported
                    ? $"    => {kernels}.ForwardSingle(parameters, packed, true, steps, batch, x, h0, c0, output, hT, cT, default);"
                    : $"    => {Refused};");
                w.WriteLine();
            }
            w.WriteLine("/// <inheritdoc/>");
            WriteMemberAttributes(w);
            w.WriteLine($"static int {self}.PackedWeightsLength => {Int(PackedLength(cell))};");
            w.WriteLine();
        }

        // ---------------------------------------------------------------- sequence loops

        /// <summary>Rows of the input projection per product in inference (training projects all T·B rows at once).</summary>
        private const int RowsPerChunk = 96;

        private const string Gemm = "global::LstmGen.Numerics.Gemm";

        private const string CacheLine = "global::LstmGen.Numerics.CacheLine";

        /// <summary>Scratch for the packed forward weights: W_ih^T [D x 4H], W_hh^T [H x 4H], b_ih + b_hh [4H].</summary>
        private static int PackedLength(LstmCellInfo cell) => cell.GateRows * (cell.InputSize + cell.HiddenSize + 1);

        /// <summary>Gate-gradient rows per (t, b) in backward scratch: da (1), or dz_x and dz_h with layer norm (2).</summary>
        private static int GradientRows(LstmCellInfo cell) => cell.Variant.LayerNorm ? 2 : 1;

        private static void WriteForward(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            int d = cell.InputSize, h = cell.HiddenSize, g = cell.GateRows;
            var v = cell.Variant;
            var row = new RowLayout(cell);
            var t = p.Type;
            var ln = v.LayerNorm;
            string In = $"global::System.ReadOnlySpan<{t}>", Out = $"global::System.Span<{t}>";
            // The products write the pre-activations (or, with layer norm, the two un-normalised terms) into the row records.
            var inputTerm = ln ? row.NormalizedInput : row.Gates;
            var hiddenTerm = ln ? row.NormalizedHidden : row.Gates;
            w.WriteLine(ln
                ? $"/// <summary>Packs W_ih^T and W_hh^T in the panels Gemm reads, then b_ih + b_hh ({Int(PackedLength(cell))} scalars).</summary>"
                : $"/// <summary>Packs W_ih^T in the panels Gemm reads, W_hh^T gate-interleaved for the fused step, then b_ih + b_hh ({Int(PackedLength(cell))} scalars).</summary>");
            foreach (var bf16 in p == Precision.Single && !ln ? new[] { false, true } : new[] { false })
            {
                var flavour = bf16 ? "BFloat16" : "";
                if (bf16) w.WriteLine("/// <summary>As PackWeightsSingle, with W_hh^T in bfloat16 pairs for the bfloat16 step (W_ih^T and the biases stay float).</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"internal static void PackWeights{p.Name}{flavour}(ref {t} p, ref {t} packed)"))
            {
                w.WriteLine($"{Gemm}.PackTransposed(ref p, {Int(g)}, {Int(d)}, ref packed);");
                w.WriteLine(ln
                    ? $"{Gemm}.PackTransposed(ref {Unsafe}.Add(ref p, {Int(cell.WeightHhOffset)}), {Int(g)}, {Int(h)}, ref {Unsafe}.Add(ref packed, {Int(g * d)}));"
                    : $"PackRecurrent{p.Name}{flavour}(ref {Unsafe}.Add(ref p, {Int(cell.WeightHhOffset)}), ref {Unsafe}.Add(ref packed, {Int(g * d)}));");
                w.WriteLine($"ref {t} bias = ref {Unsafe}.Add(ref packed, {Int(g * (d + h))});");
                if (ln)
                    w.WriteLine($"for (int r = 0; r < {Int(g)}; r++) {Unsafe}.Add(ref bias, r) = 0; // layer norm adds the biases after normalising");
                else
                    w.WriteLine($"for (int r = 0; r < {Int(g)}; r++) {Unsafe}.Add(ref bias, r) = {Unsafe}.Add(ref p, {Int(cell.BiasIhOffset)} + r) + {Unsafe}.Add(ref p, {Int(cell.BiasHhOffset)} + r);");
            }
            w.WriteLine();
            }
            w.WriteLine($"/// <summary>Forward over the whole sequence ({t}). Inference keeps c in cT and reads h_(t-1) from the previous output row; training walks the cache's h/c history.</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"internal static void Forward{p.Name}({In} parameters, {In} prepacked, bool bfloat16Weights, int steps, int batch, {In} x, {In} h0, {In} c0, {Out} output, {Out} hT, {Out} cT, {Out} cache)"))
            {
                w.WriteLine($"ref {t} p = ref {Marshal}.GetReference(parameters);");
                w.WriteLine("int rows = batch * HiddenSize;");
                w.WriteLine("bool training = !cache.IsEmpty;");
                w.WriteLine("bool hasState = !h0.IsEmpty;");
                w.WriteLine("int recordsOffset = steps * batch * InputSize + 2 * (steps + 1) * rows;");
                w.WriteLine($"// Steps per input projection: all of them in training (the records hold every row), about {RowsPerChunk} rows in inference.");
                w.WriteLine($"int chunk = training ? steps : global::System.Math.Min(steps, global::System.Math.Max(1, {Int(RowsPerChunk)} / batch));");
                w.WriteLine("// Weights packed by the caller (PackWeights, inference only) or here, once per call.");
                w.WriteLine("bool packNow = prepacked.IsEmpty;");
                w.WriteLine($"int packedLength = packNow ? {Int(PackedLength(cell))} : 0;");
                w.WriteLine($"{t}[]? rented = training ? null : global::System.Buffers.ArrayPool<{t}>.Shared.Rent({CacheLine}.PaddedLength<{t}>(packedLength + chunk * batch * {Int(row.Length)}));");
                using (w.Open("try"))
                {
                    w.WriteLine("// Inference scratch from its first cache-line boundary (the offset is taken once: the GC may move the array).");
                    w.WriteLine($"ref {t} rentedStart = ref training ? ref cache[0] : ref {Marshal}.GetArrayDataReference(rented!);");
                    w.WriteLine($"ref {t} scratch = ref training ? ref cache[recordsOffset + steps * batch * {Int(row.Length)}] : ref {Unsafe}.Add(ref rentedStart, {CacheLine}.ElementsToBoundary(ref rentedStart));");
                    w.WriteLine($"ref {t} records = ref training ? ref cache[recordsOffset] : ref {Unsafe}.Add(ref scratch, packedLength);");
                    w.WriteLine($"ref {t} packed = ref packNow ? ref scratch : ref {Marshal}.GetReference(prepacked);");
                    w.WriteLine($"if (packNow) PackWeights{p.Name}(ref p, ref packed);");
                    w.WriteLine($"ref {t} wihT = ref packed;");
                    w.WriteLine($"ref {t} whhT = ref {Unsafe}.Add(ref packed, {Int(g * d)});");
                    if (!ln) w.WriteLine($"ref {t} bias = ref {Unsafe}.Add(ref packed, {Int(g * (d + h))});");
                    w.WriteLine($"ref {t} x0 = ref {Marshal}.GetReference(x);");
                    w.WriteLine($"ref {t} out0 = ref {Marshal}.GetReference(output);");
                    w.WriteLine($"ref {t} h00 = ref training ? ref cache[steps * batch * InputSize] : ref {Marshal}.GetReference(h0);");
                    w.WriteLine($"ref {t} c00 = ref training ? ref cache[steps * batch * InputSize + (steps + 1) * rows] : ref {Marshal}.GetReference(cT);");
                    using (w.Open("if (training)"))
                    {
                        w.WriteLine("x.CopyTo(cache);");
                        w.WriteLine($"{Out} h0Slot = cache.Slice(steps * batch * InputSize, rows);");
                        w.WriteLine("if (hasState) h0.CopyTo(h0Slot); else h0Slot.Clear();");
                    }
                    w.WriteLine($"{Out} c0Slot = training ? cache.Slice(steps * batch * InputSize + (steps + 1) * rows, rows) : cT;");
                    w.WriteLine("if (c0.IsEmpty) c0Slot.Clear(); else c0.CopyTo(c0Slot);");
                    w.WriteLine("int stateStride = training ? rows : 0;");
                    w.WriteLine();
                    using (w.Open("for (int t0 = 0; t0 < steps; t0 += chunk)"))
                    {
                        w.WriteLine("int stepsInChunk = global::System.Math.Min(chunk, steps - t0);");
                        w.WriteLine($"ref {t} chunkRecords = ref training ? ref {Unsafe}.Add(ref records, t0 * batch * {Int(row.Length)}) : ref records;");
                        if (ln)
                        {
                            w.WriteLine($"// z_x = W_ih x for every row of the chunk, into the records (layer norm needs the term alone).");
                            w.WriteLine($"{Gemm}.MultiplyAddPacked(stepsInChunk * batch, {Int(g)}, {Int(d)}, ref {Unsafe}.Add(ref x0, t0 * batch * InputSize), InputSize, 1, ref wihT, ref {Unsafe}.Add(ref chunkRecords, {Int(inputTerm)}), {Int(row.Length)}, false);");
                        }
                        else
                        {
                            w.WriteLine($"// a = b_ih + b_hh + W_ih x for every row of the chunk, into the records.");
                            w.WriteLine($"for (int i = 0; i < stepsInChunk * batch; i++) {Marshal}.CreateReadOnlySpan(ref bias, {Int(g)}).CopyTo({Marshal}.CreateSpan(ref {Unsafe}.Add(ref chunkRecords, i * {Int(row.Length)}), {Int(g)}));");
                            w.WriteLine($"{Gemm}.MultiplyAddPacked(stepsInChunk * batch, {Int(g)}, {Int(d)}, ref {Unsafe}.Add(ref x0, t0 * batch * InputSize), InputSize, 1, ref wihT, ref chunkRecords, {Int(row.Length)}, true);");
                        }
                        using (w.Open("for (int t = t0; t < t0 + stepsInChunk; t++)"))
                        {
                            w.WriteLine($"ref {t} stepRecords = ref {Unsafe}.Add(ref chunkRecords, (t - t0) * batch * {Int(row.Length)});");
                            w.WriteLine($"// h_(t-1): the history (training), h0 or the previous output row (inference).");
                            w.WriteLine($"ref {t} hPrevStep = ref training ? ref {Unsafe}.Add(ref h00, t * rows) : ref t == 0 ? ref h00 : ref {Unsafe}.Add(ref out0, (t - 1) * rows);");
                            w.WriteLine($"ref {t} cPrevStep = ref {Unsafe}.Add(ref c00, t * stateStride);");
                            w.WriteLine($"ref {t} cNextStep = ref {Unsafe}.Add(ref c00, (t + 1) * stateStride);");
                            if (ln)
                            {
                                w.WriteLine("// z_h = W_hh h_(t-1) for the B rows (zero from a zero state).");
                                w.WriteLine($"{Gemm}.MultiplyAddPacked(batch, {Int(g)}, t > 0 || hasState ? {Int(h)} : 0, ref hPrevStep, HiddenSize, 1, ref whhT, ref {Unsafe}.Add(ref stepRecords, {Int(hiddenTerm)}), {Int(row.Length)}, false);");
                                using (w.Open("for (int b = 0; b < batch; b++)"))
                                {
                                    w.WriteLine($"ref {t} record = ref {Unsafe}.Add(ref stepRecords, b * {Int(row.Length)});");
                                    w.WriteLine($"ref {t} cPrev = ref {Unsafe}.Add(ref cPrevStep, b * HiddenSize);");
                                    w.WriteLine($"ref {t} cNext = ref {Unsafe}.Add(ref cNextStep, b * HiddenSize);");
                                    w.WriteLine($"ref {t} outRow = ref {Unsafe}.Add(ref out0, (t * batch + b) * HiddenSize);");
                                    w.WriteLine($"ref {t} hNext = ref training ? ref {Unsafe}.Add(ref h00, (t + 1) * rows + b * HiddenSize) : ref outRow;");
                                    WriteForwardRow(w, cell, p, row);
                                }
                            }
                            else
                            {
                                w.WriteLine("// a += W_hh h_(t-1) and the gate math, fused (nothing to add from a zero state).");
                                w.WriteLine($"ref {t} outStep = ref {Unsafe}.Add(ref out0, t * rows);");
                                w.WriteLine($"ref {t} hNextStep = ref training ? ref {Unsafe}.Add(ref h00, (t + 1) * rows) : ref outStep;");
                                const string StepArguments = "t > 0 || hasState, batch, ref whhT, ref hPrevStep, ref stepRecords, ref cPrevStep, ref cNextStep, ref hNextStep, ref outStep, ref p, 0, 1";
                                w.WriteLine(p == Precision.Single
                                    ? $"if (bfloat16Weights) StepSingleBFloat16({StepArguments}); else StepSingle({StepArguments});"
                                    : $"Step{p.Name}({StepArguments});");
                            }
                        }
                    }
                    using (w.Open("if (training)"))
                    {
                        w.WriteLine("cache.Slice(steps * batch * InputSize + steps * rows, rows).CopyTo(hT);");
                        w.WriteLine("cache.Slice(steps * batch * InputSize + (2 * steps + 1) * rows, rows).CopyTo(cT);");
                    }
                    using (w.Open("else"))
                    {
                        w.WriteLine("output.Slice((steps - 1) * rows, rows).CopyTo(hT);");
                    }
                }
                using (w.Open("finally"))
                {
                    w.WriteLine($"if (rented is not null) global::System.Buffers.ArrayPool<{t}>.Shared.Return(rented);");
                }
            }
            w.WriteLine();
        }

        /// <summary>
        /// One (t, b) row of a layer-norm cell once its two un-normalised terms are in the record: the normalisations and
        /// the elementwise steps in the fixed composition order of the variants.
        /// </summary>
        private static void WriteForwardRow(IndentedTextWriter w, LstmCellInfo cell, Precision p, RowLayout row)
        {
            int h = cell.HiddenSize, g = cell.GateRows;
            var v = cell.Variant;
            var t = p.Type;
            w.WriteLine($"ref {t} zx = ref {Unsafe}.Add(ref record, {Int(row.NormalizedInput)});");
            w.WriteLine($"ref {t} zh = ref {Unsafe}.Add(ref record, {Int(row.NormalizedHidden)});");
            var m = g / row.Statistics;
            for (var k = 0; k < row.Statistics; k++)
            {
                var label = row.Statistics == 1 ? "" : $" // gate {GateNames[k]}";
                w.WriteLine($"{Unsafe}.Add(ref record, {Int(row.InverseStd + k)}) = {LayerNorm}.Normalize(ref {Unsafe}.Add(ref zx, {Int(k * m)}), {Int(m)}, {R(v.LayerNormEpsilon)});{label}");
                w.WriteLine($"{Unsafe}.Add(ref record, {Int(row.InverseStd + row.Statistics + k)}) = {LayerNorm}.Normalize(ref {Unsafe}.Add(ref zh, {Int(k * m)}), {Int(m)}, {R(v.LayerNormEpsilon)});{label}");
            }
            w.WriteLine($"Cell{p.Name}(ref p, ref record, ref cPrev, ref cNext);");
            w.WriteLine($"ref {t} zc = ref {Unsafe}.Add(ref record, {Int(row.NormalizedCell)});");
            w.WriteLine($"{Unsafe}.Add(ref record, {Int(row.InverseStd + 2 * row.Statistics)}) = {LayerNorm}.Normalize(ref cNext, ref zc, {Int(h)}, {R(v.LayerNormEpsilon)});");
            w.WriteLine($"NormalizedHidden{p.Name}(ref p, ref record, ref zc, ref hNext, ref outRow);");
        }

        private static void WriteBackward(IndentedTextWriter w, LstmCellInfo cell, Precision p)
        {
            int g = cell.GateRows, h = cell.HiddenSize, d = cell.InputSize;
            var v = cell.Variant;
            var row = new RowLayout(cell);
            var t = p.Type;
            string In = $"global::System.ReadOnlySpan<{t}>", Out = $"global::System.Span<{t}>";
            w.WriteLine($"/// <summary>BPTT over the recorded sequence ({t}): per step the gate gradients and dh_(t-1) = dA_t W_hh; then dx and the weight gradients as products over all T*B rows.</summary>");
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"internal static void Backward{p.Name}({In} parameters, int steps, int batch, {Out} cache, {In} dOutput, {In} dhT, {In} dcT, {Out} dx, {Out} dh0, {Out} dc0, {Out} gradients)"))
            {
                w.WriteLine($"ref {t} p = ref {Marshal}.GetReference(parameters);");
                w.WriteLine($"ref {t} grad = ref {Marshal}.GetReference(gradients);");
                w.WriteLine("int rows = batch * HiddenSize;");
                w.WriteLine("int all = steps * batch;");
                w.WriteLine($"ref {t} x0 = ref {Marshal}.GetReference(cache);");
                w.WriteLine($"ref {t} h00 = ref {Unsafe}.Add(ref x0, steps * batch * InputSize);");
                w.WriteLine($"ref {t} c00 = ref {Unsafe}.Add(ref h00, (steps + 1) * rows);");
                w.WriteLine($"ref {t} records = ref {Unsafe}.Add(ref c00, (steps + 1) * rows);");
                w.WriteLine($"// Scratch after the records: the gate gradients of every row{(v.LayerNorm ? ", dz_x [T*B x 4H] then dz_h [T*B x 4H]" : ", dA [T*B x 4H]")}.");
                w.WriteLine($"ref {t} dzx0 = ref {Unsafe}.Add(ref records, all * {Int(row.Length)});");
                w.WriteLine(v.LayerNorm
                    ? $"ref {t} dzh0 = ref {Unsafe}.Add(ref dzx0, all * {Int(g)});"
                    : $"ref {t} dzh0 = ref dzx0;");
                w.WriteLine($"ref {t} dOut0 = ref {Marshal}.GetReference(dOutput);");
                w.WriteLine($"ref {t} dh00 = ref {Marshal}.GetReference(dh0);");
                w.WriteLine($"ref {t} dc00 = ref {Marshal}.GetReference(dc0);");
                w.WriteLine("bool hasOutputGradient = !dOutput.IsEmpty;");
                w.WriteLine("dhT.CopyTo(dh0);");
                w.WriteLine("dcT.CopyTo(dc0);");
                w.WriteLine("// W_hh packed once, after the gate gradients, into the column panels that every step's dh_(t-1) product reads.");
                w.WriteLine($"ref {t} whhPacked = ref {Unsafe}.Add(ref dzx0, all * {Int(GradientRows(cell) * g)});");
                w.WriteLine($"{Gemm}.Pack(ref {Unsafe}.Add(ref p, {Int(cell.WeightHhOffset)}), {Int(g)}, {Int(h)}, {Int(h)}, ref whhPacked);");
                void Body(string? scratch)
                {
                    if (v.LayerNorm)
                    {
                        w.WriteLine($"ref {t} da = ref {scratch};");
                        w.WriteLine($"ref {t} dcHat = ref {Unsafe}.Add(ref {scratch}, {Int(g)});");
                    }
                    using (w.Open("for (int t = steps - 1; t >= 0; t--)"))
                    {
                        using (w.Open("for (int b = 0; b < batch; b++)"))
                        {
                            w.WriteLine("int row = t * batch + b;");
                            w.WriteLine($"ref {t} record = ref {Unsafe}.Add(ref records, row * {Int(row.Length)});");
                            w.WriteLine($"ref {t} hPrev = ref {Unsafe}.Add(ref h00, row * HiddenSize);");
                            w.WriteLine($"ref {t} cPrev = ref {Unsafe}.Add(ref c00, row * HiddenSize);");
                            w.WriteLine($"ref {t} dh = ref {Unsafe}.Add(ref dh00, b * HiddenSize);");
                            w.WriteLine($"ref {t} dc = ref {Unsafe}.Add(ref dc00, b * HiddenSize);");
                            w.WriteLine($"ref {t} dOutRow = ref hasOutputGradient ? ref {Unsafe}.Add(ref dOut0, row * HiddenSize) : ref dOut0;");
                            w.WriteLine($"ref {t} dzx = ref {Unsafe}.Add(ref dzx0, row * {Int(g)});");
                            if (v.LayerNorm) w.WriteLine($"ref {t} dzh = ref {Unsafe}.Add(ref dzh0, row * {Int(g)});");
                            var extra = (v.Peephole ? ", ref p, ref grad, ref Unsafe.Add(ref cPrev, rows)" : "").Replace("Unsafe.", Unsafe + ".");
                            if (v.LayerNorm)
                            {
                                w.WriteLine($"OutputGradients{p.Name}(ref record, ref dOutRow, hasOutputGradient, ref dh, ref da, ref dcHat);");
                                w.WriteLine($"{LayerNorm}.Backward(ref dcHat, ref {Unsafe}.Add(ref record, {Int(row.NormalizedCell)}), ref {Unsafe}.Add(ref p, {Int(cell.Offset("ln_c_weight"))}), {Unsafe}.Add(ref record, {Int(row.InverseStd + 2 * row.Statistics)}), {Int(h)}, ref dcHat, ref {Unsafe}.Add(ref grad, {Int(cell.Offset("ln_c_weight"))}), ref {Unsafe}.Add(ref grad, {Int(cell.Offset("ln_c_bias"))}));");
                                w.WriteLine($"GateGradients{p.Name}(ref record, ref cPrev, ref dcHat, ref dc, ref da{extra});");
                                w.WriteLine($"BiasGradients{p.Name}(ref da, ref {Unsafe}.Add(ref grad, {Int(cell.BiasIhOffset)}), ref {Unsafe}.Add(ref grad, {Int(cell.BiasHhOffset)}));");
                                var m = g / row.Statistics;
                                for (var k = 0; k < row.Statistics; k++)
                                {
                                    var o = Int(k * m);
                                    w.WriteLine($"{LayerNorm}.Backward(ref {Unsafe}.Add(ref da, {o}), ref {Unsafe}.Add(ref record, {Int(row.NormalizedInput + k * m)}), ref {Unsafe}.Add(ref p, {Int(cell.Offset("ln_ih_weight") + k * m)}), {Unsafe}.Add(ref record, {Int(row.InverseStd + k)}), {Int(m)}, ref {Unsafe}.Add(ref dzx, {o}), ref {Unsafe}.Add(ref grad, {Int(cell.Offset("ln_ih_weight") + k * m)}), ref {Unsafe}.Add(ref grad, {Int(cell.Offset("ln_ih_bias") + k * m)}));");
                                    w.WriteLine($"{LayerNorm}.Backward(ref {Unsafe}.Add(ref da, {o}), ref {Unsafe}.Add(ref record, {Int(row.NormalizedHidden + k * m)}), ref {Unsafe}.Add(ref p, {Int(cell.Offset("ln_hh_weight") + k * m)}), {Unsafe}.Add(ref record, {Int(row.InverseStd + row.Statistics + k)}), {Int(m)}, ref {Unsafe}.Add(ref dzh, {o}), ref {Unsafe}.Add(ref grad, {Int(cell.Offset("ln_hh_weight") + k * m)}), ref {Unsafe}.Add(ref grad, {Int(cell.Offset("ln_hh_bias") + k * m)}));");
                                }
                            }
                            else
                            {
                                w.WriteLine($"GateGradients{p.Name}(ref record, ref cPrev, ref dOutRow, hasOutputGradient, ref dh, ref dc, ref dzx{extra});");
                                w.WriteLine($"BiasGradients{p.Name}(ref dzx, ref {Unsafe}.Add(ref grad, {Int(cell.BiasIhOffset)}), ref {Unsafe}.Add(ref grad, {Int(cell.BiasHhOffset)}));");
                            }
                        }
                        w.WriteLine("// dh_(t-1) = dA_t W_hh for the B rows.");
                        w.WriteLine($"{Gemm}.MultiplyAddPacked(batch, {Int(h)}, {Int(g)}, ref {Unsafe}.Add(ref dzh0, t * batch * {Int(g)}), {Int(g)}, 1, ref whhPacked, ref dh00, HiddenSize, false);");
                    }
                }
                if (v.LayerNorm)
                    WriteScratch(w, p, 2 * g, scratch => Body(scratch));
                else
                    Body(null);
                w.WriteLine("// Over all T*B rows: dx = dA W_ih, dW_ih += dA^T x, dW_hh += dA^T h_(t-1) (A^T read in place).");
                w.WriteLine($"{Gemm}.MultiplyAdd(all, {Int(d)}, {Int(g)}, ref dzx0, {Int(g)}, 1, ref p, {Int(d)}, ref {Marshal}.GetReference(dx), InputSize, false);");
                w.WriteLine($"{Gemm}.MultiplyAdd({Int(g)}, {Int(d)}, all, ref dzx0, 1, {Int(g)}, ref x0, {Int(d)}, ref {Unsafe}.Add(ref grad, {Int(cell.WeightIhOffset)}), {Int(d)}, true);");
                w.WriteLine($"{Gemm}.MultiplyAdd({Int(g)}, {Int(h)}, all, ref dzh0, 1, {Int(g)}, ref h00, {Int(h)}, ref {Unsafe}.Add(ref grad, {Int(cell.WeightHhOffset)}), {Int(h)}, true);");
            }
            w.WriteLine();
        }

        /// <summary>Declares a scratch row of <paramref name="length"/> elements named by the callback's argument.</summary>
        private static void WriteScratch(IndentedTextWriter w, Precision p, int length, Action<string> body)
        {
            var t = p.Type;
            if (length <= StackScratchLimit)
            {
                w.WriteLine($"global::System.Span<{t}> scratchSpan = stackalloc {t}[{Int(length)}];");
                w.WriteLine($"ref {t} scratch = ref {Marshal}.GetReference(scratchSpan);");
                body("scratch");
                return;
            }
            w.WriteLine($"{t}[] rented = global::System.Buffers.ArrayPool<{t}>.Shared.Rent({Int(length)});");
            using (w.Open("try"))
            {
                w.WriteLine($"ref {t} scratch = ref {Marshal}.GetArrayDataReference(rented);");
                body("scratch");
            }
            using (w.Open("finally"))
            {
                w.WriteLine($"global::System.Buffers.ArrayPool<{t}>.Shared.Return(rented);");
            }
        }
    }
}
