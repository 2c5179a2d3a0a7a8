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
using LstmGen.Tests.Support;
using NUnit.Framework;
using static LstmGen.Tests.Support.SafeTensorsMutations;

namespace LstmGen.Tests;

/// <summary>
/// Hostile files: valid weight and checkpoint files written by the library, mutated at random (seeded, so every failure
/// reproduces). Every mutation must load correctly or throw a <see cref="SafeTensorsException"/> naming the problem,
/// leave the target untouched on error, finish promptly and allocate no more than the file's size implies.
/// Saves interrupted at a random byte leave the previous file intact.
/// </summary>
public class FileFuzzTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "lstmgen-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    // ---------------------------------------------------------------- random mutations (engine: Support/FileFuzzer.cs)

    // 4,000 mutations in about 4 s (seen: 207 loaded correctly, 3,795 rejected, slowest load 13 ms).
    [Test]
    public void Fuzz_MutatedWeightAndCheckpointFiles_LoadCorrectlyOrFailCleanly()
    {
        var clock = Stopwatch.StartNew();
        var stats = new FileFuzzer(_folder).Fuzz(seed: 2026, iterations: 4000);
        TestContext.Out.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s");
        Assert.That(stats.Rejected, Is.GreaterThan(stats.Iterations / 2), "most mutations must be caught");
        Assert.That(stats.Loaded, Is.GreaterThan(2), "some mutations (data bytes, swapped equal-size tensors, whitespace) load");
    }

    [Test, Category("Slow")]
    public void Fuzz_BigSweep([Values(1, 2, 3, 4, 5)] int seed)
    {
        var stats = new FileFuzzer(_folder).Fuzz(seed, iterations: 20_000);
        Assert.That(stats.Rejected, Is.GreaterThan(stats.Iterations / 2));
    }

    // ---------------------------------------------------------------- named hostile inputs (regressions)

    public static IEnumerable<TestCaseData> HostileCases()
    {
        yield return new TestCaseData(false, (Func<byte[], byte[]>)(v => { var b = (byte[])v.Clone(); BinaryPrimitives.WriteUInt64LittleEndian(b, 1UL << 63); return b; }),
            "the header length is 9223372036854775808 bytes, more than the format's limit").SetName("HeaderLength_2pow63");
        yield return new TestCaseData(false, (Func<byte[], byte[]>)(v => { var b = (byte[])v.Clone(); BinaryPrimitives.WriteUInt64LittleEndian(b, ulong.MaxValue); return b; }),
            "more than the format's limit").SetName("HeaderLength_Negative");
        yield return new TestCaseData(false, (Func<byte[], byte[]>)(v => Patch(v, r => { r["head.bias"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(1L << 38), ["data_offsets"] = new JsonArray(0, 1L << 40) }; return r; })),
            "tensor 'head.bias'").SetName("OneTerabyteTensor");
        yield return new TestCaseData(false, (Func<byte[], byte[]>)(v => Patch(v, r => { r["head.bias"]!["shape"] = new JsonArray(1L << 62, 1L << 62); return r; })),
            "tensor 'head.bias': the shape is too large").SetName("ShapeOverflow");
        yield return new TestCaseData(false, (Func<byte[], byte[]>)(v => Patch(v, r => { r["head.bias"]!["shape"] = new JsonArray(1L << 61); r["head.bias"]!["data_offsets"] = new JsonArray(0, 8); return r; })),
            "tensor 'head.bias': shape [2305843009213693952] of F32 needs more than").SetName("ByteCountOverflow");
        yield return new TestCaseData(false, (Func<byte[], byte[]>)(v =>
            {
                var (header, data) = Split(v);
                var at = header.IndexOf("\"head.bias\"", StringComparison.Ordinal) + 1;
                var bytes = Build(header, data);
                bytes[8 + at] = 0xFF;
                return bytes;
            }), "the header is not valid UTF-8").SetName("InvalidUtf8");
        yield return new TestCaseData(false, (Func<byte[], byte[]>)(v =>
            {
                var (header, data) = Split(v);
                return Build(header.Replace("\"note\"", "\"no\\ud800te\"", StringComparison.Ordinal), data);
            }), "not valid Unicode").SetName("LoneSurrogateEscape");
        yield return new TestCaseData(false, (Func<byte[], byte[]>)(v =>
            {
                var (header, data) = Split(v);
                return Build(header.Replace("\"note\":\"valid\"", "\"note\":\"valid\",\"note\":\"twice\"", StringComparison.Ordinal), data);
            }), "'__metadata__' names 'note' twice").SetName("DuplicateMetadataKey");
        yield return new TestCaseData(true, (Func<byte[], byte[]>)(v => PatchMetadata(v, "optimizer.lr", "Infinity")),
            "metadata 'optimizer.lr' is 'Infinity', expected a finite non-negative number").SetName("InfiniteLearningRate");
        yield return new TestCaseData(true, (Func<byte[], byte[]>)(v => PatchMetadata(v, "schedule.state", "{\"epoch\":\"1e20\",\"base_lr\":\"0.01\",\"lr\":\"0.01\"}")),
            "the schedule state's 'epoch' is 1E+20, expected a non-negative integer").SetName("ScheduleEpochOverflow");
        yield return new TestCaseData(true, (Func<byte[], byte[]>)(v => PatchMetadata(v, "schedule.state", "{\"epoch\":\"3\",\"base_lr\":\"0.01\"}")),
            "the schedule state has no 'lr'").SetName("ScheduleStateMissingKey");
        yield return new TestCaseData(true, (Func<byte[], byte[]>)(v => PatchMetadata(v, "schedule.state", "{\"epoch\":\"3\",\"base_lr\":\"0.01\",\"lr\":\"-1\"}")),
            "the schedule state's 'lr' is -1").SetName("ScheduleNegativeRate");
        yield return new TestCaseData(true, (Func<byte[], byte[]>)(v => PatchMetadata(v, "schedule.state", "{\"\\ud800\":\"1\"}")),
            "metadata 'schedule.state' is not a JSON object of numbers").SetName("ScheduleStateLoneSurrogate");
    }

    [TestCaseSource(nameof(HostileCases))]
    public void HostileFile_IsRejected_WithAClearMessage_AndNothingChanges(bool checkpoint, Func<byte[], byte[]> mutate, string fragment)
    {
        var (weights, checkpointBytes) = new FileFuzzer(_folder).ValidFiles();
        var bytes = mutate(checkpoint ? checkpointBytes : weights);
        var target = new FuzzTarget(seed: 5);
        var baseline = target.Snapshot();
        var path = Path.Combine(_folder, "hostile.safetensors");
        File.WriteAllBytes(path, bytes);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SafeTensorsException>(() =>
        {
            if (checkpoint) target.Load(path);
            else ModelWeights.Load(path, target.Network);
        })!;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        TestContext.Out.WriteLine($"{error.Message}\nallocated {allocated} bytes for a {bytes.Length}-byte file");
        Assert.That(error.Message, Does.Contain(fragment));
        Assert.That(allocated, Is.LessThanOrEqualTo(FileFuzzer.AllocationBound(bytes.Length)));
        Assert.That(target.Snapshot(), Is.EqualTo(baseline));
    }

    // ---------------------------------------------------------------- crash safety

    [Test]
    public void InterruptedSaves_LeaveThePreviousCheckpointIntactAndLoadable()
    {
        var path = Path.Combine(_folder, "run.ckpt.safetensors");
        var source = new FuzzTarget(seed: 21);
        var random = new Random(9);

        // A save that fails before any file exists leaves nothing behind.
        AtomicFile.WrapStreamForTesting = s => new CrashingStream(s, 100);
        try
        {
            Assert.Throws<IOException>(() => source.Save(path, step: 1));
        }
        finally
        {
            AtomicFile.WrapStreamForTesting = null;
        }
        Assert.That(Directory.GetFiles(_folder), Is.Empty);

        source.Save(path, step: 2);
        var saved = File.ReadAllBytes(path);
        var savedState = source.Snapshot();
        var length = saved.Length;
        // A stale temporary file from a process killed mid-save is harmless: it is neither read nor in the way.
        var stale = Path.Combine(_folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(stale, saved[..(length / 3)]);

        var limits = new List<long> { 0, 1, 7, 8, 9, length / 2, length - 1, length, length + 100 };
        for (var i = 0; i < 40; i++) limits.Add(random.NextInt64(0, length + 1));
        foreach (var limit in limits)
        {
            // Change the model so the new save differs, then crash it after `limit` bytes (or at the final flush).
            foreach (var p in source.Network.Parameters) p.Value.Span[0] += 1;
            AtomicFile.WrapStreamForTesting = s => new CrashingStream(s, limit);
            try
            {
                var error = Assert.Throws<IOException>(() => source.Save(path, step: 3))!;
                Assert.That(error.Message, Does.StartWith("simulated crash"));
            }
            finally
            {
                AtomicFile.WrapStreamForTesting = null;
            }
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(saved), $"crash after {limit} bytes changed the previous checkpoint");
            Assert.That(Directory.GetFiles(_folder).OrderBy(f => f), Is.EqualTo(new[] { path, stale }.OrderBy(f => f)), $"crash after {limit} bytes left a temporary file");
        }

        var resumed = new FuzzTarget(seed: 99);
        resumed.Load(path);
        Assert.That(resumed.Snapshot(), Is.EqualTo(savedState), "the previous checkpoint loads exactly");

        // And a save that is not interrupted replaces it.
        source.Save(path, step: 4);
        Assert.That(File.ReadAllBytes(path), Is.Not.EqualTo(saved));
        new FuzzTarget(seed: 98).Load(path);
    }
}
