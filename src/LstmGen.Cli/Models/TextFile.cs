using System;
using System.IO;
using System.Text;

namespace LstmGen.Cli.Models;

/// <summary>Reads a user's text file strictly: it must exist, be non-empty and be valid UTF-8.</summary>
internal static class TextFile
{
    public static string Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException("no text file given: use --file PATH");
        if (Directory.Exists(path)) throw new CliException($"'{path}' is a directory, not a text file");
        if (!File.Exists(path)) throw new CliException($"text file '{path}' not found");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new CliException($"text file '{path}' is empty");
        try
        {
            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException e)
        {
            throw new CliException($"text file '{path}' is not valid UTF-8 (bad byte at offset {e.Index})");
        }
    }
}
