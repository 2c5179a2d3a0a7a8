// Program.cs of the e2e console app (.ci/package-e2e.sh copies it into a project made by `dotnet new console`).
// Packages: LstmGen (runtime + generator), LstmGen.Kernels and LstmGen.Onnx. Exit code 0 and "e2e console: OK" on success.
using LstmGen;
using LstmGen.Kernels;
using LstmGen.Layers;
using LstmGen.Onnx;

var ok = true;

// The README's quick start, verbatim in spirit: a declared cell, training forward, backward.
ok &= Run<TinyCell>("TinyCell (declared, standard)");

// A second declared cell with variants: peephole connections, layer norm and a constant forget bias.
ok &= Run<SecondCell>("SecondCell (declared, peephole + layer norm + forget bias)");
ok &= Expect(SecondCell.Layout.Variant is { Peephole: true, LayerNorm: true, ForgetBias: 1.0 }, $"SecondCell variant = {SecondCell.Layout.Variant}");

// A precompiled kernel from LstmGen.Kernels, found by size and used through the generic entry points.
var kernel = LstmKernels.Find(16, 32);
ok &= Expect(kernel?.CellType == typeof(Standard16x32), $"LstmKernels.Find(16, 32) = {kernel}");
ok &= Run<Standard16x32>("Standard16x32 (LstmGen.Kernels)");

// The generated static members work directly too.
var p = new LstmParameters<TinyCell, double>();
p.InitializePyTorchDefault(new Random(3));
var hT = new double[TinyCell.HiddenSize];
var cT = new double[TinyCell.HiddenSize];
TinyCell.Forward(p, 4, 1, new double[4 * TinyCell.InputSize], new double[4 * TinyCell.HiddenSize], hT, cT);
ok &= Expect(hT.All(double.IsFinite) && hT.Any(v => v != 0), "TinyCell.Forward<double> gives a finite, non-zero hT");

// One step per call through LstmStream (weights packed once) equals one forward over the same steps, bit for bit.
var sp = new LstmParameters<SecondCell, float>();
sp.InitializePyTorchDefault(new Random(4));
var xs = Enumerable.Range(0, 5 * SecondCell.InputSize).Select(i => MathF.Sin(i)).ToArray();
var whole = new float[5 * SecondCell.HiddenSize];
Lstm.Forward(sp, 5, 1, xs, whole, new float[SecondCell.HiddenSize], new float[SecondCell.HiddenSize]);
var stream = new LstmStream<SecondCell, float>(sp);
var stepped = new float[whole.Length];
for (var t = 0; t < 5; t++) stream.Step(xs.AsSpan(t * SecondCell.InputSize, SecondCell.InputSize), stepped.AsSpan(t * SecondCell.HiddenSize, SecondCell.HiddenSize));
ok &= Expect(stepped.SequenceEqual(whole), "LstmStream<SecondCell> stepping equals Lstm.Forward");

// LstmGen.Onnx: a network exported to ONNX and imported back, with the declared cell, gives the same outputs.
var network = new LstmNetworkBuilder<float>().Lstm<TinyCell>(bidirectional: true).Linear(2).Build(seed: 1);
using var onnx = new MemoryStream();
OnnxModel.Export(network, onnx);
var imported = OnnxModel.Read(onnx.ToArray()).CreateNetwork(OnnxCellResolver.FromCells(typeof(TinyCell)));
var shape = new SequenceShape(4, 2);
var inputs = Enumerable.Range(0, shape.Rows * 3).Select(i => MathF.Cos(i)).ToArray();
float[] before = new float[shape.Rows * 2], after = new float[shape.Rows * 2];
network.Forward(inputs, shape, before, training: false);
imported.Forward(inputs, shape, after, training: false);
ok &= Expect(onnx.Length > 0 && before.SequenceEqual(after), $"ONNX export + import of TinyCell ({onnx.Length} bytes) gives the same outputs");

Console.WriteLine(ok ? "e2e console: OK" : "e2e console: FAILED");
return ok ? 0 : 1;

static bool Run<TCell>(string name) where TCell : ILstmCell<TCell>
{
    int steps = 7, batch = 3, d = TCell.InputSize, h = TCell.HiddenSize;
    var random = new Random(42);
    var parameters = new LstmParameters<TCell, float>();
    parameters.InitializePyTorchDefault(random);
    var workspace = new LstmWorkspace<TCell, float>(steps, batch);
    var x = new float[steps * batch * d];
    for (var i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
    var output = new float[steps * batch * h];
    var hT = new float[batch * h];
    var cT = new float[batch * h];
    Lstm.Forward(parameters, workspace, steps, batch, x, output, hT, cT);

    // Loss L = Σ output (so ∂L/∂output = 1); its gradient must reach every parameter tensor and the input.
    var dOutput = Enumerable.Repeat(1f, output.Length).ToArray();
    var gradients = new LstmParameters<TCell, float>();
    var dx = new float[x.Length];
    var dh0 = new float[batch * h];
    var dc0 = new float[batch * h];
    Lstm.Backward(parameters, workspace, gradients, steps, batch, dOutput, new float[batch * h], new float[batch * h], dx, dh0, dc0);

    var ok = Expect(output.All(float.IsFinite) && hT.SequenceEqual(output[^(batch * h)..]), $"{name}: forward finite, output[T-1] == hT");
    foreach (var tensor in TCell.Layout.Tensors)
        ok &= Expect(gradients.Tensor(tensor.Name).ToArray().Any(g => g != 0 && float.IsFinite(g)), $"{name}: gradient of {tensor.Name} is finite and non-zero");
    ok &= Expect(dx.Any(g => g != 0) && dx.All(float.IsFinite), $"{name}: dx finite and non-zero");
    Console.WriteLine($"{name}: D={d} H={h}, {TCell.ParameterCount} parameters, Σoutput = {output.Sum():F4}, |dx|max = {dx.Max(Math.Abs):F4}");
    return ok;
}

static bool Expect(bool condition, string what)
{
    if (!condition) Console.WriteLine("FAILED: " + what);
    return condition;
}

/// <summary>A small declared cell (the generator adds its kernels at build time).</summary>
[LstmCell(inputSize: 3, hiddenSize: 5)]
public partial struct TinyCell;

/// <summary>A second declared cell with variants, and sizes that are not multiples of the vector width (scalar tails).</summary>
[LstmCell(inputSize: 10, hiddenSize: 20), Peephole, LayerNorm, ForgetBias(1.0)]
public partial struct SecondCell;
