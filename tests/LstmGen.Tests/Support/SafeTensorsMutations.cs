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

namespace LstmGen.Tests.Support;

/// <summary>
/// Mutations of valid safetensors files for the file fuzzer: byte flips, interesting lengths and numbers, structural
/// edits of the JSON header (dtypes, shapes, offsets, metadata) and textual edits, each described for the failure message.
/// </summary>
internal static class SafeTensorsMutations
{
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

    public static byte[] Build(string header, ReadOnlySpan<byte> data, bool pad = true)
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

    public static (string Header, byte[] Data) Split(byte[] valid)
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
    public static byte[] Mutate(byte[] valid, Random random, out string what, bool bytesOnly = false)
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

    public static byte[] Patch(byte[] valid, Func<JsonObject, JsonObject> edit)
    {
        var (header, data) = Split(valid);
        return Build(edit(JsonNode.Parse(header)!.AsObject()).ToJsonString(), data);
    }

    public static byte[] PatchMetadata(byte[] valid, string key, string value) => Patch(valid, root =>
    {
        root[SafeTensorsFile.MetadataKey]![key] = value;
        return root;
    });
}
