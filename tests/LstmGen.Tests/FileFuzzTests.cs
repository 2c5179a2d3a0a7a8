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

    // ---------------------------------------------------------------- the objects files are loaded into

    private sealed class Target
    {
        public Target(int seed)
        {
            Network = new LstmNetworkBuilder<float>().Embedding(7, 3).Lstm<Net3x4>(bidirectional: true).Lstm<Net8x4>().Dropout(0.2)
                .Linear(5).Build(seed);
            Optimizer = new AdamW<float>(Network.Parameters, learningRate: 1e-2);
            Schedule = new CosineLearningRate(Optimizer, period: 20, minimum: 1e-4);
            Data = new DeterministicRandom(seed + 100);
            // Non-trivial optimiser state: two steps on pseudo-random gradients.
            var random = new Random(seed);
            for (var step = 0; step < 2; step++)
            {
                foreach (var p in Network.Parameters)
                    foreach (ref var g in p.Gradient.Span) g = (float)(random.NextDouble() - 0.5);
                Optimizer.Step();
                Schedule.Step();
            }
        }

        public LstmNetwork<float> Network { get; }
        public AdamW<float> Optimizer { get; }
        public CosineLearningRate Schedule { get; }
        public DeterministicRandom Data { get; }
        public Dictionary<string, DeterministicRandom> Generators => new() { ["data"] = Data };

        public void Save(string path, long step) => Checkpoint.Save(path, Network, Optimizer, step, Schedule, Generators,
            new Dictionary<string, string> { ["note"] = "fuzz" });

        public void Load(string path) => Checkpoint.Load(path, Network, Optimizer, Schedule, Generators);

        /// <summary>Every bit a load could change.</summary>
        public string Snapshot()
        {
            var text = new StringBuilder();
            foreach (var p in Network.Parameters) text.Append(Convert.ToHexString(p.Value.Span.ToArray().SelectMany(BitConverter.GetBytes).ToArray()));
            foreach (var state in Optimizer.StateNames)
                for (var i = 0; i < Optimizer.Parameters.Count; i++)
                    text.Append(Convert.ToHexString(Optimizer.State(state, i).ToArray().SelectMany(BitConverter.GetBytes).ToArray()));
            text.Append($"|{Optimizer.StepCount}|{Optimizer.LearningRate:R}|");
            foreach (var (key, value) in Schedule.GetState()) text.Append($"{key}={value:R};");
            text.Append(string.Join(",", Network.Lstm.DropoutRandom?.GetState() ?? Array.Empty<ulong>())).Append('|').Append(string.Join(",", Data.GetState()));
            return text.ToString();
        }
    }

    // ---------------------------------------------------------------- running one hostile file

    private sealed class Stats
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
    private static long AllocationBound(long fileLength) => 4 * fileLength + 256 * 1024;

    private void Check(byte[] bytes, string what, bool checkpoint, Target target, string baseline, Stats stats, Random random)
    {
        var path = Path.Combine(_folder, checkpoint ? "fuzz.ckpt.safetensors" : "fuzz.safetensors");
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
    private static void AssertLoadedExactly(byte[] bytes, Target target, bool checkpoint, string repro)
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

    // ---------------------------------------------------------------- mutations

    private static readonly long[] InterestingNumbers =
    {
        0, 1, 3, 4, 7, 8, 12, 16, 84, 255, 256, 4095, 65536, int.MaxValue, (long)int.MaxValue + 1, uint.MaxValue, 1L << 32,
        1L << 38, 1L << 40, 1L << 53, 1L << 62, long.MaxValue, -1, -8, long.MinValue,
    };

    private static readonly ulong[] InterestingHeaderLengths =
    {
        0, 1, 2, 7, 8, 100_000_000, 100_000_001, uint.MaxValue, 1UL << 32, 1UL << 40, 1UL << 63, ulong.MaxValue, ulong.MaxValue - 7,
        (ulong)long.MaxValue, (ulong)int.MaxValue, (ulong)int.MaxValue + 1,
    };

    private static readonly string[] DTypes = { "F32", "F64", "F16", "BF16", "I32", "I64", "U8", "BOOL", "F8_E4M3", "f32", "F 32", "", "XYZ", "F32\u0000" };

    private static readonly string[] MetadataValues =
    {
        "", "-1", "0", "1", "18446744073709551616", "99999999999999999999", "Infinity", "-Infinity", "NaN", "1e400", "-0", "0x10", " 5",
        "x", "{}", "[]", "{\"epoch\":\"1e20\",\"base_lr\":\"0.01\",\"lr\":\"0.01\"}", "{\"epoch\":\"3\",\"base_lr\":\"0.01\",\"lr\":\"Infinity\"}",
        "{\"epoch\":\"3\",\"base_lr\":\"0.01\"}", "{\"epoch\":\"-3\",\"base_lr\":\"0.01\",\"lr\":\"0.01\"}", "{\"epoch\":\"2.5\",\"base_lr\":\"0.01\",\"lr\":\"0.01\"}",
        "{\"epoch\":\"3\",\"base_lr\":\"NaN\",\"lr\":\"0.01\"}", "{\"\\ud800\":\"1\"}", "{\"epoch\":\"\\udc00\"}", "0,0,0,0", "1,2,3", "1,2,3,4,5", "g,1,2,3",
        "ffffffffffffffffff,1,2,3", "1,2,3,4", "AdamW", "Sgd", "lstmgen-checkpoint-2", "lstmgen-checkpoint-1", "CosineLearningRate", "StepLearningRate",
    };

    private static byte[] Build(string header, ReadOnlySpan<byte> data, bool pad = true)
    {
        var text = Encoding.UTF8.GetBytes(header);
        var length = pad ? (text.Length + 7) / 8 * 8 : text.Length;
        var bytes = new byte[8 + length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)length);
        text.CopyTo(bytes, 8);
        bytes.AsSpan(8 + text.Length, length - text.Length).Fill((byte)' ');
        data.CopyTo(bytes.AsSpan(8 + length));
        return bytes;
    }

    private static (string Header, byte[] Data) Split(byte[] valid)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        return (Encoding.UTF8.GetString(valid, 8, headerLength).TrimEnd(' '), valid[(8 + headerLength)..]);
    }

    private static JsonNode Interesting(Random random) => random.Next(6) switch
    {
        0 => JsonValue.Create(1.5),
        1 => JsonValue.Create("3")!,
        2 => new JsonArray(),
        3 => JsonValue.Create(1e300),
        _ => JsonValue.Create(InterestingNumbers[random.Next(InterestingNumbers.Length)]),
    };

    private static long Number(Random random, long near)
        => random.Next(3) == 0 ? InterestingNumbers[random.Next(InterestingNumbers.Length)] : Math.Max(0, near + random.Next(-9, 10));

    /// <summary>One random mutation of a valid file; <paramref name="what"/> describes it for the failure message.</summary>
    private static byte[] Mutate(byte[] valid, Random random, out string what, bool bytesOnly = false)
    {
        var choice = bytesOnly ? random.Next(3) : random.Next(10);
        var (header, data) = choice is >= 3 and <= 8 ? Split(valid) : ("", Array.Empty<byte>());
        switch (choice)
        {
            case 0:
            {
                var cut = random.Next(valid.Length);
                what = $"truncate to {cut}";
                return valid[..cut];
            }
            case 1:
            {
                var bytes = (byte[])valid.Clone();
                var count = 1 + random.Next(4);
                var headerOnly = random.Next(2) == 0;
                var positions = new List<int>();
                for (var i = 0; i < count; i++)
                {
                    var headerEnd = (int)Math.Min((ulong)valid.Length, 8 + BinaryPrimitives.ReadUInt64LittleEndian(valid));
                    var at = headerOnly && headerEnd > 8 ? 8 + random.Next(headerEnd - 8) : random.Next(valid.Length);
                    bytes[at] ^= (byte)(1 + random.Next(255));
                    positions.Add(at);
                }
                what = $"flip bytes at {string.Join(",", positions)}";
                return bytes;
            }
            case 2:
            {
                var bytes = (byte[])valid.Clone();
                var length = random.Next(3) switch
                {
                    0 => InterestingHeaderLengths[random.Next(InterestingHeaderLengths.Length)],
                    1 => (ulong)Math.Max(0, valid.Length - 8 + random.Next(-16, 17)),
                    _ => (ulong)random.NextInt64(long.MinValue, long.MaxValue),
                };
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
                what = $"header length {length}";
                return bytes;
            }
            case 3:
            case 4:
            case 5:
            case 6:
                return MutateStructure(header, data, random, out what);
            case 7:
                return MutateText(header, data, random, out what);
            case 8:
            {
                var extra = random.Next(1, 64);
                what = random.Next(2) == 0 ? $"append {extra} bytes" : $"remove {Math.Min(extra, data.Length)} data bytes and shrink nothing";
                return what.StartsWith("append", StringComparison.Ordinal)
                    ? valid.Concat(Enumerable.Repeat((byte)0x41, extra)).ToArray()
                    : valid[..(valid.Length - Math.Min(extra, data.Length))];
            }
            default:
            {
                var first = Mutate(valid, random, out var firstWhat);
                if (first.Length < 8) { what = firstWhat; return first; }
                var second = Mutate(first, random, out var secondWhat, bytesOnly: true);
                what = firstWhat + " then " + secondWhat;
                return second;
            }
        }
    }

    private static byte[] MutateStructure(string header, byte[] data, Random random, out string what)
    {
        try
        {
            return TryMutateStructure(header, data, random, out what);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException or NullReferenceException or ArgumentException)
        {
            // An earlier (chained) mutation left a header this mutator cannot navigate: mutate the text instead.
            return MutateText(header, data, random, out what);
        }
    }

    private static byte[] TryMutateStructure(string header, byte[] data, Random random, out string what)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(header)!.AsObject();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // An earlier mutation (chained) broke the JSON: fall back to a text mutation.
            return MutateText(header, data, random, out what);
        }
        var names = root.Select(p => p.Key).Where(k => k != SafeTensorsFile.MetadataKey).ToList();
        var name = names.Count > 0 ? names[random.Next(names.Count)] : "";
        var entry = names.Count > 0 ? root[name] as JsonObject : null;
        var extraData = data;
        switch (random.Next(entry is null ? 1 : 13))
        {
            case 0:
            {
                // Metadata: change, remove or retype a key, or the whole map.
                var meta = root[SafeTensorsFile.MetadataKey] as JsonObject;
                var keys = meta?.Select(p => p.Key).ToList() ?? new List<string>();
                var op = random.Next(5);
                if (meta is null || keys.Count == 0 || op == 0)
                {
                    JsonNode? replacement = random.Next(3) switch { 0 => new JsonArray(), 1 => JsonValue.Create(5), _ => null };
                    if (replacement is null) root.Remove(SafeTensorsFile.MetadataKey);
                    else root[SafeTensorsFile.MetadataKey] = replacement;
                    what = $"metadata map replaced by {replacement?.ToJsonString() ?? "nothing"}";
                }
                else
                {
                    var key = keys[random.Next(keys.Count)];
                    switch (op)
                    {
                        case 1: meta.Remove(key); what = $"metadata '{key}' removed"; break;
                        case 2: meta[key] = JsonValue.Create(7); what = $"metadata '{key}' = 7 (a number)"; break;
                        default:
                            var value = MetadataValues[random.Next(MetadataValues.Length)];
                            meta[key] = value;
                            what = $"metadata '{key}' = '{value}'";
                            break;
                    }
                }
                break;
            }
            case 1:
            {
                var offsets = entry!["data_offsets"]!.AsArray();
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                var other = root[names[random.Next(names.Count)]]!["data_offsets"]!.AsArray();
                (JsonNode, JsonNode) pair = random.Next(4) switch
                {
                    0 => (JsonValue.Create(Number(random, begin)), JsonValue.Create(Number(random, end))),
                    1 => (other[0]!.DeepClone(), other[1]!.DeepClone()),                 // overlap another tensor
                    2 => (JsonValue.Create(end), JsonValue.Create(begin)),               // reversed
                    _ => (Interesting(random), Interesting(random)),
                };
                entry["data_offsets"] = new JsonArray(pair.Item1, pair.Item2);
                what = $"'{name}' data_offsets {entry["data_offsets"]!.ToJsonString()}";
                break;
            }
            case 2:
            {
                var dtype = DTypes[random.Next(DTypes.Length)];
                entry!["dtype"] = random.Next(8) == 0 ? JsonValue.Create(4) : dtype;
                what = $"'{name}' dtype {entry["dtype"]!.ToJsonString()}";
                break;
            }
            case 3:
            {
                var shape = entry!["shape"]!.AsArray();
                switch (random.Next(5))
                {
                    case 0 when shape.Count > 0: shape[random.Next(shape.Count)] = Interesting(random); break;
                    case 1: shape.Add(JsonValue.Create(random.Next(3))); break;
                    case 2 when shape.Count > 0: shape.RemoveAt(random.Next(shape.Count)); break;
                    case 3: entry["shape"] = new JsonArray(JsonValue.Create(1L << 38)); entry["data_offsets"] = new JsonArray(0, 1L << 40); break; // 1 TB
                    default: entry["shape"] = new JsonArray(JsonValue.Create(1 << 20), JsonValue.Create(1 << 20), JsonValue.Create(1 << 20)); break;
                }
                what = $"'{name}' shape {entry["shape"]!.ToJsonString()} offsets {entry["data_offsets"]!.ToJsonString()}";
                break;
            }
            case 4:
                root.Remove(name);
                what = $"'{name}' removed (its bytes stay)";
                break;
            case 5:
            {
                // Remove a tensor and its bytes: a consistent file that lacks a tensor.
                var offsets = entry!["data_offsets"]!.AsArray();
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                root.Remove(name);
                foreach (var n in names.Where(n => n != name))
                {
                    var o = root[n]!["data_offsets"]!.AsArray();
                    if (o[0]!.GetValue<long>() >= end) root[n]!["data_offsets"] = new JsonArray(o[0]!.GetValue<long>() - (end - begin), o[1]!.GetValue<long>() - (end - begin));
                }
                extraData = data[..(int)begin].Concat(data[(int)end..]).ToArray();
                what = $"'{name}' removed with its bytes";
                break;
            }
            case 6:
            {
                var count = random.Next(0, 5);
                var extraName = random.Next(3) == 0 ? "model." + name + ".extra" : "extra" + random.Next(3);
                root[extraName] = new JsonObject
                {
                    ["dtype"] = "F32", ["shape"] = new JsonArray(count), ["data_offsets"] = new JsonArray(data.Length, data.Length + 4 * count),
                };
                extraData = data.Concat(new byte[4 * count]).ToArray();
                what = $"extra tensor '{extraName}' F32 [{count}]";
                break;
            }
            case 7:
            {
                var newName = random.Next(3) switch { 0 => name + " ", 1 => name.ToUpperInvariant(), _ => "\u00e9" + name };
                root.Remove(name);
                root[newName] = entry;
                what = $"'{name}' renamed to '{newName}'";
                break;
            }
            case 8:
            {
                JsonNode? replacement = random.Next(4) switch { 0 => JsonValue.Create(1), 1 => new JsonArray(), 2 => JsonValue.Create("F32"), _ => null };
                root[name] = replacement;
                what = $"'{name}' entry replaced by {replacement?.ToJsonString() ?? "null"}";
                break;
            }
            case 9:
            {
                // Swap two tensors' data_offsets: same size gives a valid file with swapped values (must load exactly that).
                var other = names[random.Next(names.Count)];
                var a = entry!["data_offsets"]!.DeepClone();
                entry["data_offsets"] = root[other]!["data_offsets"]!.DeepClone();
                root[other]!["data_offsets"] = a;
                what = $"data_offsets of '{name}' and '{other}' swapped";
                break;
            }
            case 10:
            {
                var field = new[] { "dtype", "shape", "data_offsets" }[random.Next(3)];
                entry!.Remove(field);
                what = $"'{name}' without {field}";
                break;
            }
            case 11:
                entry!["data_offsets"] = random.Next(2) == 0 ? new JsonArray(0) : new JsonArray(0, 4, 8);
                what = $"'{name}' data_offsets {entry["data_offsets"]!.ToJsonString()}";
                break;
            default:
                entry!["shape"] = random.Next(2) == 0 ? JsonValue.Create("[3]") : new JsonArray(new JsonArray(3));
                what = $"'{name}' shape {entry["shape"]!.ToJsonString()}";
                break;
        }
        return Build(root.ToJsonString(), extraData, pad: random.Next(4) != 0);
    }

    private static byte[] MutateText(string header, byte[] data, Random random, out string what)
    {
        var text = header;
        var at = text.Length == 0 ? 0 : random.Next(text.Length);
        switch (random.Next(8))
        {
            case 0:
            {
                // Invalid UTF-8 inside the header (a lone continuation byte, an overlong encoding, a truncated sequence).
                var bad = new[] { new byte[] { 0xFF }, new byte[] { 0xC0, 0x80 }, new byte[] { 0xE2, 0x82 }, new byte[] { 0x80 }, new byte[] { 0xED, 0xA0, 0x80 } }[random.Next(5)];
                var quote = text.IndexOf('"', at);
                var utf8 = Encoding.UTF8.GetBytes(text[..(quote < 0 ? at : quote + 1)]).Concat(bad).Concat(Encoding.UTF8.GetBytes(text[(quote < 0 ? at : quote + 1)..])).ToArray();
                what = $"invalid UTF-8 {Convert.ToHexString(bad)} at header byte {Encoding.UTF8.GetByteCount(text[..(quote < 0 ? at : quote + 1)])}";
                var bytes = new byte[8 + utf8.Length + data.Length];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)utf8.Length);
                utf8.CopyTo(bytes, 8);
                data.CopyTo(bytes, 8 + utf8.Length);
                return bytes;
            }
            case 1:
            {
                // An escaped lone surrogate inside a string (valid JSON, invalid Unicode).
                var quote = text.IndexOf('"', at);
                if (quote < 0) quote = text.IndexOf('"');
                var escape = random.Next(2) == 0 ? "\\ud800" : "\\udfff";
                text = quote < 0 ? text : text[..(quote + 1)] + escape + text[(quote + 1)..];
                what = $"lone surrogate {escape} after header char {quote}";
                break;
            }
            case 2:
            {
                const string characters = "{}[],:\"\\0-e. \u0000x";
                var replacement = characters[random.Next(characters.Length)];
                text = text.Length == 0 ? text : text[..at] + replacement + text[(at + 1)..];
                what = $"header char {at} replaced by U+{(int)replacement:X4}";
                break;
            }
            case 3:
            {
                var length = random.Next(1, 40);
                length = Math.Min(length, text.Length - at);
                text = text.Remove(at, length);
                what = $"header chars {at}..{at + length} deleted";
                break;
            }
            case 4:
            {
                // A tensor entry written twice (the second under the same name).
                var match = System.Text.RegularExpressions.Regex.Matches(text, "\"[^\"]+\":\\{\"dtype\"[^}]*\\}");
                if (match.Count == 0) { what = "no entry to duplicate"; break; }
                var entry = match[random.Next(match.Count)].Value;
                text = text[..^1] + "," + entry + "}";
                what = $"duplicate entry {entry}";
                break;
            }
            case 5:
                text = random.Next(3) switch { 0 => new string('[', 5000) + new string(']', 5000), 1 => "", _ => new[] { "null", "[]", "1", "\"x\"", "{}", "\ufeff{}" }[random.Next(6)] };
                what = $"header replaced by '{(text.Length > 20 ? text[..20] + "…" : text)}'";
                break;
            case 6:
                text = text[..at] + new string(' ', random.Next(1, 9)) + "\t\r\n"[random.Next(3)] + text[at..];
                what = $"whitespace inserted at {at}";
                break;
            default:
            {
                var position = text.IndexOf(':', at);
                text = position < 0 ? text + "/*c*/" : text[..(position + 1)] + "/*c*/" + text[(position + 1)..];
                what = $"comment inserted at {position}";
                break;
            }
        }
        return Build(text, data, pad: random.Next(4) != 0);
    }

    // ---------------------------------------------------------------- the fuzz runs

    private (byte[] Weights, byte[] Checkpoint) ValidFiles()
    {
        var source = new Target(seed: 11);
        var weightsPath = Path.Combine(_folder, "valid.safetensors");
        ModelWeights.Save(weightsPath, source.Network, new Dictionary<string, string> { ["note"] = "valid" });
        var checkpointPath = Path.Combine(_folder, "valid.ckpt.safetensors");
        source.Save(checkpointPath, step: 2);
        return (File.ReadAllBytes(weightsPath), File.ReadAllBytes(checkpointPath));
    }

    private Stats Fuzz(int seed, int iterations)
    {
        var (weights, checkpoint) = ValidFiles();
        var random = new Random(seed);
        var target = new Target(seed: 5);
        var baseline = target.Snapshot();
        var stats = new Stats();
        // The unmutated files load (and the oracle agrees); then the target is rebuilt for the mutations.
        Check(weights, "unmutated weights", checkpoint: false, target, baseline, stats, random);
        Check(checkpoint, "unmutated checkpoint", checkpoint: true, target, baseline, stats, random);
        target = new Target(seed: 5);
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
                target = new Target(seed: 5);
            }
        }
        TestContext.Out.WriteLine($"seed {seed}: {stats}");
        return stats;
    }

    // 4,000 mutations in about 4 s (seen: 207 loaded correctly, 3,795 rejected, slowest load 13 ms).
    [Test]
    public void Fuzz_MutatedWeightAndCheckpointFiles_LoadCorrectlyOrFailCleanly()
    {
        var clock = Stopwatch.StartNew();
        var stats = Fuzz(seed: 2026, iterations: 4000);
        TestContext.Out.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s");
        Assert.That(stats.Rejected, Is.GreaterThan(stats.Iterations / 2), "most mutations must be caught");
        Assert.That(stats.Loaded, Is.GreaterThan(2), "some mutations (data bytes, swapped equal-size tensors, whitespace) load");
    }

    [Test, Category("Slow")]
    public void Fuzz_BigSweep([Values(1, 2, 3, 4, 5)] int seed)
    {
        var stats = Fuzz(seed, iterations: 20_000);
        Assert.That(stats.Rejected, Is.GreaterThan(stats.Iterations / 2));
    }

    // ---------------------------------------------------------------- named hostile inputs (regressions)

    private static byte[] Patch(byte[] valid, Func<JsonObject, JsonObject> edit)
    {
        var (header, data) = Split(valid);
        return Build(edit(JsonNode.Parse(header)!.AsObject()).ToJsonString(), data);
    }

    private static byte[] PatchMetadata(byte[] valid, string key, string value) => Patch(valid, root =>
    {
        root[SafeTensorsFile.MetadataKey]![key] = value;
        return root;
    });

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
        var (weights, checkpointBytes) = ValidFiles();
        var bytes = mutate(checkpoint ? checkpointBytes : weights);
        var target = new Target(seed: 5);
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
        Assert.That(allocated, Is.LessThanOrEqualTo(AllocationBound(bytes.Length)));
        Assert.That(target.Snapshot(), Is.EqualTo(baseline));
    }

    // ---------------------------------------------------------------- crash safety

    /// <summary>Passes writes through until <see cref="Limit"/> bytes, then throws (mid-write or at the final flush).</summary>
    private sealed class CrashingStream(Stream inner, long limit) : Stream
    {
        private long _written;
        public long Limit { get; } = limit;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => throw new IOException($"simulated crash at flush after {_written} bytes");
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var allowed = (int)Math.Min(buffer.Length, Math.Max(0, Limit - _written));
            inner.Write(buffer[..allowed]);
            _written += allowed;
            if (allowed < buffer.Length) throw new IOException($"simulated crash after {_written} bytes");
        }
    }

    [Test]
    public void InterruptedSaves_LeaveThePreviousCheckpointIntactAndLoadable()
    {
        var path = Path.Combine(_folder, "run.ckpt.safetensors");
        var source = new Target(seed: 21);
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

        var resumed = new Target(seed: 99);
        resumed.Load(path);
        Assert.That(resumed.Snapshot(), Is.EqualTo(savedState), "the previous checkpoint loads exactly");

        // And a save that is not interrupted replaces it.
        source.Save(path, step: 4);
        Assert.That(File.ReadAllBytes(path), Is.Not.EqualTo(saved));
        new Target(seed: 98).Load(path);
    }
}
