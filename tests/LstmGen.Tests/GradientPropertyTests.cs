using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using LstmGen.Testing;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// FsCheck properties: the double kernel's BPTT gradients equal central finite differences (step 1e-6, 1e-6 normwise)
/// for x, h0, c0 and every parameter tensor, over random weights U(±0.5), inputs N(0, 1), states N(0, 0.5²),
/// T in 1..12 and B in 1..5. Small cells check every element, larger ones a random sample of 64 per tensor.
/// </summary>
/// <remarks>
/// The worst relative error per tensor (max|Δ|/max|numeric|) over all cases is printed to the test output,
/// per test and for the whole fixture.
/// </remarks>
public class GradientPropertyTests
{
    private const double Step = 1e-6;
    private const double Tolerance = 1e-6;

    private static readonly string[] ExpectedTensors = { "x", "h0", "c0", "weight_ih", "weight_hh", "bias_ih", "bias_hh" };

    /// <summary>Across every gradient test of this fixture.</summary>
    private static readonly WorstErrors Overall = new();

    [OneTimeTearDown]
    public void PrintOverall() => Overall.Print("Worst FD relative error per tensor, all gradient tests of this run:", alsoToProgress: true);

    [Test]
    public void Cell1x1_EveryElement() => CheckProperty<Cell1x1>(cases: 25, sampleSize: null);

    [Test]
    public void Cell3x5_EveryElement() => CheckProperty<Cell3x5>(cases: 25, sampleSize: null);

    [Test]
    public void Cell7x13_EveryElement() => CheckProperty<Cell7x13>(cases: 25, sampleSize: null);

    [Test]
    public void Cell16x32_Sampled() => CheckProperty<Cell16x32>(cases: 5, sampleSize: 64);

    [Test]
    public void Cell17x33_Sampled() => CheckProperty<Cell17x33>(cases: 5, sampleSize: 64);

    [Test]
    public void Cell64x128_Sampled() => CheckProperty<Cell64x128>(cases: 5, sampleSize: 64);

    // ------------------------------------------------------------------ heavier sweeps

    [Test, Category("Slow")]
    public void Slow_Cell2x3_EveryElement_ManyCases() => CheckProperty<Cell2x3>(cases: 100, sampleSize: null);

    [Test, Category("Slow")]
    public void Slow_Cell16x32_EveryElement() => CheckProperty<Cell16x32>(cases: 5, sampleSize: null);

    [Test, Category("Slow")]
    public void Slow_Cell17x33_EveryElement() => CheckProperty<Cell17x33>(cases: 5, sampleSize: null);

    [Test, Category("Slow")]
    public void Slow_Cell64x128_Sampled512() => CheckProperty<Cell64x128>(cases: 6, sampleSize: 512);

