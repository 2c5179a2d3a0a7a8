using System;
using System.Diagnostics;
using System.Linq;
using LstmGen.Testing;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// The float kernel agrees with the double kernel (same weights and inputs, rounded to float) to 1e-4 normwise on
/// output, hT, cT, dx, dh0, dc0 and every parameter gradient, for random T in 1..12 and B in 1..5.
/// </summary>
public class FloatDoubleTests
{
    private const double Tolerance = 1e-4;

    private static readonly WorstErrors Overall = new();

    [OneTimeTearDown]
    public void PrintOverall() => Overall.Print("Worst float-vs-double normwise error per array, all cells:", alsoToProgress: true);

    [Test]
    public void Cell1x1() => CheckProperty<Cell1x1>(cases: 20);

    [Test]
    public void Cell3x5() => CheckProperty<Cell3x5>(cases: 20);

    [Test]
    public void Cell7x13() => CheckProperty<Cell7x13>(cases: 15);

    [Test]
    public void Cell16x32() => CheckProperty<Cell16x32>(cases: 10);

    [Test]
    public void Cell17x33() => CheckProperty<Cell17x33>(cases: 10);

    [Test]
    public void Cell64x128() => CheckProperty<Cell64x128>(cases: 6);

    [Test]
    public void Cell200x300() => CheckProperty<Cell200x300>(cases: 3);

    private static void CheckProperty<TCell>(int cases) where TCell : ILstmCell<TCell>
    {
        var cell = typeof(TCell).Name;
        var worst = new WorstErrors();
        var stopwatch = Stopwatch.StartNew();
        var ran = 0;
        try
        {
            Properties.ForAll($"float vs double {cell}", Properties.Problems(), cases, c =>
            {
                var problem = LstmProblem<TCell>.Random(new Random(c.Seed), c.Steps, c.Batch);
                // The reference runs on exactly the float-rounded inputs, so only the kernel's arithmetic differs.
                Round(problem.Parameters.Data);
                Round(problem.X);
                Round(problem.H0);
                Round(problem.C0);
                Round(problem.OutputWeights);
                Round(problem.HTWeights);
                Round(problem.CTWeights);
                var reference = Runs.TrainingRun<TCell, double>(problem);
                var single = Runs.TrainingRun<TCell, float>(problem);
                ran++;
                var failures = (from pair in reference.Arrays().Zip(single.Arrays())
                                let error = Normwise.RelativeError(pair.Second.Values, pair.First.Values)
                                select (pair.First.Name, Error: error)).ToList();
                foreach (var (name, error) in failures)
                {
                    worst.Record(name, error, c.ToString());
                    Overall.Record(name, error, $"{cell} {c}");
                }
                var bad = failures.Where(f => !(f.Error <= Tolerance)).ToList();
                if (bad.Count > 0)
                    throw new AssertionException($"{cell} {c}: float differs from double by more than {Tolerance:E0} normwise in "
                        + string.Join(", ", bad.Select(b => $"{b.Name} ({b.Error:E2})")));
            });
        }
        finally
        {
            worst.Print($"{cell}: worst float-vs-double normwise error per array over {ran} cases ({stopwatch.Elapsed.TotalSeconds:F1} s):");
        }
        Assert.That(ran, Is.EqualTo(cases), "number of generated cases that ran");
    }

    private static void Round(Span<double> values)
    {
        for (var i = 0; i < values.Length; i++) values[i] = (float)values[i];
    }
}
