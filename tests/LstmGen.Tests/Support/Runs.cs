using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using LstmGen.Testing;
using NUnit.Framework;

namespace LstmGen.Tests.Support;

/// <summary>Everything one training forward + backward produces, widened to double, by name.</summary>
internal sealed class RunResult
{
    public required double[] Output { get; init; }
    public required double[] HT { get; init; }
    public required double[] CT { get; init; }
    public required double[] Dx { get; init; }
    public required double[] Dh0 { get; init; }
    public required double[] Dc0 { get; init; }
    public required IReadOnlyDictionary<string, double[]> ParameterGradients { get; init; }

    /// <summary>output, hT, cT, dx, dh0, dc0, then one entry per parameter tensor (d + tensor name).</summary>
    public IEnumerable<(string Name, double[] Values)> Arrays()
    {
        yield return ("output", Output);
        yield return ("hT", HT);
        yield return ("cT", CT);
        yield return ("dx", Dx);
        yield return ("dh0", Dh0);
        yield return ("dc0", Dc0);
        foreach (var (name, values) in ParameterGradients)
            yield return ("d" + name, values);
    }
}

/// <summary>Runs a <see cref="LstmProblem{TCell}"/> (built in double) through the checked API in either precision.</summary>
internal static class Runs
{
    /// <summary>
    /// Training forward from (h0, c0) and backward with the problem's upstream weights as dOutput, dhT, dcT, all in
    /// precision <typeparamref name="T"/> (inputs rounded from the problem's doubles).
    /// </summary>
    public static RunResult TrainingRun<TCell, T>(LstmProblem<TCell> problem)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize, steps = problem.Steps, batch = problem.Batch;
        var parameters = new LstmParameters<TCell, T>();
        parameters.CopyFrom(Convert<T>(problem.Parameters.Data.ToArray()));
        var workspace = new LstmWorkspace<TCell, T>(steps, batch);
        var output = new T[steps * batch * h];
        var hT = new T[batch * h];
        var cT = new T[batch * h];
        Lstm.Forward(parameters, workspace, steps, batch, Convert<T>(problem.X), Convert<T>(problem.H0), Convert<T>(problem.C0), output, hT, cT);
        var gradients = new LstmParameters<TCell, T>();
        var dx = new T[steps * batch * d];
        var dh0 = new T[batch * h];
        var dc0 = new T[batch * h];
        Lstm.Backward(parameters, workspace, gradients, steps, batch, Convert<T>(problem.OutputWeights), Convert<T>(problem.HTWeights),
            Convert<T>(problem.CTWeights), dx, dh0, dc0);
        return new RunResult
        {
            Output = Widen(output), HT = Widen(hT), CT = Widen(cT), Dx = Widen(dx), Dh0 = Widen(dh0), Dc0 = Widen(dc0),
            ParameterGradients = TCell.Layout.Tensors.ToDictionary(t => t.Name, t => Widen(gradients.Tensor(t.Name).ToArray())),
        };
    }

    public static T[] Convert<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T>
        => Array.ConvertAll(values, T.CreateChecked);

    public static double[] Widen<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T>
        => Array.ConvertAll(values, double.CreateChecked);

    public static double[] Normal(Random random, int length, double scale = 1)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
        return values;
    }

    /// <summary>Bitwise equality of two double arrays (distinguishes -0 from 0, equal NaNs are equal).</summary>
    public static bool BitwiseEqual(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i])) return false;
        return true;
    }

    /// <summary>Index and values of the first bitwise difference, for messages.</summary>
    public static string FirstDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) return $"lengths {a.Length} and {b.Length}";
        for (var i = 0; i < a.Length; i++)
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i]))
                return string.Create(CultureInfo.InvariantCulture, $"first difference at [{i}]: {a[i]:R} vs {b[i]:R}");
        return "no difference";
    }
}

/// <summary>The largest error seen per named quantity across many cases, printed for the record.</summary>
internal sealed class WorstErrors
{
    private readonly ConcurrentDictionary<string, (double Error, string Where)> _worst = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    public void Record(string name, double error, string where)
    {
        lock (_order)
            if (!_order.Contains(name)) _order.Add(name);
        _worst.AddOrUpdate(name, (error, where),
            (_, old) => double.IsNaN(error) || error > old.Error ? (error, where) : old);
    }

    public double this[string name] => _worst.TryGetValue(name, out var v) ? v.Error : 0;

    /// <summary>Writes the table to the test output (and, for fixture summaries, to the progress stream the console shows).</summary>
    public void Print(string title, bool alsoToProgress = false)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(title);
        List<string> names;
        lock (_order) names = _order.ToList();
        foreach (var name in names)
        {
            var (error, where) = _worst[name];
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-12} {error:E2}   ({where})"));
        }
        TestContext.Out.Write(text.ToString());
        if (alsoToProgress) TestContext.Progress.Write(text.ToString());
    }
}
