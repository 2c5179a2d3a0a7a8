using System;
using System.Collections.Generic;

namespace LstmGen.Testing;

/// <summary>
/// One gradient-check problem for a cell in double precision: parameters, an input sequence, an initial state and
/// the upstream weights R1, R2, R3 of the scalar loss <c>L = Σ output⊙R1 + Σ hT⊙R2 + Σ cT⊙R3</c>.
/// </summary>
public sealed class LstmProblem<TCell> where TCell : ILstmCell<TCell>
{
    private readonly LstmWorkspace<TCell, double> _workspace;

    /// <summary>Creates a problem with all arrays zero; fill them, or use <see cref="Random(Random, int, int, double)"/>.</summary>
    public LstmProblem(int steps, int batch)
    {
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "'steps' must be positive.");
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "'batch' must be positive.");
        Steps = steps;
        Batch = batch;
        int d = TCell.InputSize, h = TCell.HiddenSize;
        Parameters = new LstmParameters<TCell, double>();
        X = new double[steps * batch * d];
        H0 = new double[batch * h];
        C0 = new double[batch * h];
        OutputWeights = new double[steps * batch * h];
        HTWeights = new double[batch * h];
        CTWeights = new double[batch * h];
        _workspace = new LstmWorkspace<TCell, double>(steps, batch);
    }

    /// <summary>Time steps T.</summary>
    public int Steps { get; }

    /// <summary>Batch rows B.</summary>
    public int Batch { get; }

    /// <summary>The parameters being checked.</summary>
    public LstmParameters<TCell, double> Parameters { get; }

    /// <summary>Input sequence [T×B×D].</summary>
    public double[] X { get; }

    /// <summary>Initial hidden state [B×H].</summary>
    public double[] H0 { get; }

    /// <summary>Initial cell state [B×H].</summary>
    public double[] C0 { get; }

    /// <summary>R1 [T×B×H], the gradient of the loss with respect to every output.</summary>
    public double[] OutputWeights { get; }

    /// <summary>R2 [B×H], the gradient of the loss with respect to hT.</summary>
    public double[] HTWeights { get; }

    /// <summary>R3 [B×H], the gradient of the loss with respect to cT.</summary>
    public double[] CTWeights { get; }

    /// <summary>
    /// A random problem: parameters U(±<paramref name="weightBound"/>), inputs and upstream weights N(0, 1),
    /// initial state N(0, 0.5²).
    /// </summary>
    public static LstmProblem<TCell> Random(Random random, int steps, int batch, double weightBound = 0.5)
    {
        ArgumentNullException.ThrowIfNull(random);
        var problem = new LstmProblem<TCell>(steps, batch);
        problem.Parameters.InitializeUniform(random, -weightBound, weightBound);
        Fill(random, problem.X, 1);
        Fill(random, problem.H0, 0.5);
        Fill(random, problem.C0, 0.5);
        Fill(random, problem.OutputWeights, 1);
        Fill(random, problem.HTWeights, 1);
        Fill(random, problem.CTWeights, 1);
        return problem;
    }

    /// <summary>The tensors a check covers, by name: x, h0, c0 and every parameter tensor of the cell's layout.</summary>
    public IReadOnlyList<(string Name, Memory<double> Values)> Tensors()
    {
        var list = new List<(string, Memory<double>)> { ("x", X), ("h0", H0), ("c0", C0) };
        var data = Parameters.AsMemory();
        foreach (var tensor in TCell.Layout.Tensors)
            list.Add((tensor.Name, data.Slice(tensor.Offset, tensor.Length)));
        return list;
    }

    /// <summary>The row-major shape of a tensor of <see cref="Tensors"/>: x [T, B, D], h0 and c0 [B, H], parameters as in the cell's layout.</summary>
    public int[] ShapeOf(string name) => name switch
    {
        "x" => new[] { Steps, Batch, TCell.InputSize },
        "h0" or "c0" => new[] { Batch, TCell.HiddenSize },
        _ => TCell.Layout[name].Shape,
    };

    /// <summary>Runs the inference forward and returns the loss L.</summary>
    public double Loss()
    {
        int h = TCell.HiddenSize;
        var output = new double[Steps * Batch * h];
        var hT = new double[Batch * h];
        var cT = new double[Batch * h];
        Lstm.Forward(Parameters, Steps, Batch, X, H0, C0, output, hT, cT);
        return Dot(output, OutputWeights) + Dot(hT, HTWeights) + Dot(cT, CTWeights);
    }

    /// <summary>The analytic gradient of L for every tensor of <see cref="Tensors"/>, from the training forward and BPTT.</summary>
    public Dictionary<string, double[]> AnalyticGradients()
    {
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var output = new double[Steps * Batch * h];
        var hT = new double[Batch * h];
        var cT = new double[Batch * h];
        Lstm.Forward(Parameters, _workspace, Steps, Batch, X, H0, C0, output, hT, cT);
        var gradients = new LstmParameters<TCell, double>();
        var dx = new double[Steps * Batch * d];
        var dh0 = new double[Batch * h];
        var dc0 = new double[Batch * h];
        Lstm.Backward(Parameters, _workspace, gradients, Steps, Batch, OutputWeights, HTWeights, CTWeights, dx, dh0, dc0);
        var result = new Dictionary<string, double[]> { ["x"] = dx, ["h0"] = dh0, ["c0"] = dc0 };
        foreach (var tensor in TCell.Layout.Tensors)
            result[tensor.Name] = gradients.Tensor(tensor.Name).ToArray();
        return result;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void Fill(Random random, double[] values, double scale)
    {
        for (var i = 0; i < values.Length; i++)
        {
            // Box–Muller: a standard normal from two uniforms.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
