using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Text;

namespace LstmGen.CellChecker;

/// <summary>
/// Loads an assembly of generated cells (compiled in memory by the random-cell property test) and checks every cell in
/// it against the independent scalar reference on whatever SIMD path this process runs (the test starts it under
/// different DOTNET_Enable* settings). Prints <c>paths …</c>, one line per cell (<c>ok</c> or <c>FAIL</c> with the
/// measured errors) and <c>end</c>; the exit code is the number of failed cells.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: LstmGen.CellChecker CELLS.dll");
            return 255;
        }
        var cells = Assembly.LoadFrom(Path.GetFullPath(args[0])).GetTypes()
            .Where(type => type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILstmCell<>)))
            .OrderBy(type => type.Name, StringComparer.Ordinal)
            .ToList();
        var text = new StringBuilder();
        text.Append("paths Vector512=").Append(Vector512.IsHardwareAccelerated)
            .Append(" Vector256=").Append(Vector256.IsHardwareAccelerated)
            .Append(" Vector128=").Append(Vector128.IsHardwareAccelerated).Append('\n');
        var failed = 0;
        var check = typeof(CellCheck).GetMethod(nameof(CellCheck.Run))!;
        foreach (var (cell, index) in cells.Select((cell, index) => (cell, index)))
        {
            var result = (CellCheckResult)check.MakeGenericMethod(cell).Invoke(null, new object[] { 1000 + index })!;
            if (!result.Passed) failed++;
            text.Append(result.Format()).Append('\n');
        }
        text.Append("end\n");
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
        stdout.Write(text.ToString());
        return failed;
    }
}
