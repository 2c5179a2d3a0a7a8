using System.Linq;
using System.Text.RegularExpressions;

namespace LstmGen.Tests.Documentation;

/// <summary>
/// The code around a <c>fragment</c> or <c>members</c> snippet: the usings of every LstmGen namespace, LstmGen.Testing,
/// FsCheck (and NUnit for members), and the cells the documentation declares once and uses in several blocks —
/// <c>TinyCell</c> (3×5), <c>MyCell</c> (8×16), <c>SensorCell</c> (4×16) — when the snippet mentions them without
/// declaring them (a <c>uses-cells</c> snippet is a complete file that gets only the cells). A #line directive maps
/// the snippet's lines to its Markdown file, so compiler messages point there.
/// </summary>
internal static class Harness
{
    private const string Usings = """
        using LstmGen;
        using LstmGen.Dynamic;
        using LstmGen.IO;
        using LstmGen.Layers;
        using LstmGen.Optimizers;
        using LstmGen.Testing;
        using LstmGen.Training;
        using FsCheck;
        using FsCheck.Fluent;
        """;

    private static readonly (string Name, string Declaration)[] Cells =
    {
        ("TinyCell", "[LstmCell(inputSize: 3, hiddenSize: 5)] public partial struct TinyCell;"),
        ("MyCell", "[LstmCell(inputSize: 8, hiddenSize: 16)] public partial struct MyCell;"),
        ("SensorCell", "[LstmCell(inputSize: 4, hiddenSize: 16)] public partial struct SensorCell;"),
    };

    /// <summary>The declarations of the harness cells <paramref name="code"/> uses, as a file of their own.</summary>
    public static (string Path, string Text) CellsOnly(string code) => ("HarnessCells.cs", "using LstmGen;\n" + CellsFor(code));

    public static (string Path, string Text) Fragment(MarkdownSnippet snippet)
        => (snippet.ToString(), $$"""
            {{Usings}}
            {{CellsFor(snippet.Code)}}
            public static class SnippetFragment
            {
                public static void Run()
                {
            {{LineDirective(snippet)}}
            {{snippet.Code}}
            #line default
                }
            }
            """);

    public static (string Path, string Text) Members(MarkdownSnippet snippet)
        => (snippet.ToString(), $$"""
            {{Usings}}
            using NUnit.Framework;
            {{CellsFor(snippet.Code)}}
            public class SnippetMembers
            {
            {{LineDirective(snippet)}}
            {{snippet.Code}}
            #line default
            }
            """);

    private static string LineDirective(MarkdownSnippet snippet) => $"#line {snippet.Line} \"{snippet.File}\"";

    private static string CellsFor(string code)
        => string.Join("\n", Cells
            .Where(c => Regex.IsMatch(code, $@"\b{c.Name}\b") && !Regex.IsMatch(code, $@"\bstruct\s+{c.Name}\b"))
            .Select(c => c.Declaration));
}
