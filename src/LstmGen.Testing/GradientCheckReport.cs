using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LstmGen.Testing;

/// <summary>How one tensor's analytic gradient compared with finite differences.</summary>
/// <param name="Name">Tensor name: <c>x</c>, <c>h0</c>, <c>c0</c> or a parameter name such as <c>weight_ih</c>.</param>
/// <param name="CheckedElements">Elements compared (all, a random sample, or 1 for a random direction).</param>
/// <param name="MaxAbsError">max |analytic − numeric| over the checked elements.</param>
/// <param name="MaxAbsReference">max |numeric| over the checked elements.</param>
/// <param name="WorstIndex">Flat index of the element with the largest error (−1 in random-direction mode).</param>
/// <param name="AnalyticAtWorst">Analytic value at <see cref="WorstIndex"/>.</param>
/// <param name="NumericAtWorst">Finite-difference value at <see cref="WorstIndex"/>.</param>
/// <param name="Tolerance">The normwise tolerance this tensor is held to.</param>
public sealed record TensorCheck(string Name, int CheckedElements, double MaxAbsError, double MaxAbsReference,
    int WorstIndex, double AnalyticAtWorst, double NumericAtWorst, double Tolerance)
{
    /// <summary>The tensor's row-major shape (e.g. <c>[4H, H]</c>), so the worst element is reported as <c>weight_hh[12, 5]</c>; null shows the flat index.</summary>
    public IReadOnlyList<int>? Shape { get; init; }

    /// <summary>The worst element as <c>name[i, j]</c> (or <c>name[flat]</c> without a shape).</summary>
    public string WorstElement => Name + LstmAssert.FormatIndex(WorstIndex, Shape?.ToArray());

    /// <summary>max|Δ| / max|reference| (the absolute error when the reference is zero everywhere).</summary>
    public double RelativeError => MaxAbsReference == 0 ? MaxAbsError : MaxAbsError / MaxAbsReference;

    /// <summary>Whether <see cref="RelativeError"/> is within <see cref="Tolerance"/> (NaN fails).</summary>
    public bool Passed => RelativeError <= Tolerance;

    /// <inheritdoc/>
    public override string ToString() => WorstIndex < 0
        ? string.Format(CultureInfo.InvariantCulture,
            "{0}: relative error {1:E2} (tolerance {2:E0}) along a random direction: analytic {3:R}, numeric {4:R}",
            Name, RelativeError, Tolerance, AnalyticAtWorst, NumericAtWorst)
        : string.Format(CultureInfo.InvariantCulture,
            "{0}: relative error {1:E2} (tolerance {2:E0}) over {3} elements; worst at {4}: analytic {5:R}, numeric {6:R}",
            Name, RelativeError, Tolerance, CheckedElements, WorstElement, AnalyticAtWorst, NumericAtWorst);
}

/// <summary>The result of a gradient check: one <see cref="TensorCheck"/> per tensor.</summary>
public sealed class GradientCheckReport
{
    /// <summary>Creates a report.</summary>
    public GradientCheckReport(string cellName, IReadOnlyList<TensorCheck> tensors)
    {
        CellName = cellName;
        Tensors = tensors;
    }

    /// <summary>The checked cell.</summary>
    public string CellName { get; }

    /// <summary>One entry per tensor, in order x, h0, c0, then parameters.</summary>
    public IReadOnlyList<TensorCheck> Tensors { get; }

    /// <summary>Whether every tensor passed.</summary>
    public bool Passed => Tensors.All(t => t.Passed);

    /// <summary>The tensor with the largest relative error.</summary>
    public TensorCheck Worst => Tensors.OrderByDescending(t => double.IsNaN(t.RelativeError) ? double.PositiveInfinity : t.RelativeError).First();

    /// <summary>Looks a tensor up by name.</summary>
    public TensorCheck this[string name] => Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"No tensor '{name}' in this report.");

    /// <summary>A plain-text table, one line per tensor; failing tensors are marked FAIL.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Gradient check of {CellName}: {(Passed ? "passed" : "FAILED")}");
        foreach (var t in Tensors)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {(t.Passed ? "ok  " : "FAIL")} {t}");
        return text.ToString();
    }

    /// <summary>Throws an exception whose message is the whole report if any tensor failed.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed) throw new GradientCheckFailedException(ToString());
    }
}

/// <summary>Thrown by <see cref="GradientCheckReport.ThrowIfFailed"/>; the message names each failing tensor and its worst index.</summary>
public sealed class GradientCheckFailedException : LstmCheckException
{
    /// <summary>Creates the exception.</summary>
    public GradientCheckFailedException(string message) : base(message)
    {
    }
}
