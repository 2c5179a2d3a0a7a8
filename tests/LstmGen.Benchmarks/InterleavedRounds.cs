using System;

namespace LstmGen.Benchmarks;

/// <summary>
/// Times several calls in interleaved rounds (each round: every call, each the minimum of a few runs), so that a burst of
/// other work on a shared machine hits every call alike; a speed-up is the median of the rounds' ratios, not the ratio
/// of two minima taken seconds apart.
/// </summary>
internal sealed class InterleavedRounds
{
    private readonly double[][] _seconds;

    private InterleavedRounds(double[][] seconds) => _seconds = seconds;

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds of <paramref name="calls"/> after a warm-up of each (five calls);
    /// <paramref name="minimumOf"/> times a call that many times and returns the fastest, in seconds.
    /// </summary>
    public static InterleavedRounds Run(Func<Action, int, double> minimumOf, int rounds, int samplesPerRound, params Action[] calls)
    {
        var seconds = new double[calls.Length][];
        for (var c = 0; c < calls.Length; c++) seconds[c] = new double[rounds];
        foreach (var call in calls) minimumOf(call, 5);
        for (var round = 0; round < rounds; round++)
            for (var c = 0; c < calls.Length; c++) seconds[c][round] = minimumOf(calls[c], samplesPerRound);
        return new InterleavedRounds(seconds);
    }

    /// <summary>The fastest time of call <paramref name="call"/> over all rounds, in seconds.</summary>
    public double Best(int call)
    {
        var best = double.MaxValue;
        foreach (var value in _seconds[call]) best = Math.Min(best, value);
        return best;
    }

    /// <summary>How many times faster <paramref name="call"/> is than <paramref name="baseline"/>: the median over rounds.</summary>
    public double Speedup(int call, int baseline) => Ratios(call, baseline)[_seconds[call].Length / 2];

    /// <summary>The lowest and highest per-round speed-up: how noisy the rounds were.</summary>
    public (double Low, double High) SpeedupRange(int call, int baseline)
    {
        var ratios = Ratios(call, baseline);
        return (ratios[0], ratios[^1]);
    }

    private double[] Ratios(int call, int baseline)
    {
        var ratios = new double[_seconds[call].Length];
        for (var r = 0; r < ratios.Length; r++) ratios[r] = _seconds[baseline][r] / _seconds[call][r];
        Array.Sort(ratios);
        return ratios;
    }
}
