using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;

namespace LstmGen.Cli.Plots;

/// <summary>One line of a <see cref="Svg.LinePlot"/>.</summary>
internal sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, string Color, bool Dashed = false, double Width = 1.6);

/// <summary>Hand-written SVG: line plots with axes, ticks, labels and a legend, and heatmaps. Files are written UTF-8.</summary>
internal static class Svg
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    public const string Blue = "#1f77b4", Orange = "#ff7f0e", Green = "#2ca02c", Red = "#d62728", Gray = "#7f7f7f";

    private static string F(double v) => v.ToString("0.##", Inv);
    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";

    /// <summary>A line plot; <paramref name="logY"/> plots log10 of positive values (ticks labelled in the original units).</summary>
    public static void LinePlot(string path, string title, string xLabel, string yLabel, IReadOnlyList<Series> series, bool logY = false)
    {
        const int width = 900, height = 480, left = 80, right = 20, top = 50, bottom = 60;
        double Ty(double y) => logY ? Math.Log10(Math.Max(y, 1e-12)) : y;
        var xs = series.SelectMany(s => s.X).ToArray();
        var ys = series.SelectMany(s => s.Y.Select(Ty)).Where(double.IsFinite).ToArray();
        double x0 = xs.Length == 0 ? 0 : xs.Min(), x1 = xs.Length == 0 ? 1 : xs.Max();
        double y0 = ys.Length == 0 ? 0 : ys.Min(), y1 = ys.Length == 0 ? 1 : ys.Max();
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) { y0 -= 0.5; y1 += 0.5; }
        var pad = (y1 - y0) * 0.05;
        y0 -= pad; y1 += pad;
        double plotW = width - left - right, plotH = height - top - bottom;
        double Px(double x) => left + (x - x0) / (x1 - x0) * plotW;
        double Py(double y) => top + (1 - (Ty(y) - y0) / (y1 - y0)) * plotH;
        double PyRaw(double ty) => top + (1 - (ty - y0) / (y1 - y0)) * plotH;

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">\n");
        svg.Append(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(Inv, $"<text x=\"{width / 2}\" y=\"28\" font-size=\"18\" text-anchor=\"middle\">{Esc(title)}</text>\n");
        // Grid and ticks.
        foreach (var t in Ticks(x0, x1, 8))
        {
            var px = Px(t);
            svg.Append(Inv, $"<line x1=\"{F(px)}\" y1=\"{top}\" x2=\"{F(px)}\" y2=\"{top + plotH}\" stroke=\"#e5e5e5\"/>\n");
            svg.Append(Inv, $"<text x=\"{F(px)}\" y=\"{top + plotH + 18}\" font-size=\"12\" text-anchor=\"middle\">{Esc(Label(t))}</text>\n");
        }
        var yTicks = logY ? Enumerable.Range((int)Math.Ceiling(y0), Math.Max(0, (int)Math.Floor(y1) - (int)Math.Ceiling(y0) + 1)).Select(i => (double)i).ToList() : Ticks(y0, y1, 6);
        if (logY && yTicks.Count < 2) yTicks = Ticks(y0, y1, 4);
        foreach (var t in yTicks)
        {
            var py = PyRaw(t);
            svg.Append(Inv, $"<line x1=\"{left}\" y1=\"{F(py)}\" x2=\"{left + plotW}\" y2=\"{F(py)}\" stroke=\"#e5e5e5\"/>\n");
            svg.Append(Inv, $"<text x=\"{left - 6}\" y=\"{F(py + 4)}\" font-size=\"12\" text-anchor=\"end\">{Esc(logY ? Label(Math.Pow(10, t)) : Label(t))}</text>\n");
        }
        svg.Append(Inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"black\"/>\n");
        svg.Append(Inv, $"<text x=\"{left + plotW / 2}\" y=\"{height - 15}\" font-size=\"14\" text-anchor=\"middle\">{Esc(xLabel)}</text>\n");
        svg.Append(Inv, $"<text x=\"18\" y=\"{top + plotH / 2}\" font-size=\"14\" text-anchor=\"middle\" transform=\"rotate(-90 18 {F(top + plotH / 2)})\">{Esc(yLabel + (logY ? " (log scale)" : ""))}</text>\n");
        // Lines.
        foreach (var s in series)
        {
            var points = new StringBuilder();
            for (var i = 0; i < Math.Min(s.X.Count, s.Y.Count); i++)
            {
                if (!double.IsFinite(s.Y[i]) || logY && s.Y[i] <= 0) continue;
                points.Append(F(Px(s.X[i]))).Append(',').Append(F(Py(s.Y[i]))).Append(' ');
            }
            svg.Append(Inv, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"{F(s.Width)}\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")} points=\"{points.ToString().TrimEnd()}\"/>\n");
        }
        // Legend (top right, inside the plot).
        var legendW = 20 + 8 * series.Max(s => s.Name.Length) + 30;
        double lx = left + plotW - legendW - 10, ly = top + 10;
        svg.Append(Inv, $"<rect x=\"{F(lx)}\" y=\"{F(ly)}\" width=\"{legendW}\" height=\"{series.Count * 20 + 10}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n");
        for (var i = 0; i < series.Count; i++)
        {
            var yy = ly + 18 + i * 20;
            svg.Append(Inv, $"<line x1=\"{F(lx + 8)}\" y1=\"{F(yy - 4)}\" x2=\"{F(lx + 34)}\" y2=\"{F(yy - 4)}\" stroke=\"{series[i].Color}\" stroke-width=\"2.5\"{(series[i].Dashed ? " stroke-dasharray=\"6 4\"" : "")}/>\n");
            svg.Append(Inv, $"<text x=\"{F(lx + 40)}\" y=\"{F(yy)}\" font-size=\"13\">{Esc(series[i].Name)}</text>\n");
        }
        svg.Append("</svg>\n");
        Write(path, svg.ToString());
    }

    /// <summary>
    /// Heatmap panels stacked vertically, each [rows × columns] with values mapped to a colour scale from
    /// <paramref name="min"/> (blue) through the middle (white) to <paramref name="max"/> (red); the column labels
    /// (e.g. the characters) are written under every panel.
    /// </summary>
    public static void Heatmap(string path, string title, IReadOnlyList<(string Name, double[,] Values, double Min, double Max)> panels, IReadOnlyList<string> columnLabels)
    {
        const int cell = 14, left = 110, top = 50, labelH = 22, gap = 16, scaleW = 220;
        var columns = columnLabels.Count;
        var rowH = panels.Max(p => p.Values.GetLength(0)) > 48 ? 3 : 6;
        var width = left + columns * cell + 40;
        width = Math.Max(width, left + scaleW + 60);
        var height = top + panels.Sum(p => p.Values.GetLength(0) * rowH + labelH + gap) + 50;
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">\n");
        svg.Append(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(Inv, $"<text x=\"10\" y=\"26\" font-size=\"16\">{Esc(title)}</text>\n");
        var y = top;
        foreach (var (name, values, min, max) in panels)
        {
            var rows = values.GetLength(0);
            svg.Append(Inv, $"<text x=\"{left - 8}\" y=\"{y + rows * rowH / 2 + 4}\" font-size=\"13\" text-anchor=\"end\">{Esc(name)}</text>\n");
            svg.Append(Inv, $"<text x=\"{left - 8}\" y=\"{y + rows * rowH / 2 + 18}\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\">{rows} units</text>\n");
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < Math.Min(columns, values.GetLength(1)); c++)
                    svg.Append(Inv, $"<rect x=\"{left + c * cell}\" y=\"{y + r * rowH}\" width=\"{cell}\" height=\"{rowH}\" fill=\"{Color(values[r, c], min, max)}\"/>\n");
            svg.Append(Inv, $"<rect x=\"{left}\" y=\"{y}\" width=\"{columns * cell}\" height=\"{rows * rowH}\" fill=\"none\" stroke=\"#333\"/>\n");
            y += rows * rowH;
            for (var c = 0; c < columns; c++)
                svg.Append(Inv, $"<text x=\"{left + c * cell + cell / 2}\" y=\"{y + 15}\" font-size=\"12\" font-family=\"monospace\" text-anchor=\"middle\">{Esc(columnLabels[c])}</text>\n");
            y += labelH + gap;
        }
        // Colour scales.
        svg.Append(Inv, $"<text x=\"10\" y=\"{y + 14}\" font-size=\"12\">colour: gates 0 (blue) → 0.5 (white) → 1 (red); cell state −1 (blue) → 0 → +1 (red), shown as tanh(c)</text>\n");
        svg.Append("</svg>\n");
        Write(path, svg.ToString());
    }

    private static string Color(double v, double min, double max)
    {
        if (!double.IsFinite(v)) return "#000000";
        var t = Math.Clamp((v - min) / (max - min), 0, 1) * 2 - 1; // -1 .. 1
        int r, g, b;
        if (t < 0) { r = (int)(255 * (1 + t)); g = (int)(255 * (1 + 0.6 * t)); b = 255; }
        else { r = 255; g = (int)(255 * (1 - 0.8 * t)); b = (int)(255 * (1 - t)); }
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    private static List<double> Ticks(double lo, double hi, int count)
    {
        var raw = (hi - lo) / count;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
        var list = new List<double>();
        for (var t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9; t += step) list.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return list;
    }

    private static string Label(double v)
    {
        var a = Math.Abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return v.ToString("0.#E+0", Inv);
        return v.ToString("0.###", Inv);
    }

    private static void Write(string path, string text)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }
}
