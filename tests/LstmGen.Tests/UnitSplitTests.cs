using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// Inference on two threads with one or two sequences: the threads split each step's hidden units (and meet at a
/// barrier per step). Outputs and final states must equal the call on one thread bit for bit; the split must really
/// have run (the counter), and a small cell or a larger batch must not take it.
/// </summary>
[NonParallelizable]
public class UnitSplitTests
{
    private static void EqualsOneThread<TCell, T>(int steps, int batch, bool packed, LstmWeightFormat format = LstmWeightFormat.Default)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = TCell.InputSize, h = TCell.HiddenSize;
        var random = new Random(steps * 31 + batch);
        var parameters = RandomValues.Parameters<TCell, T>(random);
        var x = RandomValues.Uniform<T>(random, steps * batch * d);
        var h0 = RandomValues.Uniform<T>(random, batch * h);
        var c0 = RandomValues.Uniform<T>(random, batch * h);
        var weights = new LstmPackedWeights<TCell, T>(parameters, format);
        foreach (var fromState in new[] { false, true })
        {
            T[] expected = new T[steps * batch * h], hT = new T[batch * h], cT = new T[batch * h];
            T[] actual = new T[steps * batch * h], hT2 = new T[batch * h], cT2 = new T[batch * h];
            var before = Lstm.UnitSplitForwards;
            switch (packed, fromState)
            {
                case (false, false):
                    Lstm.Forward(parameters, steps, batch, x, expected, hT, cT);
                    Lstm.Forward(parameters, steps, batch, x, actual, hT2, cT2, threads: 2);
                    break;
                case (false, true):
                    Lstm.Forward(parameters, steps, batch, x, h0, c0, expected, hT, cT);
                    Lstm.Forward(parameters, steps, batch, x, h0, c0, actual, hT2, cT2, threads: 2);
                    break;
                case (true, false):
                    Lstm.Forward(weights, steps, batch, x, expected, hT, cT);
                    Lstm.Forward(weights, steps, batch, x, actual, hT2, cT2, threads: 2);
                    break;
                case (true, true):
                    Lstm.Forward(weights, steps, batch, x, h0, c0, expected, hT, cT);
                    Lstm.Forward(weights, steps, batch, x, h0, c0, actual, hT2, cT2, threads: 2);
                    break;
            }
            var label = $"{typeof(TCell).Name}, {typeof(T).Name}, T = {steps}, B = {batch}, packed {packed} ({format}), state {fromState}";
            Assert.Multiple(() =>
            {
                Assert.That(Lstm.UnitSplitForwards, Is.EqualTo(before + 1), $"the two-thread call split the units ({label})");
                Assert.That(actual, Is.EqualTo(expected), $"outputs ({label})");
                Assert.That(hT2, Is.EqualTo(hT), $"hT ({label})");
                Assert.That(cT2, Is.EqualTo(cT), $"cT ({label})");
            });
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public void TwoThreads_EqualOneThread_BitForBit(int batch)
    {
        Assume.That(Environment.ProcessorCount, Is.GreaterThanOrEqualTo(2), "needs two processors");
        EqualsOneThread<Cell64x128, float>(7, batch, packed: false);
        EqualsOneThread<Cell64x128, double>(5, batch, packed: false);
        EqualsOneThread<Cell200x300, float>(4, batch, packed: true);
        EqualsOneThread<Cell9x130_Peephole_Cifg_Clip, float>(6, batch, packed: false);
        EqualsOneThread<Cell9x130_Peephole_Cifg_Clip, double>(6, batch, packed: true);
    }

    [Test]
    public void TwoThreads_EqualOneThread_WithBFloat16Weights()
    {
        Assume.That(Environment.ProcessorCount, Is.GreaterThanOrEqualTo(2), "needs two processors");
        EqualsOneThread<Cell64x128, float>(6, 1, packed: true, LstmWeightFormat.BFloat16);
        EqualsOneThread<Cell9x130_Peephole_Cifg_Clip, float>(5, 2, packed: true, LstmWeightFormat.BFloat16);
    }

    [Test]
    public void ChunkBoundaries_AndLongSequences_StayBitIdentical()
    {
        Assume.That(Environment.ProcessorCount, Is.GreaterThanOrEqualTo(2), "needs two processors");
        // 96 rows per input projection: 250 steps at B = 1 cross two chunk boundaries, 97 steps at B = 2 one.
        EqualsOneThread<Cell64x128, float>(250, 1, packed: true);
        EqualsOneThread<Cell64x128, float>(97, 2, packed: false);
    }

    [Test]
    public void SmallCells_LargerBatches_AndOneThread_DoNotSplitUnits()
    {
        var before = Lstm.UnitSplitForwards;
        var small = new LstmParameters<Cell17x33, float>();
        Lstm.Forward(small, 3, 1, new float[3 * 17], new float[3 * 33], new float[33], new float[33], threads: 2);
        var large = new LstmParameters<Cell64x128, float>();
        Lstm.Forward(large, 3, 3, new float[3 * 3 * 64], new float[3 * 3 * 128], new float[3 * 128], new float[3 * 128], threads: 2);
        Lstm.Forward(large, 3, 1, new float[3 * 64], new float[3 * 128], new float[128], new float[128], threads: 1);
        Assert.That(Lstm.UnitSplitForwards, Is.EqualTo(before), "H < 128, B = 3 and one thread run without a unit split");
    }

    [Test]
    public void TwoThreadForwards_AllocateNothingPerCall()
    {
        Assume.That(Environment.ProcessorCount, Is.GreaterThanOrEqualTo(2), "needs two processors");
        var parameters = new LstmParameters<Cell64x128, float>();
        parameters.InitializePyTorchDefault(new Random(8));
        var weights = new LstmPackedWeights<Cell64x128, float>(parameters, LstmWeightFormat.BFloat16);
        var x = new float[10 * 64];
        var output = new float[10 * 128];
        var state = new float[128];
        const int calls = 200;
        void Forwards()
        {
            for (var i = 0; i < calls; i++)
            {
                Lstm.Forward(weights, 10, 1, x, output, state, state, threads: 2);
                Lstm.Forward(parameters, 10, 1, x, output, state, state, threads: 2);
            }
        }
        Forwards(); // warm-up: tiering, the worker thread, pooled scratch
        // A call that allocates shows in every round; the runtime's one-time work (tier-up of the many methods a split
        // call touches) can still land in the first rounds, so up to five rounds are measured. The worker's bytes are
        // counted on the worker's own thread: a process-wide count also sees the test host's threads (printed only).
        var rounds = new List<(long Splits, long ThisThread, long Worker, long Process)>();
        for (var round = 0; round < 5; round++)
        {
            System.Threading.Thread.Sleep(300);
            var splits = Lstm.UnitSplitForwards;
            var thisThread = GC.GetAllocatedBytesForCurrentThread();
            var worker = Workers.WorkerAllocatedBytes;
            var process = GC.GetTotalAllocatedBytes(precise: true);
            Forwards();
            rounds.Add((Lstm.UnitSplitForwards - splits, GC.GetAllocatedBytesForCurrentThread() - thisThread,
                Workers.WorkerAllocatedBytes - worker, GC.GetTotalAllocatedBytes(precise: true) - process));
            if (rounds[^1].ThisThread == 0 && rounds[^1].Worker == 0) break;
        }
        TestContext.Out.WriteLine(string.Join("; ", rounds.Select(r =>
            $"{r.Splits} split calls: {r.ThisThread} B on this thread, {r.Worker} B on the worker, {r.Process} B in the process")));
        Assert.Multiple(() =>
        {
            Assert.That(rounds.Select(r => r.Splits), Is.All.EqualTo(2 * calls), "every call split the units");
            Assert.That(rounds[^1].ThisThread, Is.EqualTo(0), "calling thread, last round");
            Assert.That(rounds[^1].Worker, Is.EqualTo(0), "worker thread, last round");
        });
    }

    [Test]
    public void StepBarrier_HoldsEachPartUntilAllArrive_AndReleasesThemWhenOneFails()
    {
        var barrier = new LstmGen.Numerics.StepBarrier();
        barrier.Reset(2);
        var arrivals = new int[2];
        var early = 0;
        var other = new System.Threading.Thread(() =>
        {
            for (var round = 0; round < 2000; round++)
            {
                arrivals[1] = round + 1;
                barrier.SignalAndWait();
                if (System.Threading.Volatile.Read(ref arrivals[0]) < round + 1) System.Threading.Interlocked.Increment(ref early);
            }
        });
        other.Start();
        for (var round = 0; round < 2000; round++)
        {
            arrivals[0] = round + 1;
            barrier.SignalAndWait();
            if (System.Threading.Volatile.Read(ref arrivals[1]) < round + 1) System.Threading.Interlocked.Increment(ref early);
        }
        Assert.That(other.Join(TimeSpan.FromSeconds(30)), Is.True, "the other part finished");
        Assert.That(early, Is.EqualTo(0), "no part passed a barrier before the other arrived");

        barrier.Reset(2);
        Exception? thrown = null;
        var waiter = new System.Threading.Thread(() =>
        {
            try { barrier.SignalAndWait(); }
            catch (Exception e) { thrown = e; }
        });
        waiter.Start();
        System.Threading.Thread.Sleep(50);
        barrier.Abandon(); // the other part failed instead of arriving
        Assert.That(waiter.Join(TimeSpan.FromSeconds(30)), Is.True, "the waiting part was released");
        Assert.That(thrown, Is.InstanceOf<OperationCanceledException>());
    }
}