    /// <summary>
    /// 200x300: every element of x, h0, c0, bias_ih and bias_hh, 256 random elements of each weight matrix.
    /// Short sequences keep a forward near a millisecond; about 6,000 forwards per case.
    /// </summary>
    [Test, Category("Slow")]
    public void Slow_Cell200x300_EveryElementOfStatesAndBiases()
    {
        var worst = new WorstErrors();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            Properties.ForAll("FD Cell200x300", Properties.Problems(maxSteps: 3, maxBatch: 2), 3, c =>
            {
                var problem = LstmProblem<Cell200x300>.Random(new Random(c.Seed), c.Steps, c.Batch);
                var analytic = problem.AnalyticGradients();
                var sampler = new Random(c.Seed);
                var failures = new List<string>();
                var lines = new List<string>();
                foreach (var (name, values) in problem.Tensors())
                {
                    int[] indexes = name.StartsWith("weight_", StringComparison.Ordinal)
                        ? Enumerable.Range(0, values.Length).OrderBy(_ => sampler.Next()).Take(256).ToArray()
                        : Enumerable.Range(0, values.Length).ToArray();
                    double maxError = 0, maxReference = 0;
                    var worstIndex = -1;
                    foreach (var index in indexes)
                    {
                        var numeric = CentralDifference(problem, values, index);
                        var error = Math.Abs(numeric - analytic[name][index]);
                        maxReference = Math.Max(maxReference, Math.Abs(numeric));
                        if (double.IsNaN(error) || error > maxError) (maxError, worstIndex) = (double.IsNaN(error) ? double.NaN : error, index);
                    }
                    var relative = maxReference == 0 ? maxError : maxError / maxReference;
                    worst.Record(name, relative, c.ToString());
                    Overall.Record(name, relative, "Cell200x300 " + c);
                    var line = string.Create(CultureInfo.InvariantCulture,
                        $"{name}: relative error {relative:E2} over {indexes.Length} elements, worst at [{worstIndex}]");
                    lines.Add(line);
                    if (!(relative <= Tolerance)) failures.Add(line);
                }
                if (failures.Count > 0)
                    throw new GradientCheckFailedException($"Cell200x300 {c}: FAILED (tolerance {Tolerance:E0})\n  " + string.Join("\n  ", lines));
            });
        }
        finally
        {
            worst.Print($"Cell200x300 worst FD relative error per tensor ({stopwatch.Elapsed.TotalSeconds:F1} s):");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void CheckProperty<TCell>(int cases, int? sampleSize) where TCell : ILstmCell<TCell>
    {
        var cell = typeof(TCell).Name;
        var worst = new WorstErrors();
        var stopwatch = Stopwatch.StartNew();
        var ran = 0;
        try
        {
            Properties.ForAll($"FD {cell}", Properties.Problems(), cases, c =>
            {
                var problem = LstmProblem<TCell>.Random(new Random(c.Seed), c.Steps, c.Batch);
                var options = new GradientCheckOptions { Step = Step, Tolerance = Tolerance, SampleSize = sampleSize, Seed = c.Seed };
                var report = GradientCheck.Run(problem, options);
                ran++;

                // The report must cover every tensor, each with the elements asked for, else it proves nothing.
                var names = report.Tensors.Select(t => t.Name).ToArray();
                if (!names.SequenceEqual(ExpectedTensors))
                    throw new AssertionException($"{cell} {c}: the report covers [{string.Join(", ", names)}], expected [{string.Join(", ", ExpectedTensors)}].\n{report}");
                foreach (var (tensor, values) in problem.Tensors())
                {
                    var expected = sampleSize is null ? values.Length : Math.Min(values.Length, sampleSize.Value);
                    if (report[tensor].CheckedElements != expected)
                        throw new AssertionException($"{cell} {c}: {tensor} checked {report[tensor].CheckedElements} elements, expected {expected}.\n{report}");
                }

                foreach (var tensor in report.Tensors)
                {
                    worst.Record(tensor.Name, tensor.RelativeError, c.ToString());
                    Overall.Record(tensor.Name, tensor.RelativeError, $"{cell} {c}");
                }
                if (!report.Passed)
                    throw new GradientCheckFailedException($"{cell} {c}:\n{report}");
            });
        }
        finally
        {
            worst.Print($"{cell}: worst FD relative error per tensor over {ran} cases ({(sampleSize is null ? "every element" : $"{sampleSize} elements per tensor")}, {stopwatch.Elapsed.TotalSeconds:F1} s):");
        }
        Assert.That(ran, Is.EqualTo(cases), "number of generated cases that ran");
    }

    private static double CentralDifference<TCell>(LstmProblem<TCell> problem, Memory<double> values, int index) where TCell : ILstmCell<TCell>
    {
        var original = values.Span[index];
        values.Span[index] = original + Step;
        var plus = problem.Loss();
        values.Span[index] = original - Step;
        var minus = problem.Loss();
        values.Span[index] = original;
        return (plus - minus) / ((original + Step) - (original - Step));
    }
}
