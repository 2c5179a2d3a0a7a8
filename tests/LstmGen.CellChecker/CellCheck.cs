using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LstmGen.Testing;
using LstmGen.Tests.Support;

namespace LstmGen.CellChecker;

/// <summary>The errors measured for one cell and whether each is within its tolerance.</summary>
public sealed record CellCheckResult(string Cell, IReadOnlyList<(string What, double Error, double Tolerance)> Errors)
{
    public bool Passed => Errors.All(e => e.Error <= e.Tolerance);

    public string Format()
    {
        var worst = Errors.Where(e => !(e.Error <= e.Tolerance)).Select(Describe).ToList();
        return Passed
            ? string.Create(CultureInfo.InvariantCulture, $"ok {Cell} {Errors.Count} checks, worst ratio {Errors.Max(e => e.Error / e.Tolerance):F3}")
            : $"FAIL {Cell}: {string.Join("; ", worst)}";
    }

    private static string Describe((string What, double Error, double Tolerance) e)
        => string.Create(CultureInfo.InvariantCulture, $"{e.What} error {e.Error:E2} > {e.Tolerance:E0}");
}

/// <summary>
/// One cell against the scalar reference (<see cref="ReferenceLstm"/>): the double and float forwards (outputs and
/// final states), the double BPTT gradients of every tensor by directional central differences of the reference's
/// loss, and the float BPTT gradients against the double ones.
/// </summary>
public static class CellCheck
{
    private const double DoubleForwardTolerance = 1e-12;
    private const double FloatForwardTolerance = 1e-5;
    private const double FloatGradientTolerance = 1e-4;
    private const double DifferenceStep = 1e-5;
    private const double DirectionalRelativeTolerance = 1e-6;
    private const double DirectionalAbsoluteTolerance = 1e-7;

    public static CellCheckResult Run<TCell>(int seed) where TCell : ILstmCell<TCell>
    {
        var random = new Random(seed);
        var batch = 1 + seed % 3;
        var problem = DrawProblem<TCell>(random, steps: 3, batch);
        var errors = new List<(string, double, double)>();
        var reference = ReferenceLstm.Forward(problem);
        CheckDoubleForward(problem, reference, errors);
        var analytic = problem.AnalyticGradients();
        CheckDirectionalDerivatives(problem, analytic, random, errors);
        CheckFloat(problem, reference, analytic, errors);
        var name = $"{typeof(TCell).Name} ({TCell.InputSize}x{TCell.HiddenSize} {TCell.Layout.Variant}, B={batch})";
        return new CellCheckResult(name, errors);
    }

    /// <summary>A random problem whose clipped pre-activations keep clear of ±κ, where the derivative jumps.</summary>
    private static LstmProblem<TCell> DrawProblem<TCell>(Random random, int steps, int batch) where TCell : ILstmCell<TCell>
    {
        for (var attempt = 0; ; attempt++)
        {
            var problem = LstmProblem<TCell>.Random(random, steps, batch);
            if (attempt == 20 || ReferenceLstm.ClipMargin(problem) > 1e-3) return problem;
        }
    }

    private static void CheckDoubleForward<TCell>(LstmProblem<TCell> problem, ReferenceLstm.Result reference, List<(string, double, double)> errors)
        where TCell : ILstmCell<TCell>
    {
        var (output, hT, cT) = Forward<TCell, double>(problem.Parameters.Data.ToArray(), problem);
        errors.Add(("double output", Normwise.RelativeError(output, reference.Output), DoubleForwardTolerance));
        errors.Add(("double hT", Normwise.RelativeError(hT, reference.HT), DoubleForwardTolerance));
        errors.Add(("double cT", Normwise.RelativeError(cT, reference.CT), DoubleForwardTolerance));
    }

    /// <summary>
    /// For every tensor, two directions (dense random, and sparse on a few random elements plus the last one, where
    /// tails live): the kernel's gradient along the direction against the central difference of the reference's loss.
    /// </summary>
    private static void CheckDirectionalDerivatives<TCell>(LstmProblem<TCell> problem, Dictionary<string, double[]> analytic,
        Random random, List<(string, double, double)> errors) where TCell : ILstmCell<TCell>
    {
        foreach (var (name, memory) in problem.Tensors())
        {
            var gradient = analytic[name];
            foreach (var sparse in new[] { false, true })
            {
                var direction = Direction(random, memory.Length, sparse);
                var projected = 0.0;
                var supportNorm = 0.0;
                for (var i = 0; i < direction.Length; i++)
                {
                    if (direction[i] == 0) continue;
                    projected += gradient[i] * direction[i];
                    supportNorm += gradient[i] * gradient[i];
                }
                var numeric = CentralDifference(problem, memory, direction);
                var tolerance = DirectionalRelativeTolerance * (Math.Sqrt(supportNorm) + Math.Abs(numeric)) + DirectionalAbsoluteTolerance;
                errors.Add(($"d{name} ({(sparse ? "sparse" : "dense")} direction)", Math.Abs(numeric - projected), tolerance));
            }
        }
    }

