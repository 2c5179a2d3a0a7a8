using System;
using System.IO;

namespace LstmGen.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one: the bytes go to a temporary
/// file in the same folder, are flushed to disk, and the temporary file is renamed over the target (an atomic
/// replace on the same file system). If writing fails, the temporary file is deleted and the target is untouched.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Test seam: wraps the temporary file's stream (e.g. to fail after N bytes and simulate an interrupted save).
    /// Per thread, so parallel tests do not see each other's wrapper; always null outside tests.
    /// </summary>
    [ThreadStatic] internal static Func<Stream, Stream>? WrapStreamForTesting;

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var stream = WrapStreamForTesting?.Invoke(file) ?? file;
                write(stream);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
