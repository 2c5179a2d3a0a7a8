using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace LstmGen.Cli.Plots;

/// <summary>One panel of a <see cref="GateHeatmap"/>: values [units × steps] and the range its colours span.</summary>
internal sealed record HeatmapPanel(string Name, double[,] Values, double Min, double Max);

/// <summary>Panels stacked top to bottom, one column per step (labelled with its token), one row per unit.</summary>
internal static class GateHeatmap
{
    private const int Gap = 3;   // empty rows between panels

    public static IReadOnlyList<string> Write(string path, string title, IReadOnlyList<HeatmapPanel> panels, IReadOnlyList<string> columnLabels)
    {
        var plot = new Plot();
        var columns = columnLabels.Count;
        var rows = panels.Sum(p => p.Values.GetLength(0)) + Gap * (panels.Count - 1);
        var top = (double)rows;
        var centres = new List<double>();
        var colourBars = new HashSet<(double, double)>();
        foreach (var panel in panels)
        {
            var units = panel.Values.GetLength(0);
            var heatmap = plot.Add.Heatmap(panel.Values);
            // Gates in [0, 1] on one sequential scale; a state in [−1, 1] on a diverging one.
            heatmap.Colormap = panel.Min < 0 ? new ScottPlot.Colormaps.Balance() : new ScottPlot.Colormaps.Viridis();
            heatmap.ManualRange = new ScottPlot.Range(panel.Min, panel.Max);
            heatmap.Rectangle = new CoordinateRect(-0.5, columns - 0.5, top - units, top);   // cell edges: one column per step
            // One colour bar per range, unlabelled: ScottPlot draws a bar's label over its tick labels, and the panel names say what is shown.
            if (colourBars.Add((panel.Min, panel.Max))) plot.Add.ColorBar(heatmap);
            centres.Add(top - units / 2.0);
            top -= units + Gap;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centres.ToArray(), panels.Select(p => $"{p.Name} ({p.Values.GetLength(0)})").ToArray());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, columns).Select(c => (double)c).ToArray(), columnLabels.ToArray());
        plot.Axes.SetLimits(-0.5, columns - 0.5, 0, rows);
        plot.HideGrid();
        plot.Title(title);
        plot.XLabel("token (one column per step)");
        plot.YLabel("units of each panel");
        var rowPixels = rows > 200 ? 3 : 6;
        return Picture.Save(plot, path, Math.Max(900, 260 + columns * 16), 160 + rows * rowPixels);
    }
}
