using System;
using System.IO;
using Spectre.Console;

namespace LstmGen.Cli;

/// <summary>
/// The console when standard output is not a terminal (a CI log, <c>&gt; file</c>, a pipe): no ANSI colour or cursor
/// codes, no live progress bar, and lines as long as they are (no wrapping at the 80 columns Spectre assumes).
/// </summary>
internal static class PlainConsole
{
    /// <summary>Wide enough that no line of ours wraps; rules are drawn short (see <see cref="Heading"/>).</summary>
    public const int Width = 4096;

    public static IAnsiConsole Create(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = Width;
        return console;
    }

    /// <summary>The console for this process: Spectre's own on a terminal, a plain one when output is redirected.</summary>
    public static IAnsiConsole ForProcess() => Console.IsOutputRedirected ? Create(Console.Out) : AnsiConsole.Console;

    /// <summary>A section heading: a rule across a terminal, a plain <c>== title ==</c> line elsewhere.</summary>
    public static void Heading(IAnsiConsole console, string markup)
    {
        if (console.Profile.Capabilities.Ansi) console.Write(new Rule(markup).LeftJustified());
        else console.MarkupLine($"== {markup} ==");
    }
}
