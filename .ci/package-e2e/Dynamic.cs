// Package proof (f): LstmGen.Dynamic from its package alone — a cell of a size nobody declared is compiled at run time,
// runs forward and backward, and a second run of this program loads it from the disk cache (LSTMGEN_CACHE_DIR).
using System;
using System.Linq;
using LstmGen;
using LstmGen.Dynamic;

var compiler = LstmCellCompiler.Shared;
var cell = compiler.GetCell(new LstmCellSpec(inputSize: 6, hiddenSize: 11, LstmCellVariant.Standard with { Peephole = true }));
int steps = 4, batch = 2, d = cell.InputSize, h = cell.HiddenSize;
var parameters = cell.CreateParameters<float>();
parameters.InitializePyTorchDefault(new Random(1));
var workspace = cell.CreateWorkspace<float>(steps, batch);
var x = Enumerable.Range(0, steps * batch * d).Select(i => MathF.Sin(0.3f * i)).ToArray();
var output = new float[steps * batch * h];
cell.Forward(parameters, workspace, steps, batch, x, default, default, output, new float[batch * h], new float[batch * h]);
var gradients = cell.CreateParameters<float>();
var dx = new float[x.Length];
cell.Backward(parameters, workspace, gradients, steps, batch, Enumerable.Repeat(1f, output.Length).ToArray(), new float[batch * h], new float[batch * h],
    dx, new float[batch * h], new float[batch * h]);
var ok = output.All(float.IsFinite) && dx.Any(g => g != 0) && gradients.Tensor("w_ci").ToArray().Any(g => g != 0);
var source = compiler.CompilationCount == 1 ? "compiled" : compiler.DiskLoadCount == 1 ? "from disk" : "unknown";
Console.WriteLine($"{cell}: {cell.ParameterCount} parameters, {source}");
Console.WriteLine(ok ? $"e2e dynamic: OK ({source})" : "e2e dynamic: FAILED");
