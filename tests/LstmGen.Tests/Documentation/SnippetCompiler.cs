using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LstmGen.Tests.Documentation;

/// <summary>
/// Compiles C# text in memory the way a new project made with <c>dotnet new</c> would — C# 12 (the .NET 8 default),
/// nullable on, the SDK's implicit usings — against the LstmGen runtime, LstmGen.Testing, LstmGen.Kernels, FsCheck
/// and NUnit, with LstmGen's source generator running; and runs a compiled program in-process.
/// </summary>
internal static class SnippetCompiler
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    /// <summary>What Microsoft.NET.Sdk adds with ImplicitUsings=enable (the default of every `dotnet new` template).</summary>
    public const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);
    private static readonly Lazy<ISourceGenerator> LazyGenerator = new(LoadGenerator);

    /// <summary>Compiles <paramref name="sources"/> (path, text) plus the implicit usings, with the generator.</summary>
    public static SnippetBuild Compile(OutputKind kind, params (string Path, string Text)[] sources)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path, Encoding.UTF8)).ToList();
        var ownTrees = trees.ToHashSet();
        trees.Add(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "ImplicitUsings.g.cs", Encoding.UTF8));
        var compilation = CSharpCompilation.Create(
            "Snippet" + Guid.NewGuid().ToString("N"),
            trees,
            LazyReferences.Value,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));

        CSharpGeneratorDriver.Create(new[] { LazyGenerator.Value }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        using var image = new MemoryStream();
        var emitted = output.Emit(image);

        // Errors anywhere; warnings only where the snippet's own code is (generated code is held to zero warnings by the generator's tests).
        var diagnostics = generatorDiagnostics.Concat(emitted.Diagnostics)
            .Where(d => !d.IsSuppressed && (d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && ownTrees.Contains(tree))))
            .Distinct()
            .ToImmutableArray();
        return new SnippetBuild(emitted.Success ? image.ToArray() : null, diagnostics);
    }

    /// <summary>
    /// Runs the entry point of <paramref name="image"/> with the working directory <paramref name="workingDirectory"/>
    /// and returns what it wrote to the console. Not thread-safe: the console and the working directory are the process's.
    /// </summary>
    public static string Run(byte[] image, string workingDirectory)
    {
        var context = new AssemblyLoadContext("snippet", isCollectible: true);
        var previousOut = Console.Out;
        var previousDirectory = Environment.CurrentDirectory;
        var output = new StringWriter();
        try
        {
            var entryPoint = context.LoadFromStream(new MemoryStream(image)).EntryPoint
                ?? throw new InvalidOperationException("The program has no entry point.");
            Console.SetOut(output);
            Environment.CurrentDirectory = workingDirectory;
            object? result;
            try
            {
                result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() });
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw new InvalidOperationException($"The program threw {e.InnerException.GetType().Name}: {e.InnerException.Message}\nIt printed:\n{output}", e.InnerException);
            }
            if (result is Task task) task.GetAwaiter().GetResult();
            if (result is Task<int> { Result: var taskCode } && taskCode != 0 || result is int code && code != 0)
                throw new InvalidOperationException($"The program's exit code is not 0.\nIt printed:\n{output}");
            return output.ToString();
        }
        finally
        {
            Console.SetOut(previousOut);
            Environment.CurrentDirectory = previousDirectory;
            context.Unload();
        }
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The shared framework (not the test host's own dependencies), then what a user's project would reference.
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var paths = trusted
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Concat(new[]
            {
                typeof(LstmCellAttribute), typeof(LstmGen.Testing.LstmAssert), typeof(LstmGen.Dynamic.LstmCellCompiler), typeof(LstmGen.Kernels.LstmKernels), typeof(LstmGen.Onnx.OnnxModel),
                typeof(System.Numerics.Tensors.TensorPrimitives), typeof(FsCheck.Arbitrary<>), typeof(Microsoft.FSharp.Core.FSharpFunc<,>),
                typeof(NUnit.Framework.Assert), typeof(FsCheck.NUnit.PropertyAttribute),
            }.Select(t => t.Assembly.Location))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(path => path, StringComparer.Ordinal);
        return paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    /// <summary>The generator assembly the build copies into generator/ next to the tests (the project references it as an analyzer only).</summary>
    private static ISourceGenerator LoadGenerator()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "generator", "LstmGen.Generators.dll");
        if (!File.Exists(path)) throw new FileNotFoundException("The generator was not copied next to the tests (see LstmGen.Tests.csproj).", path);
        var type = Assembly.LoadFrom(path).GetType("LstmGen.Generators.LstmCellGenerator", throwOnError: true)!;
        return ((IIncrementalGenerator)Activator.CreateInstance(type)!).AsSourceGenerator();
    }
}

/// <summary>A compiled snippet: the assembly (null if the build failed) and its errors and own warnings.</summary>
internal sealed record SnippetBuild(byte[]? Image, ImmutableArray<Diagnostic> Diagnostics)
{
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    public string Describe() => Diagnostics.Length == 0
        ? "(no diagnostics)"
        : string.Join(Environment.NewLine, Diagnostics.Select(d => "  " + d));
}
