using System;
using FsCheck;
using FsCheck.Fluent;

namespace LstmGen.Tests.Support;

/// <summary>One random problem: the seed of <see cref="LstmGen.Testing.LstmProblem{TCell}.Random"/>, T and B.</summary>
public sealed record ProblemCase(int Seed, int Steps, int Batch)
{
    public override string ToString() => $"seed {Seed}, T = {Steps}, B = {Batch}";
}

/// <summary>Runs FsCheck properties with explicit generators, a fixed number of cases and no shrinking.</summary>
/// <remarks>
/// No shrinker: a failing case is reported as generated (seed, T, B), which is enough to reproduce it, and the
/// gradient checks are too expensive to re-run dozens of times while shrinking. FsCheck's failure message contains
/// the case, its replay seed and the exception message the property threw (for gradient checks: the full report).
/// </remarks>
internal static class Properties
{
    /// <summary>Problems with T in [minSteps, maxSteps], B in [minBatch, maxBatch] and a random seed.</summary>
    public static Gen<ProblemCase> Problems(int minSteps = 1, int maxSteps = 12, int minBatch = 1, int maxBatch = 5)
        => from seed in Gen.Choose(0, int.MaxValue - 1)
           from steps in Gen.Choose(minSteps, maxSteps)
           from batch in Gen.Choose(minBatch, maxBatch)
           select new ProblemCase(seed, steps, batch);

    /// <summary>Checks <paramref name="body"/> (which throws on failure) for <paramref name="cases"/> generated values.</summary>
    public static void ForAll<TValue>(string name, Gen<TValue> generator, int cases, Action<TValue> body)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true).WithName(name);
        Check.One(config, Prop.ForAll(Arb.From(generator), body));
    }
}
