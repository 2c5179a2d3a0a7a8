using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace LstmGen.Tests.Documentation;

/// <summary>
/// One ```csharp block of a Markdown file, with the marker of the HTML comment right above it
/// (<c>&lt;!-- snippet: fragment --&gt;</c>; none for a complete file).
/// </summary>
/// <param name="File">The Markdown file, relative to the repository root, with '/' separators.</param>
/// <param name="Line">The 1-based line of the first code line.</param>
/// <param name="Marker">The text after "snippet:" (trimmed), or "" for an unmarked block.</param>
/// <param name="Code">The block's lines, its common indentation removed.</param>
public sealed record MarkdownSnippet(string File, int Line, string Marker, string Code)
{
    private static readonly Regex MarkerComment = new(@"^<!--\s*snippet:\s*(?<marker>.*?)\s*-->$", RegexOptions.Compiled);

    public override string ToString() => $"{File}:{Line}" + (Marker.Length > 0 ? $" ({Marker})" : "");

    /// <summary>Every ```csharp block of <paramref name="markdown"/>, in order.</summary>
    public static IEnumerable<MarkdownSnippet> Extract(string file, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var lastText = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                if (trimmed.Length > 0) lastText = trimmed;
                continue;
            }
            var language = trimmed.Substring(3).Trim();
            var indent = lines[i].Length - lines[i].TrimStart().Length;
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            if (end == lines.Length) throw new FormatException($"{file}:{i + 1}: a code block is not closed.");
            if (language == "csharp")
            {
                var marker = MarkerComment.Match(lastText) is { Success: true } m ? m.Groups["marker"].Value : "";
                var code = string.Join("\n", lines[start..end].Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart()));
                yield return new MarkdownSnippet(file, start + 1, marker, code);
            }
            lastText = "";
            i = end;
        }
    }

    /// <summary>The blocks of README.md and of every Markdown file under docs/.</summary>
    public static IReadOnlyList<MarkdownSnippet> FromRepository(string root)
    {
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal));
        return files
            .SelectMany(path => Extract(Path.GetRelativePath(root, path).Replace('\\', '/'), System.IO.File.ReadAllText(path)))
            .ToList();
    }
}
