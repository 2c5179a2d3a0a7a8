using System;
using LstmGen.Numerics;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// The kernels' long-lived buffers start on a cache line (64 bytes): a workspace's recording (every part's, when the
/// batch is split), packed weights; and <see cref="CacheLine.ElementsToBoundary{T}"/> finds the boundary.
/// </summary>
public class CacheLineTests
{
    private static unsafe long Address<T>(ReadOnlySpan<T> span) where T : unmanaged
    {
        fixed (T* start = span) return (long)start;
    }

    [TestCase(1)]
    [TestCase(3)]
    public void WorkspaceRecordings_StartOnACacheLine(int threads)
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            // Odd sizes, so a part's length is not a multiple of a line by itself.
            var workspace = new LstmWorkspace<Cell3x5, float>(maxSteps: 7, maxBatch: 5 + attempt, threads);
            var parts = workspace.PartCaches;
            for (var part = 0; part < workspace.Threads; part++)
                Assert.That(Address<float>(parts[(int)(part * workspace.PartLength)..]) % CacheLine.Bytes, Is.Zero, $"part {part} of attempt {attempt}");
            Assert.That(Address<float>(workspace.CacheFor(7, 1)) % CacheLine.Bytes, Is.Zero);
        }
    }

    [Test]
    public void PackedWeights_StartOnACacheLine()
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var weights = new LstmPackedWeights<Cell3x5, double>(new LstmParameters<Cell3x5, double>());
            Assert.That(Address(weights.Packed) % CacheLine.Bytes, Is.Zero, $"attempt {attempt}");
        }
    }

    [Test]
    public void ElementsToBoundary_LandsOnTheNextLine()
    {
        var array = GC.AllocateArray<float>(64, pinned: true);
        for (var start = 0; start < 16; start++)
        {
            var skip = CacheLine.ElementsToBoundary(ref array[start]);
            Assert.That(skip, Is.InRange(0, 15));
            Assert.That(Address<float>(array.AsSpan(start + skip)) % CacheLine.Bytes, Is.Zero, $"from element {start}");
        }
    }
}
