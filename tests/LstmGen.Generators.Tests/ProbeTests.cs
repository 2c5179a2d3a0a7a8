using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

public class ProbeTests
{
    [TestCase("namespace @event.M { [LstmCell(1, 1)] public partial struct C; }")]
    [TestCase("[LstmCell(1, 1)] public partial struct T;")]
    [TestCase("[LstmCell(1, 1)] public partial struct Forward;")]
    [TestCase("public partial struct O { [LstmCell(1, 1)] public partial struct C; } public partial struct O { }")]
    [TestCase("public partial interface IO { [LstmCell(1, 1)] public partial struct C; }")]
    [TestCase("[LstmCell(1, 1)] public partial struct C; [LstmCell(1, 1)] partial struct D {} ")]
    public void Probe(string body)
    {
        var src = "using LstmGen;\n" + (body.StartsWith("namespace") ? body : "namespace N {\n" + body + "\n}");
        var run = GeneratorHarness.Run(src);
        TestContext.Out.WriteLine("sources: " + string.Join(", ", run.Sources.Keys));
        TestContext.Out.WriteLine("gen: " + GeneratorHarness.Format(run.GeneratorDiagnostics));
        TestContext.Out.WriteLine("in: " + GeneratorHarness.Format(run.Input.GetDiagnostics()));
        TestContext.Out.WriteLine("gen-tree: " + GeneratorHarness.Format(run.DiagnosticsInGeneratedTrees.Take(5)));
    }

    [Test]
    public void Supp()
    {
        var c = GeneratorHarness.CreateCompilation("#pragma warning disable\nclass C { void M() { int unused; } }");
        TestContext.Out.WriteLine(GeneratorHarness.Format(c.WithOptions(c.Options.WithReportSuppressedDiagnostics(true)).GetDiagnostics().Select(d => d)));
        TestContext.Out.WriteLine(string.Join(",", c.WithOptions(c.Options.WithReportSuppressedDiagnostics(true)).GetDiagnostics().Select(d => d.IsSuppressed)));
    }
}
