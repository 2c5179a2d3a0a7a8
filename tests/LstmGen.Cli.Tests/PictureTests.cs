using System.IO;
using LstmGen.Cli.Plots;
using NUnit.Framework;
using SkiaSharp;
using static LstmGen.Cli.Tests.CliRunner;

namespace LstmGen.Cli.Tests;

/// <summary>
/// The pictures render their text on this machine (SkiaSharp needs a font it can find): the title above the axes,
/// the x label below them and the y label left of them leave ink where a picture without them has none.
/// </summary>
public class PictureTests
{
    private const int Band = 24;   // pixels along an edge that hold only the title or an axis label

    [Test]
    public void LinePlot_WritesPngAndSvg_WithTextInTitleAndAxisLabels()
    {
        var stem = Path.Combine(TempDirectory(), "lines");
        var files = Draw(stem, "Training loss of a test", "training step", "mean squared error");
        Assert.That(files, Is.EqualTo(new[] { stem + ".png", stem + ".svg" }));
        AssertPicture(stem);
        using var bitmap = SKBitmap.Decode(stem + ".png");
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((1000, 500)));
        Assert.That(Ink(bitmap, new SKRectI(0, 0, bitmap.Width, Band)), Is.GreaterThan(100), "title");
        Assert.That(Ink(bitmap, new SKRectI(0, bitmap.Height - Band, bitmap.Width, bitmap.Height)), Is.GreaterThan(100), "x label");
        Assert.That(Ink(bitmap, new SKRectI(0, 0, Band, bitmap.Height)), Is.GreaterThan(100), "y label");
    }

    [Test]
    public void TextIsWhatInksTheBands()
    {
        // With the axes pinned in place, the same figure with and without title and labels: the bands the test above
        // counts hold ink only when there is text to draw.
        SKBitmap Render(string title, string xLabel, string yLabel)
        {
            var plot = LinePlot.Create(title, xLabel, yLabel, new[] { new Line("a line", new[] { 0.0, 1, 2, 3 }, new[] { 1.0, 0.5, 0.7, 0.2 }, LinePlot.Blue) });
            plot.Layout.Fixed(new ScottPlot.PixelPadding(left: 90, right: 160, bottom: 70, top: 50));
            return SKBitmap.Decode(plot.GetImageBytes(1000, 500, ScottPlot.ImageFormat.Png));
        }
        using var text = Render("Training loss of a test", "training step", "mean squared error");
        using var blank = Render("", "", "");
        // Inside the pinned padding, clear of the frame and the tick labels next to it.
        var title = new SKRectI(0, 0, 1000, 45);
        var xLabel = new SKRectI(0, 500 - 70 + 25, 1000, 500);
        var yLabel = new SKRectI(0, 0, 40, 500);
        Assert.That((Ink(blank, title), Ink(blank, xLabel), Ink(blank, yLabel)), Is.EqualTo((0, 0, 0)), "no text, no ink");
        Assert.That(Ink(text, title), Is.GreaterThan(100), "title");
        Assert.That(Ink(text, xLabel), Is.GreaterThan(100), "x label");
        Assert.That(Ink(text, yLabel), Is.GreaterThan(100), "y label");
    }

    [Test]
    public void GateHeatmap_WritesPngAndSvg_WithTokenLabels()
    {
        var stem = Path.Combine(TempDirectory(), "gates");
        var values = new double[8, 5];
        for (var u = 0; u < 8; u++) for (var t = 0; t < 5; t++) values[u, t] = (u + t) / 12.0;
        GateHeatmap.Write(stem + ".svg", "gates of a test", new[] { new HeatmapPanel("input gate i", values, 0, 1), new HeatmapPanel("cell", values, -1, 1) },
            new[] { "a", "b", "␣", "c", "\\n" });
        AssertPicture(stem);
        using var bitmap = SKBitmap.Decode(stem + ".png");
        Assert.That(Ink(bitmap, new SKRectI(0, 0, bitmap.Width, Band)), Is.GreaterThan(100), "title");
        Assert.That(File.ReadAllText(stem + ".svg"), Does.Contain("input gate i"));
    }

    private static System.Collections.Generic.IReadOnlyList<string> Draw(string stem, string title, string xLabel, string yLabel)
        => LinePlot.Write(stem, title, xLabel, yLabel, new[] { new Line("a line", new[] { 0.0, 1, 2, 3 }, new[] { 1.0, 0.5, 0.7, 0.2 }, LinePlot.Blue) });

    /// <summary>Pixels in <paramref name="area"/> darker than mid-grey.</summary>
    private static int Ink(SKBitmap bitmap, SKRectI area)
    {
        var count = 0;
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue < 128) count++;
            }
        }
        return count;
    }
}
