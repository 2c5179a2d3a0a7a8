using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// Runs <see cref="LstmCellGenerator"/> over source text the way the compiler does, and returns what it produced.
/// Trees are parsed as C# 12 (the .NET 8 SDK's language version), so generated code that needs a newer compiler fails.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    /// <summary>
    /// C# 12 without the nullable flow analysis, a quarter or so of the cost of binding the large generated kernels.
    /// Nullable analysis only reports warnings, so use this where a test checks for errors alone.
    /// </summary>
    public static readonly CSharpParseOptions ErrorsOnlyParseOptions = ParseOptions.WithFeatures(
        new[] { new KeyValuePair<string, string>("run-nullable-analysis", "never") });

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        warningLevel: 9999,
        // Report warnings silenced by the generated "#pragma warning disable" too, so the generated code itself is held to zero warnings.
        reportSuppressedDiagnostics: true);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The shared framework (from the trusted platform assemblies), the LstmGen runtime and System.Numerics.Tensors.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation(ParseOptions, sources);

    public static CSharpCompilation CreateCompilation(CSharpParseOptions parseOptions, params string[] sources)
        => CSharpCompilation.Create(
            "LstmGenTestInput",
            sources.Select((source, i) => Parse(source, $"Input{i}.cs", parseOptions)),
            References,
            CompilationOptions);

    public static SyntaxTree Parse(string source, string path = "Input.cs", CSharpParseOptions? parseOptions = null)
        => CSharpSyntaxTree.ParseText(source, parseOptions ?? ParseOptions, path);

    /// <summary>A fresh driver that records every named pipeline step; generated trees are parsed with <paramref name="parseOptions"/>.</summary>
    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null)
        => CSharpGeneratorDriver.Create(
            new[] { new LstmCellGenerator().AsSourceGenerator() },
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(default, trackIncrementalGeneratorSteps: true));

    /// <summary>Parses <paramref name="sources"/> (one tree each) and runs the generator once on a fresh driver.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    /// <summary>As <see cref="Run(string[])"/>, for tests that check for errors only: see <see cref="ErrorsOnlyParseOptions"/>.</summary>
    public static GeneratorRun RunForErrors(params string[] sources)
        => Run(CreateDriver(ErrorsOnlyParseOptions), CreateCompilation(ErrorsOnlyParseOptions, sources));

    /// <summary>Runs <paramref name="driver"/> (fresh or from an earlier run, for incrementality) on <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var runResult = driver.GetRunResult();
        var result = runResult.Results.Single();

        // The generator must never throw: an exception becomes CS8785 and drops every generated file.
        Assert.That(result.Exception, Is.Null, "The generator threw.");
        Assert.That(generatorDiagnostics.Where(d => d.Id is "CS8785" or "CS8784"), Is.Empty, "The generator failed: " + Format(generatorDiagnostics));

        var sources = result.GeneratedSources
            .ToImmutableSortedDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        return new GeneratorRun(compilation, output, driver, runResult, sources, generatorDiagnostics);
    }

    /// <summary>One diagnostic a line, with its file and position, for failure messages.</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics)
    {
        var lines = diagnostics.Select(d => "  " + d.ToString()).ToList();
        return lines.Count == 0 ? "(none)" : Environment.NewLine + string.Join(Environment.NewLine, lines);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Only the shared framework from the trusted platform assemblies: the test host also lists its own
        // dependencies (NUnit, Roslyn, FsCheck …), which a real consumer would not reference.
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var paths = trusted
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Append(typeof(LstmCellAttribute).Assembly.Location)
            .Append(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(path => path, StringComparer.Ordinal);
        return paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }
}

/// <summary>What one generator run produced.</summary>
/// <param name="Input">The compilation the generator saw.</param>
/// <param name="Output">The compilation with the generated trees added.</param>
/// <param name="Driver">The driver after the run; run it again for incrementality tests.</param>
/// <param name="RunResult">Generated sources, diagnostics and tracked steps.</param>
/// <param name="Sources">Hint name → generated text, in ordinal order.</param>
/// <param name="GeneratorDiagnostics">Diagnostics the generator reported.</param>
internal sealed record GeneratorRun(
    Compilation Input,
    Compilation Output,
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult,
    ImmutableSortedDictionary<string, string> Sources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    private ImmutableArray<Diagnostic> _compilationDiagnostics;

    /// <summary>Every diagnostic of the output compilation (binds every method body, so computed on first use).</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics
    {
        get
        {
            if (_compilationDiagnostics.IsDefault) _compilationDiagnostics = Output.GetDiagnostics();
            return _compilationDiagnostics;
        }
    }

    public GeneratorRunResult Result => RunResult.Results.Single();

    /// <summary>Every output of the tracked step <paramref name="trackingName"/> in this run, with why it was (re)computed.</summary>
    public IEnumerable<(object Value, IncrementalStepRunReason Reason)> StepOutputs(string trackingName)
        => Result.TrackedSteps.TryGetValue(trackingName, out var steps)
            ? steps.SelectMany(step => step.Outputs)
            : Enumerable.Empty<(object, IncrementalStepRunReason)>();

    public IEnumerable<Diagnostic> CompilationErrors => CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Output diagnostics located in a generated tree (a tree the input compilation did not have).</summary>
    public IEnumerable<Diagnostic> DiagnosticsInGeneratedTrees
    {
        get
        {
            var inputTrees = Input.SyntaxTrees.ToHashSet();
            return CompilationDiagnostics.Where(d => d.Location.SourceTree is { } tree && !inputTrees.Contains(tree));
        }
    }
}
