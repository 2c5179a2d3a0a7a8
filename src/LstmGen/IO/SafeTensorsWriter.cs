using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Text.Json;

namespace LstmGen.IO;

/// <summary>
/// Collects tensors and metadata and writes them as one safetensors file (little-endian data, header padded with
/// spaces to a multiple of 8 bytes as the reference implementation does), atomically when saving to a path.
/// </summary>
public sealed class SafeTensorsWriter
{
    private readonly List<(string Name, string DType, int[] Shape, byte[] Data)> _tensors = new();
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Adds a tensor (copied now); its dtype is <typeparamref name="T"/>'s.</summary>
    public SafeTensorsWriter Add<T>(string name, ReadOnlySpan<int> shape, ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == SafeTensorsFile.MetadataKey) throw new ArgumentException($"'{name}' is reserved for metadata.", nameof(name));
        if (!_names.Add(name)) throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension.", nameof(shape));
            count *= d;
        }
        Guard.Length(values.Length, count, nameof(values));
        var dtype = SafeTensorsDType.Of<T>();
        var size = SafeTensorsDType.SizeOf(dtype)!.Value;
        var data = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            if (size == 4) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), float.CreateTruncating(values[i]));
            else BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), double.CreateTruncating(values[i]));
        }
        _tensors.Add((name, dtype, shape.ToArray(), data));
        return this;
    }

    /// <summary>Adds a <c>__metadata__</c> entry.</summary>
    public SafeTensorsWriter AddMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata[key] = value;
        return this;
    }

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (_metadata.Count > 0)
            {
                json.WriteStartObject(SafeTensorsFile.MetadataKey);
                foreach (var (key, value) in _metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, dtype, shape, data) in _tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (var d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += data.Length;
            }
            json.WriteEndObject();
        }
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        header.Position = 0;
        header.CopyTo(stream);
        foreach (var tensor in _tensors) stream.Write(tensor.Data);
    }

    /// <summary>Writes the file to <paramref name="path"/> atomically (a temporary file in the same folder, then a rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);
}
