using System;
using System.IO;
using System.Threading;
using System.Xml.Linq;
using NUnit.Framework;
using SkiaSharp;
using Spectre.Console;

namespace LstmGen.Cli.Tests;

/// <summary>Runs the command line in-process with a plain, wide, non-interactive console and captures both writers.</summary>
internal static class CliRunner
{
    public sealed record Result(int Code, string Out, string Error);

    public static Result Run(params string[] args) => Run(default, args);

    public static Result Run(CancellationToken cancel, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var code = Cli.Run(args, console, output, error, cancel);
        TestContext.Out.WriteLine($"$ lstmgen {string.Join(' ', args)}  → exit {code}");
        TestContext.Out.WriteLine(output.ToString());
        if (error.ToString().Length > 0) TestContext.Out.WriteLine("stderr: " + error);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>A fresh temporary directory for one test.</summary>
    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "lstmgen-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Asserts <c>stem.png</c> decodes as an image and <c>stem.svg</c> is well-formed SVG (XML with an svg root).</summary>
    public static void AssertPicture(string stem)
    {
        Assert.That(File.Exists(stem + ".png"), Is.True, $"{stem}.png was not written");
        using (var bitmap = SKBitmap.Decode(stem + ".png"))
            Assert.That(bitmap, Is.Not.Null.And.Property("Width").GreaterThan(0), $"{stem}.png does not decode");
        Assert.That(File.Exists(stem + ".svg"), Is.True, $"{stem}.svg was not written");
        var document = XDocument.Load(stem + ".svg");
        Assert.That(document.Root!.Name.LocalName, Is.EqualTo("svg"));
    }

    /// <summary>Asserts a bad-input result: exit code 2, one line naming the problem, no stack trace.</summary>
    public static void AssertBadInput(Result result, params string[] mentions)
    {
        Assert.That(result.Code, Is.EqualTo(2), result.Error);
        var lines = result.Error.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), "one line expected: " + result.Error);
        Assert.That(result.Error, Does.StartWith("lstmgen: error: "));
        Assert.That(result.Error, Does.Not.Contain("   at "));
        foreach (var m in mentions) Assert.That(result.Error, Does.Contain(m).IgnoreCase);
    }
}
