using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace LstmGen.Dynamic;

/// <summary>
/// Compiled cells on disk, one file per key: a magic header, the key's full text, the type name, the SHA-256 and
/// length of the assembly bytes, then the bytes. A file that is truncated, corrupt, from another key or another
/// format reads as a miss (and is overwritten by the rebuild); writes are atomic (temporary file, then rename).
/// </summary>
internal sealed class CellDiskCache
{
    private static readonly byte[] Magic = "LSTMGEN-CELL\0\u0001"u8.ToArray();
    private const int MaxAssemblyBytes = 256 << 20;

    public CellDiskCache(string directory) => Directory = directory;

    public string Directory { get; }

    public string PathOf(CellCacheKey key) => Path.Combine(Directory, key.Hash[..32] + ".lstmcell");

    /// <summary>The cached assembly bytes of <paramref name="key"/>, or null when there is no usable file.</summary>
    public byte[]? TryRead(CellCacheKey key)
    {
        var path = PathOf(key);
        try
        {
            if (!File.Exists(path)) return null;
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            if (reader.ReadString() != key.Text || reader.ReadString() != key.TypeName) return null;
            var hash = reader.ReadBytes(32);
            var length = reader.ReadInt32();
            if (length <= 0 || length > MaxAssemblyBytes) return null;
            var bytes = reader.ReadBytes(length);
            if (bytes.Length != length || reader.BaseStream.Position != reader.BaseStream.Length) return null;
            return SHA256.HashData(bytes).AsSpan().SequenceEqual(hash) ? bytes : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="bytes"/> under <paramref name="key"/>; false (and nothing half-written) when the folder is not writable.</summary>
    public bool TryWrite(CellCacheKey key, byte[] bytes)
    {
        var path = PathOf(key);
        var temporary = Path.Combine(Directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(file, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(key.Text);
                writer.Write(key.TypeName);
                writer.Write(SHA256.HashData(bytes));
                writer.Write(bytes.Length);
                writer.Write(bytes);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return false;
        }
    }
}
