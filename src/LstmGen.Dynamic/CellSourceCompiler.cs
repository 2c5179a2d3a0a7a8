using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using LstmGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LstmGen.Dynamic;

/// <summary>
/// Turns a cell declaration into assembly bytes exactly as a build does: the real <see cref="LstmCellGenerator"/>
/// runs through <see cref="CSharpGeneratorDriver"/>, then Roslyn compiles the declaration and the generated kernels
/// (optimised) against the running framework and the loaded LstmGen runtime.
/// </summary>
internal static class CellSourceCompiler
{
    /// <summary>C# 12 (Roslyn 4.8's newest), nullable flow analysis off: it only yields warnings and costs a quarter of the binding.</summary>
    private static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.CSharp12)
        .WithFeatures(new[] { new KeyValuePair<string, string>("run-nullable-analysis", "never") });

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static byte[] Compile(LstmCellSpec spec, string assemblyName, string @namespace, string typeName)
    {
        var source = $"using LstmGen;\nnamespace {@namespace};\n{spec.Declaration(typeName)}\n";
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, "Cell.cs") },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release, allowUnsafe: true, deterministic: true));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new LstmCellGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        ThrowOnError(spec, generatorDiagnostics);
        using var stream = new MemoryStream();
        var result = output.Emit(stream);
        ThrowOnError(spec, result.Diagnostics);
        if (!result.Success) throw new LstmCellCompilationException(spec, "CS0000", "the compiler failed without an error diagnostic.");
        return stream.ToArray();
    }

    private static void ThrowOnError(LstmCellSpec spec, IEnumerable<Diagnostic> diagnostics)
    {
        var error = diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is not null) throw new LstmCellCompilationException(spec, error.Id, error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The shared framework's assemblies (the trusted platform assemblies in its folder), LstmGen and System.Numerics.Tensors.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtime = typeof(ILstmCell<>).Assembly.Location;
        var tensors = typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location;
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (string.IsNullOrEmpty(runtime) || string.IsNullOrEmpty(tensors) || string.IsNullOrEmpty(frameworkDirectory))
            throw new PlatformNotSupportedException("Run-time cells need the framework and LstmGen.dll as files on disk to compile against; a single-file or AOT-compiled program cannot compile cells (declare them at build time instead).");
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return trusted
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Append(runtime)
            .Append(tensors)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
