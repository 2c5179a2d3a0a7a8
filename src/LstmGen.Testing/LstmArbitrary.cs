using System;
using System.Collections.Generic;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace LstmGen.Testing;

/// <summary>A batch/length combination: <see cref="Steps"/> time steps of <see cref="Batch"/> rows.</summary>
/// <param name="Steps">T ≥ 1.</param>
/// <param name="Batch">B ≥ 1.</param>
public readonly record struct LstmShape(int Steps, int Batch)
{
    /// <inheritdoc/>
    public override string ToString() => $"T={Steps} B={Batch}";
}

/// <summary>
/// FsCheck generators for a given cell: weights, input sequences, batch/length combinations, initial states, and
/// whole <see cref="LstmCase{TCell, T}"/>s. Values are uniform in ±bound (inputs ±1, initial states ±0.5, weights ±0.5
/// by default), which keeps the gates away from saturation so gradients stay informative.
/// </summary>
/// <example>
/// <code>
/// Prop.ForAll(LstmArbitrary.Case&lt;MyCell, float&gt;(), c => LstmInvariants.CheckAll(c)).QuickCheckThrowOnFailure();
/// </code>
/// </example>
public static class LstmArbitrary
{
    private const int Resolution = 1 << 30;

    /// <summary>Uniform values in [−<paramref name="bound"/>, <paramref name="bound"/>] (2³¹ + 1 levels).</summary>
    public static Gen<T> Value<T>(double bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(bound >= 0) || double.IsInfinity(bound)) throw new ArgumentOutOfRangeException(nameof(bound), bound, "Expected a finite bound ≥ 0.");
        return Gen.Choose(-Resolution, Resolution).Select(k => T.CreateTruncating(bound * k / Resolution));
    }

    /// <summary>Arrays of exactly <paramref name="length"/> values uniform in ±<paramref name="bound"/>.</summary>
    public static Gen<T[]> Values<T>(int length, double bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return Gen.ArrayOf(Value<T>(bound), length);
    }

    /// <summary>Parameters of <typeparamref name="TCell"/> with every element uniform in ±<paramref name="bound"/>.</summary>
    public static Gen<LstmParameters<TCell, T>> Weights<TCell, T>(double bound = 0.5)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => Values<T>(TCell.ParameterCount, bound).Select(values =>
        {
            var parameters = new LstmParameters<TCell, T>();
            parameters.CopyFrom(values);
            return parameters;
        });

    /// <summary>Batch/length combinations with 1 ≤ T ≤ <paramref name="maxSteps"/> and 1 ≤ B ≤ <paramref name="maxBatch"/>.</summary>
    public static Gen<LstmShape> Shapes(int maxSteps = 8, int maxBatch = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        return Gen.Zip(Gen.Choose(1, maxSteps), Gen.Choose(1, maxBatch), (t, b) => new LstmShape(t, b));
    }

    /// <summary><see cref="Shapes"/> shrinking towards T = 1, B = 1.</summary>
    public static Arbitrary<LstmShape> Shape(int maxSteps = 8, int maxBatch = 4)
        => Arb.From(Shapes(maxSteps, maxBatch), ShrinkShape);

    /// <summary>Input sequences x [T×B×D] for <typeparamref name="TCell"/>, uniform in ±<paramref name="bound"/>.</summary>
    public static Gen<T[]> Sequence<TCell, T>(LstmShape shape, double bound = 1.0)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => Values<T>(Positive(shape.Steps) * Positive(shape.Batch) * TCell.InputSize, bound);

    /// <summary>Input sequences with their shape, shrinking towards shorter sequences and fewer rows.</summary>
    public static Arbitrary<(LstmShape Shape, T[] X)> Sequences<TCell, T>(int maxSteps = 8, int maxBatch = 4, double bound = 1.0)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => Arb.From(
            Shapes(maxSteps, maxBatch).SelectMany(shape => Sequence<TCell, T>(shape, bound), (shape, x) => (shape, x)),
            sequence => ShrinkSequence<TCell, T>(sequence));

    /// <summary>
    /// Initial states (h0, c0), each [B×H]: a quarter are the zero state (null, null) — the overloads without
    /// h0/c0 — and the rest uniform in ±<paramref name="bound"/>.
    /// </summary>
    public static Gen<(T[]? H0, T[]? C0)> InitialState<TCell, T>(int batch, double bound = 0.5)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var length = Positive(batch) * TCell.HiddenSize;
        var given = Gen.Zip(Values<T>(length, bound), Values<T>(length, bound), (h0, c0) => ((T[]?)h0, (T[]?)c0));
        return Gen.Frequency((1, Gen.Constant<(T[]?, T[]?)>((null, null))), (3, given));
    }

    /// <summary>
    /// Whole cases: weights (±<paramref name="weightBound"/>), a shape from <see cref="Shapes"/>, inputs (±1), an
    /// initial state from <see cref="InitialState"/> and upstream gradients (±1).
    /// </summary>
    public static Gen<LstmCase<TCell, T>> Cases<TCell, T>(int maxSteps = 8, int maxBatch = 4, double weightBound = 0.5)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = TCell.HiddenSize;
        return
            from weights in Weights<TCell, T>(weightBound)
            from shape in Shapes(maxSteps, maxBatch)
            from x in Sequence<TCell, T>(shape)
            from state in InitialState<TCell, T>(shape.Batch)
            from dOutput in Values<T>(shape.Steps * shape.Batch * h, 1.0)
            from dhT in Values<T>(shape.Batch * h, 1.0)
            from dcT in Values<T>(shape.Batch * h, 1.0)
            select new LstmCase<TCell, T>(weights, shape.Steps, shape.Batch, x, state.H0, state.C0, dOutput, dhT, dcT);
    }

    /// <summary>
    /// <see cref="Cases"/> as an <see cref="Arbitrary{T}"/> that shrinks a failing case to fewer steps, fewer batch
    /// rows and the zero initial state (weights and values are kept, so the failure stays reproducible).
    /// </summary>
    public static Arbitrary<LstmCase<TCell, T>> Case<TCell, T>(int maxSteps = 8, int maxBatch = 4, double weightBound = 0.5)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => Arb.From(Cases<TCell, T>(maxSteps, maxBatch, weightBound), ShrinkCase);

    /// <summary>Smaller cases: half and one fewer steps, the first half and the first row of the batch, zero state.</summary>
    public static IEnumerable<LstmCase<TCell, T>> ShrinkCase<TCell, T>(LstmCase<TCell, T> value)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var steps in Smaller(value.Steps)) yield return value.TakeSteps(steps);
        foreach (var rows in Smaller(value.Batch)) yield return value.TakeRows(0, rows);
        if (value.HasInitialState) yield return value.WithZeroState();
    }

    private static IEnumerable<LstmShape> ShrinkShape(LstmShape shape)
    {
        foreach (var steps in Smaller(shape.Steps)) yield return shape with { Steps = steps };
        foreach (var rows in Smaller(shape.Batch)) yield return shape with { Batch = rows };
    }

    private static IEnumerable<(LstmShape, T[])> ShrinkSequence<TCell, T>((LstmShape Shape, T[] X) sequence)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (shape, x) = sequence;
        var d = TCell.InputSize;
        foreach (var steps in Smaller(shape.Steps))
            yield return (shape with { Steps = steps }, x[..(steps * shape.Batch * d)]);
        foreach (var rows in Smaller(shape.Batch))
        {
            var shrunk = new T[shape.Steps * rows * d];
            for (var t = 0; t < shape.Steps; t++)
                Array.Copy(x, t * shape.Batch * d, shrunk, t * rows * d, rows * d);
            yield return (shape with { Batch = rows }, shrunk);
        }
    }

    /// <summary>1, n/2 and n − 1 (distinct, below n): big steps first, as FsCheck's shrinkers do.</summary>
    private static IEnumerable<int> Smaller(int n)
    {
        if (n > 1) yield return 1;
        if (n / 2 > 1) yield return n / 2;
        if (n - 1 > Math.Max(1, n / 2)) yield return n - 1;
    }

    private static int Positive(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        return value;
    }
}
