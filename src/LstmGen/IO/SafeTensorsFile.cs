using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace LstmGen.IO;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">Element type, e.g. <c>F32</c>.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Begin">First byte in the data section.</param>
/// <param name="End">One past the last byte in the data section.</param>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Shape) count *= d;
            return count;
        }
    }

    /// <summary>The shape as <c>[a, b]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>
/// A whole safetensors file in memory (format: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
/// <c>{name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}</c>, then the raw little-endian data).
/// </summary>
/// <remarks>
/// Reading validates the whole structure as the reference implementation does: the header length fits the file and
/// is at most 100 MB, the header is a JSON object, every entry has a known dtype, a shape of non-negative integers and
/// offsets whose span equals shape × dtype size, the entries tile the data section exactly (no gap, overlap or
/// trailing bytes), and names are unique. Any failure throws a <see cref="SafeTensorsException"/> naming the tensor.
/// </remarks>
public sealed class SafeTensorsFile
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>The reserved header key of the metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    private readonly byte[] _bytes;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    private SafeTensorsFile(string source, byte[] bytes, long dataStart, List<SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Source = source;
        _bytes = bytes;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
        _byName = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
        foreach (var t in tensors) _byName[t.Name] = t;
    }

    /// <summary>Where the bytes came from (for messages).</summary>
    public string Source { get; }

    /// <summary>Tensor entries in header order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates a file.</summary>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (!stream.CanSeek)
            throw Fail(path, "the file is not a regular file (its length is unknown).");
        var length = stream.Length;
        if (length > Array.MaxLength)
            throw Fail(path, $"the file has {length} bytes; files over {Array.MaxLength} bytes are not supported.");
        // Check the header length against the file's length before allocating anything for the file.
        Span<byte> prefix = stackalloc byte[8];
        if (length >= 8)
        {
            stream.ReadExactly(prefix);
            CheckHeaderLength(path, BinaryPrimitives.ReadUInt64LittleEndian(prefix), length);
        }
        var bytes = new byte[length];
        stream.Position = 0;
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw Fail(path, $"the file became shorter than {length} bytes while it was read.");
        }
        return Parse(bytes, path);
    }

    private static void CheckHeaderLength(string source, ulong headerLength, long fileLength)
    {
        if (headerLength > MaxHeaderLength)
            throw Fail(source, $"the header length is {headerLength} bytes, more than the format's limit of {MaxHeaderLength}: this is not a safetensors file.");
        if ((long)headerLength > fileLength - 8)
            throw Fail(source, $"the header length is {headerLength} bytes but only {fileLength - 8} bytes follow: the file is truncated.");
    }

    /// <summary>Validates a file's bytes; <paramref name="source"/> names them in messages.</summary>
    public static SafeTensorsFile Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 8)
            throw Fail(source, $"the file has {bytes.Length} bytes, fewer than the 8-byte header length: it is truncated.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        CheckHeaderLength(source, headerLength, bytes.Length);
        var dataStart = 8 + (long)headerLength;
        var dataLength = bytes.Length - dataStart;
        var header = bytes.AsMemory(8, (int)headerLength);
        if (!Utf8.IsValid(header.Span))
            throw Fail(source, $"the header is not valid UTF-8 (first bad byte at offset {8 + FirstInvalidUtf8(header.Span)}).");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Fail(source, $"the header is not valid JSON ({e.Message}).");
        }
        using (document)
        {
            try
            {
                return ParseHeader(source, bytes, document.RootElement, dataStart, dataLength);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json's way of reporting a string it cannot decode, e.g. an escaped lone surrogate "\ud800".
                throw Fail(source, $"the header holds a string that is not valid Unicode ({e.Message}).");
            }
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> text)
    {
        var at = 0;
        while (at < text.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(text[at..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done) return at;
            at += consumed;
        }
        return at;
    }

    private static SafeTensorsFile ParseHeader(string source, byte[] bytes, JsonElement root, long dataStart, long dataLength)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"the header must be a JSON object, found {root.ValueKind}.");
        var tensors = new List<SafeTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name))
                throw Fail(source, $"the header names '{property.Name}' twice.", property.Name);
            if (property.Name == MetadataKey)
            {
                ReadMetadata(source, property.Value, metadata);
                continue;
            }
            tensors.Add(ReadEntry(source, property.Name, property.Value, dataLength));
        }
        CheckTiling(source, tensors, dataLength);
        return new SafeTensorsFile(source, bytes, dataStart, tensors, metadata);
    }

    /// <summary>Finds a tensor entry by name.</summary>
    public bool TryGetTensor(string name, out SafeTensorInfo info) => _byName.TryGetValue(name, out info!);

    /// <summary>The raw bytes of a tensor.</summary>
    public ReadOnlySpan<byte> RawData(SafeTensorInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!_byName.TryGetValue(info.Name, out var own) || !ReferenceEquals(own, info))
            throw new ArgumentException($"Tensor '{info.Name}' is not an entry of {Source}.", nameof(info));
        return _bytes.AsSpan((int)(_dataStart + info.Begin), (int)(info.End - info.Begin));
    }

    /// <summary>
    /// Decodes an F32 or F64 tensor into <paramref name="destination"/> (element count must match), converting the
    /// precision when it differs from <typeparamref name="T"/>.
    /// </summary>
    public void Decode<T>(SafeTensorInfo info, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.ElementCount != destination.Length)
            throw Fail(Source, $"tensor '{info.Name}' has {info.ElementCount} elements, the destination {destination.Length}.", info.Name);
        var raw = RawData(info);
        switch (info.DType)
        {
            case SafeTensorsDType.F32:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4, 4)));
                break;
            case SafeTensorsDType.F64:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(raw.Slice(i * 8, 8)));
                break;
            default:
                throw Fail(Source, $"tensor '{info.Name}' has dtype {info.DType}; only F32 and F64 can be decoded.", info.Name);
        }
    }

    private static void ReadMetadata(string source, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind}.");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Fail(source, $"'{MetadataKey}' entry '{entry.Name}' must be a string, found {entry.Value.ValueKind}.");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw Fail(source, $"'{MetadataKey}' names '{entry.Name}' twice.");
        }
    }

    private static SafeTensorInfo ReadEntry(string source, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"tensor '{name}': the entry must be an object with dtype, shape and data_offsets, found {value.ValueKind}.", name);
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Fail(source, $"tensor '{name}': missing or non-string 'dtype'.", name);
        var dtype = dtypeElement.GetString()!;
        var size = SafeTensorsDType.SizeOf(dtype)
            ?? throw Fail(source, $"tensor '{name}': unknown dtype '{dtype}'.", name);
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Fail(source, $"tensor '{name}': missing or non-array 'shape'.", name);
        var shape = new List<long>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dimension) || dimension < 0)
                throw Fail(source, $"tensor '{name}': 'shape' must hold non-negative integers.", name);
            shape.Add(dimension);
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Fail(source, $"tensor '{name}': 'data_offsets' must be [begin, end].", name);
        var begin = Offset(source, name, offsets[0]);
        var end = Offset(source, name, offsets[1]);
        if (end < begin)
            throw Fail(source, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin.", name);
        long count = 1;
        foreach (var d in shape)
        {
            count = d == 0 ? 0 : count > long.MaxValue / d ? throw Fail(source, $"tensor '{name}': the shape is too large.", name) : count * d;
        }
        var info = new SafeTensorInfo(name, dtype, shape.ToArray(), begin, end);
        if (count > long.MaxValue / size)
            throw Fail(source, $"tensor '{name}': shape {info.ShapeText} of {dtype} needs more than {long.MaxValue} bytes.", name);
        if (end - begin != count * size)
            throw Fail(source, $"tensor '{name}': shape {info.ShapeText} of {dtype} needs {count * size} bytes, but data_offsets [{begin}, {end}] span {end - begin}.", name);
        if (end > dataLength)
            throw Fail(source, $"tensor '{name}': data_offsets [{begin}, {end}] run past the end of the data section ({dataLength} bytes): the file is truncated.", name);
        return info;
    }

    private static long Offset(string source, string name, JsonElement element)
        => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && value >= 0
            ? value
            : throw Fail(source, $"tensor '{name}': data_offsets must be non-negative integers.", name);

    private static void CheckTiling(string source, List<SafeTensorInfo> tensors, long dataLength)
    {
        var sorted = new List<SafeTensorInfo>(tensors);
        sorted.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (var t in sorted)
        {
            if (t.Begin != expected)
                throw Fail(source, t.Begin < expected
                    ? $"tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] overlap the previous tensor, which ends at {expected}."
                    : $"tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] leave a gap after byte {expected}.", t.Name);
            expected = t.End;
        }
        if (expected != dataLength)
            throw Fail(source, $"the data section has {dataLength} bytes but the tensors cover {expected}: there are {dataLength - expected} stray bytes at the end.");
    }

    internal static SafeTensorsException Fail(string source, string problem, string? tensor = null)
        => new(source, new[] { problem }, tensor);
}
