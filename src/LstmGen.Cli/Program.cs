using System;
using System.Globalization;
using System.Text;
using System.Threading;

namespace LstmGen.Cli;

/// <summary>Entry point of the <c>lstmgen</c> program (see <see cref="Cli"/>).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        Console.OutputEncoding = Encoding.UTF8;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C: stop training cleanly (the checkpoint is saved); a second one ends the process.
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        };
        return Cli.Run(args, PlainConsole.ForProcess(), Console.Out, Console.Error, cancel.Token);
    }
}
