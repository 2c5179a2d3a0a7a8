using System;
using System.Globalization;
using System.Numerics;

namespace LstmGen.Testing;

/// <summary>
/// Thrown by <see cref="LstmAssert"/>, <see cref="LstmInvariants"/> and <see cref="GradientCheckReport.ThrowIfFailed"/>.
/// The message names the tensor, the worst index and both values. It is a plain exception, so any test framework
/// (NUnit, xUnit, MSTest) reports it as a failure with that message, and FsCheck reports it with the counterexample.
/// </summary>
public class LstmCheckException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LstmCheckException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception for one tensor.</summary>
    public LstmCheckException(string message, string tensor, int index) : base(message)
    {
        Tensor = tensor;
        Index = index;
    }

    /// <summary>The tensor that failed (e.g. <c>output</c>, <c>weight_hh</c>), if one did.</summary>
    public string? Tensor { get; }

    /// <summary>Flat index of the worst element, or −1.</summary>
    public int Index { get; } = -1;
}

/// <summary>
/// Assertions for LstmGen tensors whose failure messages name the tensor and the index (as <c>[t, b, h]</c> when the
/// shape is given). Framework-neutral: they throw <see cref="LstmCheckException"/>, which NUnit, xUnit and MSTest
/// report as a failed test with the message.
/// </summary>
public static class LstmAssert
{
    /// <summary>
    /// Asserts the normwise error max|actual − expected| / max|expected| is at most <paramref name="tolerance"/>
    /// (a NaN or infinite difference always fails, so does a length mismatch).
    /// </summary>
    /// <param name="expected">Reference values.</param>
    /// <param name="actual">Values under test.</param>
    /// <param name="tolerance">Normwise tolerance (0 asks for equality).</param>
    /// <param name="tensor">Name used in the message, e.g. <c>output</c>.</param>
    /// <param name="shape">Optional row-major shape, e.g. <c>[T, B, H]</c>, to print the index per axis.</param>
    /// <param name="context">Optional description of the case, e.g. the cell and T×B, prepended to the message.</param>
    public static void AreClose<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double tolerance, string tensor,
        int[]? shape = null, string? context = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var prefix = context is null ? string.Empty : context + ": ";
        if (expected.Length != actual.Length)
            throw new LstmCheckException($"{prefix}tensor '{tensor}' has {actual.Length} elements, expected {expected.Length}.", tensor, -1);
        double maxDiff = 0, maxRef = 0;
        var worst = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]), a = double.CreateTruncating(actual[i]);
            maxRef = Math.Max(maxRef, Math.Abs(e));
            var diff = e == a ? 0 : Math.Abs(a - e);
            if (double.IsNaN(diff) || double.IsInfinity(diff))
            {
                worst = i;
                maxDiff = double.PositiveInfinity;
                break;
            }
            if (diff > maxDiff)
            {
                maxDiff = diff;
                worst = i;
            }
        }
        var error = maxRef == 0 || double.IsInfinity(maxDiff) ? maxDiff : maxDiff / maxRef;
        if (error <= tolerance) return;
        throw new LstmCheckException(string.Format(CultureInfo.InvariantCulture,
            "{0}tensor '{1}' differs at {1}{2} (flat index {3}): expected {4:R}, actual {5:R}; normwise error {6:E2} > tolerance {7:E0} (max|expected| = {8:E2}).",
            prefix, tensor, FormatIndex(worst, shape), worst, expected[worst], actual[worst], error, tolerance, maxRef), tensor, worst);
    }

    /// <inheritdoc cref="AreClose{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, double, string, int[], string)"/>
    public static void AreClose<T>(T[] expected, T[] actual, double tolerance, string tensor, int[]? shape = null, string? context = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => AreClose<T>(expected.AsSpan(), actual.AsSpan(), tolerance, tensor, shape, context);

    /// <summary>
    /// Runs <see cref="GradientCheck.Run{TCell}(int, int, int, GradientCheckOptions)"/> and throws a
    /// <see cref="GradientCheckFailedException"/> whose message is the per-tensor report if any tensor fails.
    /// </summary>
    /// <returns>The report, e.g. to print it when the check passes.</returns>
    public static GradientCheckReport GradientsMatch<TCell>(int steps, int batch, int seed, GradientCheckOptions? options = null)
        where TCell : ILstmCell<TCell>
    {
        var report = GradientCheck.Run<TCell>(steps, batch, seed, options);
        report.ThrowIfFailed();
        return report;
    }

    /// <summary>Formats a flat index as <c>[i, j, k]</c> for a row-major shape (or <c>[flat]</c> without one).</summary>
    public static string FormatIndex(int flatIndex, int[]? shape)
    {
        if (shape is null || shape.Length == 0 || flatIndex < 0) return $"[{flatIndex}]";
        var coordinates = new int[shape.Length];
        var rest = flatIndex;
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            coordinates[axis] = rest % shape[axis];
            rest /= shape[axis];
        }
        return "[" + string.Join(", ", coordinates) + "]";
    }
}
