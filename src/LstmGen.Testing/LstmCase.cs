using System;
using System.Globalization;
using System.Numerics;

namespace LstmGen.Testing;

/// <summary>
/// One complete input of a cell in precision <typeparamref name="T"/>: parameters, a sequence of
/// <see cref="Steps"/> × <see cref="Batch"/>, an optional initial state, and upstream gradients for a backward pass.
/// <see cref="LstmArbitrary"/> generates and shrinks these; <see cref="LstmInvariants"/> checks them.
/// </summary>
/// <typeparam name="TCell">A generated cell.</typeparam>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LstmCase<TCell, T>
    where TCell : ILstmCell<TCell>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a case; the arrays are used as given (not copied) and their lengths are checked.</summary>
    /// <param name="parameters">The cell's parameters.</param>
    /// <param name="steps">T ≥ 1.</param>
    /// <param name="batch">B ≥ 1.</param>
    /// <param name="x">Input [T×B×D].</param>
    /// <param name="h0">Initial hidden state [B×H], or null for the zero state (the overloads without h0/c0).</param>
    /// <param name="c0">Initial cell state [B×H]; null exactly when <paramref name="h0"/> is.</param>
    /// <param name="dOutput">∂L/∂output [T×B×H].</param>
    /// <param name="dhT">∂L/∂hT [B×H].</param>
    /// <param name="dcT">∂L/∂cT [B×H].</param>
    public LstmCase(LstmParameters<TCell, T> parameters, int steps, int batch, T[] x, T[]? h0, T[]? c0,
        T[] dOutput, T[] dhT, T[] dcT)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if ((h0 is null) != (c0 is null))
            throw new ArgumentException("'h0' and 'c0' must both be given or both be null.", nameof(c0));
        int d = TCell.InputSize, h = TCell.HiddenSize;
        Length(x, steps * batch * d, nameof(x));
        if (h0 is not null) Length(h0, batch * h, nameof(h0));
        if (c0 is not null) Length(c0, batch * h, nameof(c0));
        Length(dOutput, steps * batch * h, nameof(dOutput));
        Length(dhT, batch * h, nameof(dhT));
        Length(dcT, batch * h, nameof(dcT));
        Parameters = parameters;
        Steps = steps;
        Batch = batch;
        X = x;
        H0 = h0;
        C0 = c0;
        DOutput = dOutput;
        DhT = dhT;
        DcT = dcT;
    }

    /// <summary>The parameters.</summary>
    public LstmParameters<TCell, T> Parameters { get; }

    /// <summary>T.</summary>
    public int Steps { get; }

    /// <summary>B.</summary>
    public int Batch { get; }

    /// <summary>Input [T×B×D].</summary>
    public T[] X { get; }

    /// <summary>Initial hidden state [B×H], or null for the zero state.</summary>
    public T[]? H0 { get; }

    /// <summary>Initial cell state [B×H], or null for the zero state.</summary>
    public T[]? C0 { get; }

    /// <summary>Whether the case has an explicit initial state.</summary>
    public bool HasInitialState => H0 is not null;

    /// <summary>∂L/∂output [T×B×H] for the backward pass.</summary>
    public T[] DOutput { get; }

    /// <summary>∂L/∂hT [B×H].</summary>
    public T[] DhT { get; }

    /// <summary>∂L/∂cT [B×H].</summary>
    public T[] DcT { get; }

    /// <summary>Cell, precision and shape, e.g. <c>Cell3x5 (3x5) Single T=4 B=2 h0/c0=given</c>.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{typeof(TCell).Name} ({TCell.InputSize}x{TCell.HiddenSize}) {typeof(T).Name} T={Steps} B={Batch} h0/c0={(HasInitialState ? "given" : "zero")}");

    /// <summary>The first <paramref name="steps"/> steps (a prefix of every time-major array).</summary>
    public LstmCase<TCell, T> TakeSteps(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, Steps);
        int d = TCell.InputSize, h = TCell.HiddenSize;
        return new LstmCase<TCell, T>(Parameters, steps, Batch, X[..(steps * Batch * d)], H0, C0,
            DOutput[..(steps * Batch * h)], DhT, DcT);
    }

    /// <summary>Batch rows <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 of every array.</summary>
    public LstmCase<TCell, T> TakeRows(int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, Batch);
        int d = TCell.InputSize, h = TCell.HiddenSize;
        return new LstmCase<TCell, T>(Parameters, Steps, count,
            Rows(X, Steps, d, first, count), H0 is null ? null : Rows(H0, 1, h, first, count), C0 is null ? null : Rows(C0, 1, h, first, count),
            Rows(DOutput, Steps, h, first, count), Rows(DhT, 1, h, first, count), Rows(DcT, 1, h, first, count));
    }

    /// <summary>The same case from the zero initial state.</summary>
    public LstmCase<TCell, T> WithZeroState() => new(Parameters, Steps, Batch, X, null, null, DOutput, DhT, DcT);

    /// <inheritdoc/>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture,
            $"{Description}, max|x| = {MaxAbs(X):G4}, max|w| = {MaxAbs(Parameters.Data):G4}");

    private T[] Rows(T[] values, int steps, int width, int first, int count)
    {
        var result = new T[steps * count * width];
        for (var t = 0; t < steps; t++)
            Array.Copy(values, (t * Batch + first) * width, result, t * count * width, count * width);
        return result;
    }

    private static double MaxAbs(ReadOnlySpan<T> values)
    {
        double max = 0;
        foreach (var v in values) max = Math.Max(max, Math.Abs(double.CreateTruncating(v)));
        return max;
    }

    private static void Length(T[] array, int expected, string name)
    {
        ArgumentNullException.ThrowIfNull(array, name);
        if (array.Length != expected)
            throw new ArgumentException($"'{name}' has length {array.Length}, expected {expected}.", name);
    }
}
