using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace LstmGen.Cli.Plots;

/// <summary>One line of a <see cref="LinePlot"/>: its legend name, points and look.</summary>
internal sealed record Line(string Name, double[] X, double[] Y, Color Color, bool Dashed = false, float Width = 2);

/// <summary>Line plots (loss curves, forecasts, errors by horizon) with the legend outside the data.</summary>
internal static class LinePlot
{
    public static readonly Color Blue = Color.FromHex("#1f77b4"), Orange = Color.FromHex("#ff7f0e"), Gray = Color.FromHex("#7f7f7f"),
        LightBlue = Color.FromHex("#9ecae1"), LightGray = Color.FromHex("#bbbbbb");

    /// <summary>
    /// Draws <paramref name="lines"/>; <paramref name="logY"/> plots log10 of the values, labelled in the original units;
    /// <paramref name="marker"/> draws a dotted vertical line there (e.g. where a forecast starts).
    /// </summary>
    public static IReadOnlyList<string> Write(string path, string title, string xLabel, string yLabel, IReadOnlyList<Line> lines,
        bool logY = false, double? marker = null, string? markerLabel = null)
        => Picture.Save(Create(title, xLabel, yLabel, lines, logY, marker, markerLabel), path, 1000, 500);

    /// <summary>The figure <see cref="Write"/> saves.</summary>
    public static Plot Create(string title, string xLabel, string yLabel, IReadOnlyList<Line> lines,
        bool logY = false, double? marker = null, string? markerLabel = null)
    {
        var plot = new Plot();
        foreach (var line in lines)
        {
            var ys = logY ? line.Y.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray() : line.Y;
            var scatter = plot.Add.ScatterLine(line.X, ys, line.Color);
            scatter.LegendText = line.Name;
            scatter.LineWidth = line.Width;
            if (line.Dashed) scatter.LinePattern = LinePattern.Dashed;
        }
        if (marker is { } x)
        {
            var vertical = plot.Add.VerticalLine(x, 1.5f, Colors.Black, LinePattern.Dotted);
            if (markerLabel is not null) vertical.LegendText = markerLabel;
        }
        if (logY)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = v => Numbers.Format(Math.Pow(10, v), 2),
            };
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(logY ? yLabel + " (log scale)" : yLabel);
        // Outside the axes, so it never covers a line.
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