    private static double[] Direction(Random random, int length, bool sparse)
    {
        var direction = new double[length];
        if (sparse)
        {
            direction[length - 1] = 1;
            for (var k = 0; k < 5; k++) direction[random.Next(length)] = random.NextDouble() * 2 - 1;
        }
        else
        {
            for (var i = 0; i < length; i++) direction[i] = random.NextDouble() * 2 - 1;
        }
        var norm = Math.Sqrt(direction.Sum(v => v * v));
        for (var i = 0; i < length; i++) direction[i] /= norm;
        return direction;
    }

    private static double CentralDifference<TCell>(LstmProblem<TCell> problem, Memory<double> memory, double[] direction)
        where TCell : ILstmCell<TCell>
    {
        var values = memory.Span;
        var saved = values.ToArray();
        for (var i = 0; i < values.Length; i++) values[i] = saved[i] + DifferenceStep * direction[i];
        var plus = ReferenceLoss(problem);
        for (var i = 0; i < values.Length; i++) values[i] = saved[i] - DifferenceStep * direction[i];
        var minus = ReferenceLoss(problem);
        saved.CopyTo(values);
        return (plus - minus) / (2 * DifferenceStep);
    }

    private static double ReferenceLoss<TCell>(LstmProblem<TCell> problem) where TCell : ILstmCell<TCell>
    {
        var result = ReferenceLstm.Forward(problem);
        return Dot(result.Output, problem.OutputWeights) + Dot(result.HT, problem.HTWeights) + Dot(result.CT, problem.CTWeights);
    }

    private static void CheckFloat<TCell>(LstmProblem<TCell> problem, ReferenceLstm.Result reference, Dictionary<string, double[]> analytic,
        List<(string, double, double)> errors) where TCell : ILstmCell<TCell>
    {
        var parameters = ToFloat(problem.Parameters.Data.ToArray());
        var (output, hT, cT) = Forward<TCell, float>(parameters, problem);
        errors.Add(("float output", Normwise.RelativeError(output, reference.Output), FloatForwardTolerance));
        errors.Add(("float hT", Normwise.RelativeError(hT, reference.HT), FloatForwardTolerance));
        errors.Add(("float cT", Normwise.RelativeError(cT, reference.CT), FloatForwardTolerance));

        int steps = problem.Steps, batch = problem.Batch, d = TCell.InputSize, h = TCell.HiddenSize;
        var weights = new LstmParameters<TCell, float>();
        weights.CopyFrom(parameters);
        var workspace = new LstmWorkspace<TCell, float>(steps, batch);
        Lstm.Forward(weights, workspace, steps, batch, ToFloat(problem.X), ToFloat(problem.H0), ToFloat(problem.C0),
            new float[steps * batch * h], new float[batch * h], new float[batch * h]);
        var gradients = new LstmParameters<TCell, float>();
        float[] dx = new float[steps * batch * d], dh0 = new float[batch * h], dc0 = new float[batch * h];
        Lstm.Backward(weights, workspace, gradients, steps, batch, ToFloat(problem.OutputWeights), ToFloat(problem.HTWeights),
            ToFloat(problem.CTWeights), dx, dh0, dc0);
        errors.Add(("float dx", Normwise.RelativeError(dx, analytic["x"]), FloatGradientTolerance));
        errors.Add(("float dh0", Normwise.RelativeError(dh0, analytic["h0"]), FloatGradientTolerance));
        errors.Add(("float dc0", Normwise.RelativeError(dc0, analytic["c0"]), FloatGradientTolerance));
        foreach (var tensor in TCell.Layout.Tensors)
            errors.Add(($"float d{tensor.Name}", Normwise.RelativeError(gradients.Tensor(tensor.Name), analytic[tensor.Name]), FloatGradientTolerance));
    }

    private static (double[] Output, double[] HT, double[] CT) Forward<TCell, T>(T[] parameters, LstmProblem<TCell> problem)
        where TCell : ILstmCell<TCell> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int steps = problem.Steps, batch = problem.Batch, h = TCell.HiddenSize;
        var weights = new LstmParameters<TCell, T>();
        weights.CopyFrom(parameters);
        T[] output = new T[steps * batch * h], hT = new T[batch * h], cT = new T[batch * h];
        Lstm.Forward(weights, steps, batch, Convert<T>(problem.X), Convert<T>(problem.H0), Convert<T>(problem.C0), output, hT, cT);
        return (ToDouble(output), ToDouble(hT), ToDouble(cT));
    }

    private static T[] Convert<T>(double[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => Array.ConvertAll(values, T.CreateChecked);

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static double[] ToDouble<T>(T[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => Array.ConvertAll(values, double.CreateChecked);

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
