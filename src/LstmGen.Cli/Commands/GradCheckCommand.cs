using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using LstmGen.Cli.Models;
using Spectre.Console;

namespace LstmGen.Cli.Commands;

/// <summary>
/// Gradient checks of the built-in cells against central finite differences (double, step 1e-6, normwise tolerance
/// 1e-6): the 3×5 cells of every option on every element, and (unless quick) the training cells on 12 random
/// elements per tensor.
/// </summary>
internal static class GradCheckCommand
{
    public static bool Run(IAnsiConsole console, bool quick, bool compact)
    {
        var cases = new List<CellCatalog.CheckCase>(CellCatalog.TinyChecks());
        if (!quick) cases.AddRange(CellCatalog.TrainingChecks());
        var table = new Table().Border(TableBorder.Rounded).Title("gradient check: max |analytic − numeric| / max |numeric| per tensor");
        table.AddColumn("cell").AddColumn("variant");
        if (compact) table.AddColumn("tensors (max error)").AddColumn("result");
        else table.AddColumn("tensor").AddColumn(new TableColumn("checked").RightAligned()).AddColumn(new TableColumn("max error").RightAligned()).AddColumn("result");
        var passed = true;
        var watch = Stopwatch.StartNew();
        foreach (var c in cases)
        {
            var report = c.Run();
            passed &= report.Passed;
            if (compact)
            {
                var errors = string.Join("  ", report.Tensors.Select(t => $"{t.Name} {Numbers.Format(t.RelativeError, 2)}"));
                table.AddRow(c.Cell, Markup.Escape(c.Variant), Markup.Escape(errors), report.Passed ? "[green]ok[/]" : "[red]FAIL[/]");
            }
            else
            {
                var first = true;
                foreach (var t in report.Tensors)
                {
                    table.AddRow(first ? c.Cell : "", first ? Markup.Escape(c.Variant) : "", t.Name, t.CheckedElements.ToString(CultureInfo.InvariantCulture),
                        Numbers.Format(t.RelativeError), t.Passed ? "[green]ok[/]" : "[red]FAIL[/]");
                    first = false;
                }
            }
        }
        console.Write(table);
        console.MarkupLine(passed
            ? $"[green]all gradients match[/] ({cases.Count} cells, {watch.Elapsed.TotalSeconds:F1} s)"
            : "[red]GRADIENT CHECK FAILED[/]");
        return passed;
    }
}
