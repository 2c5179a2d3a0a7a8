using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace LstmGen.Cli.Models;

/// <summary>
/// A series in a CSV file for <c>run</c>: one row per time step, one number per column (comma-separated, '.' decimals),
/// an optional header row (a first row that is not all numbers). Errors name the line and column.
/// </summary>
internal static class CsvSeries
{
    public static (string[]? Header, double[][] Rows) Read(string path)
    {
        if (!File.Exists(path)) throw new CliException($"input file '{path}' not found");
        var lines = File.ReadAllLines(path, new UTF8Encoding(false, throwOnInvalidBytes: true))
            .Select((text, index) => (Text: text.Trim(), Number: index + 1))
            .Where(line => line.Text.Length > 0)
            .ToList();
        if (lines.Count == 0) throw new CliException($"input file '{path}' is empty: give one row of numbers per time step");
        string[]? header = null;
        if (!lines[0].Text.Split(',').All(field => TryNumber(field, out _)))
        {
            header = lines[0].Text.Split(',').Select(f => f.Trim()).ToArray();
            lines.RemoveAt(0);
            if (lines.Count == 0) throw new CliException($"input file '{path}' has a header but no rows");
        }
        var columns = header?.Length ?? lines[0].Text.Split(',').Length;
        var rows = new List<double[]>(lines.Count);
        foreach (var (text, number) in lines)
        {
            var fields = text.Split(',');
            if (fields.Length != columns) throw new CliException($"'{path}' line {number} has {fields.Length} columns, expected {columns}");
            var row = new double[columns];
            for (var c = 0; c < columns; c++)
                if (!TryNumber(fields[c], out row[c])) throw new CliException($"'{path}' line {number}, column {c + 1}: '{fields[c].Trim()}' is not a finite number");
            rows.Add(row);
        }
        return (header, rows.ToArray());
    }

    /// <summary>Writes one row per step, values in round-trip form.</summary>
    public static void Write(TextWriter writer, float[] values, int columns)
    {
        for (var i = 0; i < values.Length; i += columns)
            writer.WriteLine(string.Join(",", values.Skip(i).Take(columns).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
    }

    private static bool TryNumber(string field, out double value)
        => double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
