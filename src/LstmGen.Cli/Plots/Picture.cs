using System.Collections.Generic;
using System.IO;
using ScottPlot;

namespace LstmGen.Cli.Plots;

/// <summary>Writes a figure twice: PNG to look at, SVG to scale or edit.</summary>
internal static class Picture
{
    /// <summary>Saves <paramref name="plot"/> as <c>path.png</c> and <c>path.svg</c> (an extension on <paramref name="path"/> is replaced); returns both paths.</summary>
    public static IReadOnlyList<string> Save(Plot plot, string path, int width, int height)
    {
        var stem = Path.GetExtension(path) is ".png" or ".svg" ? Path.ChangeExtension(path, null)! : path;
        var directory = Path.GetDirectoryName(Path.GetFullPath(stem));
        if (directory is not null) Directory.CreateDirectory(directory);
        plot.SavePng(stem + ".png", width, height);
        plot.SaveSvg(stem + ".svg", width, height);
        return new[] { stem + ".png", stem + ".svg" };
    }
}
