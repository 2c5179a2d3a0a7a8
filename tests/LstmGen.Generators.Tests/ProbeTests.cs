using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

public class ProbeTests
{
    [TestCase(2, 3)]
    [TestCase(64, 128)]
    [TestCase(1, 1025)]
    public void Probe(int d, int h)
    {
        var sw = Stopwatch.StartNew();
        var run = GeneratorHarness.Run($"using LstmGen; namespace N; [LstmCell({d}, {h})] public partial struct Cell;");
        TestContext.Out.WriteLine($"gen {sw.ElapsedMilliseconds} ms; refs {GeneratorHarness.References.Length}; chars {run.Sources.Values.Sum(s => s.Length)}");
        TestContext.Out.WriteLine(GeneratorHarness.Format(run.GeneratorDiagnostics));
        TestContext.Out.WriteLine(GeneratorHarness.Format(run.CompilationDiagnostics));
        var supp = run.Output.WithOptions(run.Output.Options.WithReportSuppressedDiagnostics(true)).GetDiagnostics();
        TestContext.Out.WriteLine("suppressed: " + GeneratorHarness.Format(supp.Where(x => x.IsSuppressed).Take(30)));
        TestContext.Out.WriteLine($"total {sw.ElapsedMilliseconds} ms");
    }
}
