using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstmGen.IO;
using LstmGen.Layers;
using LstmGen.Optimizers;
using LstmGen.Training;
using NUnit.Framework;
using static LstmGen.Tests.Support.SafeTensorsMutations;

namespace LstmGen.Tests.Support;

/// <summary>
/// Runs mutated files through <see cref="ModelWeights"/> and <see cref="Checkpoint"/> loads in <paramref name="folder"/>:
/// each must load exactly (checked by an independent decoder) or throw a <see cref="SafeTensorsException"/> that names
/// the file, leaving the target unchanged, within a time and allocation bound.
/// </summary>
internal sealed class FileFuzzer(string folder)
{
    public sealed class Stats
    {
        public int Iterations, Loaded, Rejected;
        public long PeakAllocated, PeakAllocatedFileLength;
        public double PeakRatio, SlowestMilliseconds;
        public readonly Dictionary<string, int> ByKind = new();

        public override string ToString()
            => $"{Iterations} files: {Loaded} loaded correctly, {Rejected} rejected; peak allocation {PeakAllocated} bytes "
               + $"(file {PeakAllocatedFileLength} bytes), peak ratio allocation/file {PeakRatio:F2}; slowest load {SlowestMilliseconds:F1} ms; "
               + string.Join(", ", ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"));
    }

    /// <summary>Allocation allowed per load: a small multiple of the file (bytes, decoded copies, header objects) plus a constant.</summary>
    public static long AllocationBound(long fileLength) => 4 * fileLength + 256 * 1024;

    private void Check(byte[] bytes, string what, bool checkpoint, FuzzTarget target, string baseline, Stats stats, Random random)
    {
        var path = Path.Combine(folder, checkpoint ? "fuzz.ckpt.safetensors" : "fuzz.safetensors");
        File.WriteAllBytes(path, bytes);
        var options = new WeightLoadOptions { AllowPrecisionConversion = random.Next(2) == 0, AllowExtraTensors = random.Next(4) == 0 };
        Exception? error = null;
        var clock = Stopwatch.StartNew();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (checkpoint) target.Load(path);
            else ModelWeights.Load(path, target.Network, options);
        }
        catch (Exception e)
        {
            error = e;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        clock.Stop();

        stats.Iterations++;
        stats.SlowestMilliseconds = Math.Max(stats.SlowestMilliseconds, clock.Elapsed.TotalMilliseconds);
        if (allocated > stats.PeakAllocated) (stats.PeakAllocated, stats.PeakAllocatedFileLength) = (allocated, bytes.Length);
        stats.PeakRatio = Math.Max(stats.PeakRatio, (allocated - 64 * 1024) / (double)Math.Max(bytes.Length, 1));
        var repro = $"[{what}] ({bytes.Length} bytes, {(checkpoint ? "checkpoint" : "weights")})";

        if (error is not null and not SafeTensorsException)
            Assert.Fail($"{repro}: {error.GetType().Name} escaped instead of a SafeTensorsException:\n{error}");
        Assert.That(allocated, Is.LessThanOrEqualTo(AllocationBound(bytes.Length)), $"{repro}: allocated {allocated} bytes");
        Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(5), $"{repro}: took {clock.Elapsed}");
        if (error is SafeTensorsException rejection)
        {
            stats.Rejected++;
            Assert.That(rejection.FileName, Is.EqualTo(path), repro);
            Assert.That(rejection.Problems, Is.Not.Empty, repro);
            Assert.That(rejection.Message, Does.StartWith(path + ":"), repro);
            Assert.That(target.Snapshot(), Is.EqualTo(baseline), $"{repro}: the target changed although loading failed: {rejection.Message}");
        }
        else
        {
            stats.Loaded++;
            AssertLoadedExactly(bytes, target, checkpoint, repro);
        }
    }

    /// <summary>An independent decoder: after a successful load every tensor holds exactly the file's values.</summary>
    private static void AssertLoadedExactly(byte[] bytes, FuzzTarget target, bool checkpoint, string repro)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;
        float[] Values(string name)
        {
            var entry = header.RootElement.GetProperty(name);
            var begin = entry.GetProperty("data_offsets")[0].GetInt64();
            var end = entry.GetProperty("data_offsets")[1].GetInt64();
            var raw = bytes.AsMemory(dataStart + (int)begin, (int)(end - begin));
            return entry.GetProperty("dtype").GetString() == "F64"
                ? Enumerable.Range(0, raw.Length / 8).Select(i => (float)BitConverter.ToDouble(raw.Span.Slice(i * 8, 8))).ToArray()
                : Enumerable.Range(0, raw.Length / 4).Select(i => BitConverter.ToSingle(raw.Span.Slice(i * 4, 4))).ToArray();
        }
        static int[] Bits(IEnumerable<float> values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

        var prefix = checkpoint ? "model." : "";
        foreach (var p in target.Network.Parameters)
            Assert.That(Bits(p.Value.ToArray()), Is.EqualTo(Bits(Values(prefix + p.Name))), $"{repro}: {p.Name}");
        if (!checkpoint) return;
        foreach (var state in target.Optimizer.StateNames)
            for (var i = 0; i < target.Optimizer.Parameters.Count; i++)
                Assert.That(Bits(target.Optimizer.State(state, i).ToArray()),
                    Is.EqualTo(Bits(Values($"optimizer.{state}.{target.Optimizer.Parameters[i].Name}"))), $"{repro}: {state} {i}");
    }

    public (byte[] Weights, byte[] Checkpoint) ValidFiles()
    {
        var source = new FuzzTarget(seed: 11);
        var weightsPath = Path.Combine(folder, "valid.safetensors");
        ModelWeights.Save(weightsPath, source.Network, new Dictionary<string, string> { ["note"] = "valid" });
        var checkpointPath = Path.Combine(folder, "valid.ckpt.safetensors");
        source.Save(checkpointPath, step: 2);
        return (File.ReadAllBytes(weightsPath), File.ReadAllBytes(checkpointPath));
    }

    public Stats Fuzz(int seed, int iterations)
    {
        var (weights, checkpoint) = ValidFiles();
        var random = new Random(seed);
        var target = new FuzzTarget(seed: 5);
        var baseline = target.Snapshot();
        var stats = new Stats();
        // The unmutated files load (and the oracle agrees); then the target is rebuilt for the mutations.
        Check(weights, "unmutated weights", checkpoint: false, target, baseline, stats, random);
        Check(checkpoint, "unmutated checkpoint", checkpoint: true, target, baseline, stats, random);
        target = new FuzzTarget(seed: 5);
        for (var i = 0; i < iterations; i++)
        {
            var useCheckpoint = random.Next(2) == 0;
            var mutated = Mutate(useCheckpoint ? checkpoint : weights, random, out var what);
            var kind = what.Split(' ')[0];
            stats.ByKind[kind] = stats.ByKind.GetValueOrDefault(kind) + 1;
            var before = stats.Loaded;
            Check(mutated, $"seed {seed} iteration {i}: {what}", useCheckpoint, target, baseline, stats, random);
            if (stats.Loaded != before)
            {
                // A mutation that loaded changed the target: start again from known values.
                target = new FuzzTarget(seed: 5);
            }
        }
        TestContext.Out.WriteLine($"seed {seed}: {stats}");
        return stats;
    }
}
