using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// Compilation-wide requirements: the C# version the generated code needs, and the runtime and framework types it uses.
/// A missing one is reported once (a project setting has no line of code) and nothing is emitted, so there are no
/// follow-on errors in generated code.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class TargetTests
{
    // C# 10 syntax: a type body, not 'partial struct C;' (C# 12).
    private const string Cell = "using LstmGen; namespace N { [LstmCell(2, 3)] public partial struct Cell { } }";

    [Test]
    public void CSharp10_ReportsLstm0011Once_AndEmitsNothing()
    {
        var options = GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp10);
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(options),
            GeneratorHarness.CreateCompilation(options, Cell, "using LstmGen; [LstmCell(1, 1)] partial class Other { }"));

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0011" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        var message = run.GeneratorDiagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(message, Does.Contain("needs C# 11.0 or later").And.Contain("compiles as C# 10.0").And.Contain("set <LangVersion>12.0</LangVersion> or later"));
        Assert.That(run.Sources, Is.Empty);
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void CSharp11_IsEnough()
    {
        var options = GeneratorHarness.ErrorsOnlyParseOptions.WithLanguageVersion(LanguageVersion.CSharp11);
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(options), GeneratorHarness.CreateCompilation(options, Cell));

        Assert.That(run.GeneratorDiagnostics, Is.Empty, GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.Sources.Keys, Is.EqualTo(new[] { "N.Cell.g.cs" }));
        Assert.That(run.CompilationErrors, Is.Empty, "The generated code compiles as C# 11:" + GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void NoCellDeclared_NoTargetDiagnostic()
    {
        var options = GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp10);
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(options), GeneratorHarness.CreateCompilation(options, "class C { }"));

        Assert.That(run.GeneratorDiagnostics, Is.Empty);
    }

    [Test]
    public void AttributeWithoutRuntime_ReportsLstm0012_AndEmitsNothing()
    {
        // The user declared an LstmGen.LstmCellAttribute of their own and references no LstmGen runtime.
        const string ownAttribute = """
            namespace LstmGen
            {
                [System.AttributeUsage(System.AttributeTargets.Struct)]
                public sealed class LstmCellAttribute : System.Attribute { public LstmCellAttribute(int inputSize, int hiddenSize) { } }
            }
            """;
        var runtime = typeof(LstmCellAttribute).Assembly.Location;
        var compilation = CSharpCompilation.Create("NoRuntime",
            new[] { GeneratorHarness.Parse(ownAttribute, "Attr.cs"), GeneratorHarness.Parse(Cell, "Cell.cs") },
            GeneratorHarness.References.Where(r => !string.Equals(r.Display, runtime, StringComparison.Ordinal)),
            GeneratorHarness.CompilationOptions);

        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0012" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        Assert.That(run.GeneratorDiagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain("LstmGen runtime library"));
        Assert.That(run.Sources, Is.Empty);
        Assert.That(run.CompilationErrors, Is.Empty, GeneratorHarness.Format(run.CompilationErrors));
    }

    [Test]
    public void NetStandard20Consumer_ReportsLstm0012_NamingTheMissingTypes()
    {
        // A netstandard2.0 project that references the runtime assembly directly: no Vector256/Vector512, no generic math.
        var netstandard = NetStandardReference();
        if (netstandard is null) Assert.Ignore("netstandard.dll (NETStandard.Library 2.0.3) is not in the NuGet cache.");
        var compilation = CSharpCompilation.Create("NetStandardConsumer",
            new[] { GeneratorHarness.Parse(Cell, "Cell.cs") },
            new[] { MetadataReference.CreateFromFile(netstandard!), MetadataReference.CreateFromFile(typeof(LstmCellAttribute).Assembly.Location) },
            GeneratorHarness.CompilationOptions);

        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        Assert.That(run.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "LSTM0012" }), GeneratorHarness.Format(run.GeneratorDiagnostics));
        var message = run.GeneratorDiagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(message, Does.Contain("Vector256").And.Contain("Vector512").And.Contain("IFloatingPointIeee754").And.Contain(".NET 8"));
        Assert.That(run.Sources, Is.Empty);
    }

    [Test]
    public void TargetInfo_FromThisCompilation_IsSupported()
    {
        var target = Models.TargetInfo.FromCompilation(GeneratorHarness.CreateCompilation("class C { }")) with { LanguageVersion = LanguageVersion.CSharp12 };

        Assert.That(target.Supported, Is.True, target.ToString());
        Assert.That(LstmCellGenerator.TargetDiagnostics(target), Is.Empty);
    }

    private static string? NetStandardReference()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "netstandard.library", "2.0.3", "build", "netstandard2.0", "ref", "netstandard.dll");
        return File.Exists(path) ? path : null;
    }
}
