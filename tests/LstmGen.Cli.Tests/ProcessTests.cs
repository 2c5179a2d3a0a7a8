using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NUnit.Framework;
using static LstmGen.Cli.Tests.CliRunner;

namespace LstmGen.Cli.Tests;

/// <summary>The program as a process with its output redirected, as in a CI log or <c>lstmgen … &gt; file</c>.</summary>
public class ProcessTests
{
    [Test]
    public void Help_UsageLineSaysLstmgen()
    {
        var (code, output) = Start("--help");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("lstmgen [command] [options]"));
        Assert.That(output, Does.Not.Contain("LstmGen.Cli"));
    }

    [Test]
    public void RedirectedOutput_HasNoAnsiCodes_AndLongLinesStayWhole()
    {
        var (code, output) = Start("train", "adding", "--length", "5", "--epochs", "1", "--steps-per-epoch", "2", "--batch", "2", "--out", TempDirectory());
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Not.Contain("\u001b["), "ANSI escape codes");
        // The header names the model and the optimiser on one line of more than 80 characters.
        var header = output.Split('\n').Single(l => l.StartsWith("train adding:", StringComparison.Ordinal));
        Assert.That(header.Length, Is.GreaterThan(80));
        Assert.That(header, Does.Contain("seed 1"));
    }

    /// <summary>Runs lstmgen.dll under dotnet with stdout redirected and a colour terminal announced in the environment.</summary>
    private static (int Code, string Output) Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(Cli).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "lstmgen did not finish");
        TestContext.Out.WriteLine(output + error.Result);
        return (process.ExitCode, output);
    }
}
