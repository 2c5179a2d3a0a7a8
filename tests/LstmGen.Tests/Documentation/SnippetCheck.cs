using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Tests.Documentation;

/// <summary>
/// What a documentation snippet must do, by its marker (the HTML comment right above the block):
/// <list type="bullet">
/// <item>none: a complete file that compiles without errors or warnings; with top-level statements it is a program,
/// which runs and must print something;</item>
/// <item><c>compile-only</c>: a complete program that compiles but is not run;</item>
/// <item><c>uses-cells</c>: a complete file (usually tests) that uses cells the documentation declared elsewhere, which
/// <see cref="Harness"/> declares;</item>
/// <item><c>fragment</c>: statements, compiled as the body of a method in <see cref="Harness"/>;</item>
/// <item><c>members</c>: members of a class in <see cref="Harness"/> (e.g. test methods);</item>
/// <item><c>error LSTM0003 [CS0182 …]</c>: a complete file whose build fails with exactly these error IDs;</item>
/// <item><c>generated</c>: an excerpt of generated code that appears in the snapshot of the generated Cell2x3
/// (tests/LstmGen.Generators.Tests/Snapshots/Cell2x3.g.cs.txt) verbatim up to whitespace; a line "// ..." skips text.</item>
/// </list>
/// Each check throws <see cref="SnippetException"/> naming the file and line.
/// </summary>
internal static class SnippetCheck
{
    /// <summary>The snapshot the <c>generated</c> excerpts come from, relative to the repository root.</summary>
    public const string GeneratedSnapshot = "tests/LstmGen.Generators.Tests/Snapshots/Cell2x3.g.cs.txt";

    /// <summary>Checks <paramref name="snippet"/>; returns what a program printed, the diagnostics of an error example, or "".</summary>
    public static string Verify(MarkdownSnippet snippet, string repositoryRoot)
    {
        var marker = snippet.Marker;
        var kind = marker.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        switch (kind)
        {
            case "":
                return CompleteFile(snippet, run: true);
            case "compile-only":
                return CompleteFile(snippet, run: false);
            case "uses-cells":
                Succeeds(snippet, SnippetCompiler.Compile(OutputKind.DynamicallyLinkedLibrary, (snippet.ToString(), snippet.Code), Harness.CellsOnly(snippet.Code)));
                return "";
            case "fragment":
                Succeeds(snippet, SnippetCompiler.Compile(OutputKind.DynamicallyLinkedLibrary, Harness.Fragment(snippet)));
                return "";
            case "members":
                Succeeds(snippet, SnippetCompiler.Compile(OutputKind.DynamicallyLinkedLibrary, Harness.Members(snippet)));
                return "";
            case "error":
                return FailsWith(snippet, marker.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).OrderBy(id => id, StringComparer.Ordinal).ToArray());
            case "generated":
                AppearsInSnapshot(snippet, File.ReadAllText(Path.Combine(repositoryRoot, GeneratedSnapshot)));
                return "";
            default:
                throw new SnippetException(snippet, $"unknown marker '{marker}' (expected none, compile-only, uses-cells, fragment, members, error ID…, generated)");
        }
    }

    private static string CompleteFile(MarkdownSnippet snippet, bool run)
    {
        var isProgram = CSharpSyntaxTreeHasTopLevelStatements(snippet.Code);
        if (!run && !isProgram) throw new SnippetException(snippet, "'compile-only' is for programs; a file without top-level statements is never run anyway");
        var build = SnippetCompiler.Compile(isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, (snippet.ToString(), snippet.Code));
        Succeeds(snippet, build);
        if (!isProgram || !run) return "";

        var folder = Path.Combine(Path.GetTempPath(), "lstmgen-snippet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string printed;
            try
            {
                printed = SnippetCompiler.Run(build.Image!, folder);
            }
            catch (InvalidOperationException e)
            {
                throw new SnippetException(snippet, e.Message);
            }
            if (printed.Trim().Length == 0) throw new SnippetException(snippet, "the program printed nothing: a reader cannot see that it worked");
            return printed;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool CSharpSyntaxTreeHasTopLevelStatements(string code)
        => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(code, SnippetCompiler.ParseOptions)
            .GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<GlobalStatementSyntax>().Any();

    private static void Succeeds(MarkdownSnippet snippet, SnippetBuild build)
    {
        if (build.Diagnostics.Length > 0 || build.Image is null)
            throw new SnippetException(snippet, "it does not compile cleanly:" + Environment.NewLine + build.Describe());
    }

    private static string FailsWith(MarkdownSnippet snippet, string[] expected)
    {
        if (expected.Length == 0) throw new SnippetException(snippet, "'error' needs the expected IDs, e.g. <!-- snippet: error LSTM0001 -->");
        var build = SnippetCompiler.Compile(OutputKind.DynamicallyLinkedLibrary, (snippet.ToString(), snippet.Code));
        var actual = build.Errors.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToArray();
        if (!actual.SequenceEqual(expected))
            throw new SnippetException(snippet, $"expected the errors [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]:" + Environment.NewLine + build.Describe());
        return build.Describe();
    }

    private static void AppearsInSnapshot(MarkdownSnippet snippet, string snapshot)
    {
        var text = Collapse(snapshot);
        var position = 0;
        foreach (var part in Regex.Split(snippet.Code, @"^[ \t]*// \.\.\.[ \t]*$", RegexOptions.Multiline).Select(Collapse).Where(p => p.Length > 0))
        {
            var at = text.IndexOf(part, position, StringComparison.Ordinal);
            if (at < 0)
                throw new SnippetException(snippet, $"this part of the excerpt is not in {GeneratedSnapshot} (after the previous part), up to whitespace:{Environment.NewLine}{part}");
            position = at + part.Length;
        }
        if (position == 0) throw new SnippetException(snippet, "the excerpt is empty");
    }

    private static string Collapse(string text) => Regex.Replace(text, @"\s+", " ").Trim();
}

/// <summary>A documentation snippet that does not do what its marker says.</summary>
internal sealed class SnippetException(MarkdownSnippet snippet, string problem) : Exception($"{snippet}: {problem}");
