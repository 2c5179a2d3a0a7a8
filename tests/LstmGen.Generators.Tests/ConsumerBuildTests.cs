using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// Builds a real consumer project with <c>dotnet build</c>: Nullable enabled, warnings as errors, the recommended
/// analyzers at the latest level and code style enforced in the build, the runtime as a project reference and the
/// generator as an analyzer. The generated code must add no warning. Slow (restores and builds three projects).
/// </summary>
[TestFixture]
[Category("Slow")]
public sealed class ConsumerBuildTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net8.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>disable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <EnableNETAnalyzers>true</EnableNETAnalyzers>
            <AnalysisLevel>latest-recommended</AnalysisLevel>
            <EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>
            <GenerateDocumentationFile>true</GenerateDocumentationFile>
            <NoWarn>$(NoWarn);NU1603</NoWarn>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="{ROOT}/src/LstmGen/LstmGen.csproj" />
            <ProjectReference Include="{ROOT}/generators/LstmGen.Generators/LstmGen.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
          </ItemGroup>
        </Project>
        """;

    private const string Code = """
        using System;
        using LstmGen;

        namespace Consumer
        {
            /// <summary>A standard cell.</summary>
            [LstmCell(inputSize: 3, hiddenSize: 5)]
            public partial struct TinyCell;

            /// <summary>Every option but CIFG.</summary>
            [LstmCell(17, 33), Peephole, LayerNorm(Epsilon = 1e-3), ForgetBias(1.0), Clip(3.0)]
            public sealed partial class FullCell;

            /// <summary>Holds nested cells.</summary>
            public static partial class Holder
            {
                /// <summary>CIFG with per-gate layer norm.</summary>
                [LstmCell(8, 16), CoupledInputForgetGate, LayerNorm(PerGateStatistics = true)]
                public partial record struct CifgCell;
            }

            /// <summary>Runs one cell.</summary>
            public static class Use
            {
                /// <summary>Forward and backward once; returns the sum of the gradients.</summary>
                public static double Run()
                {
                    var parameters = new LstmParameters<TinyCell, double>();
                    parameters.InitializePyTorchDefault(new Random(0));
                    var workspace = new LstmWorkspace<TinyCell, double>(maxSteps: 2, maxBatch: 1);
                    var x = new double[2 * TinyCell.InputSize];
                    var output = new double[2 * TinyCell.HiddenSize];
                    var hT = new double[TinyCell.HiddenSize];
                    var cT = new double[TinyCell.HiddenSize];
                    TinyCell.Forward(parameters, workspace, 2, 1, x, output, hT, cT);
                    var gradients = new LstmParameters<TinyCell, double>();
                    var dx = new double[x.Length];
                    var dh0 = new double[hT.Length];
                    var dc0 = new double[cT.Length];
                    TinyCell.Backward(parameters, workspace, gradients, 2, 1, output, hT, cT, dx, dh0, dc0);
                    double sum = 0;
                    foreach (var g in gradients.Data) sum += g;
                    return sum;
                }
            }
        }

        // The keyword names are the user's choice (CA1716 warns about those, in the user's code); the generated code must still compile cleanly.
        #pragma warning disable CA1716
        namespace @event.M
        {
            /// <summary>Keyword names.</summary>
            public partial class @event
            {
                /// <summary>A cell named 'class'.</summary>
                [LstmCell(2, 3)]
                public partial struct @class;
            }
        }
        """;

    [Test]
    public void ConsumerProject_BuildsWithZeroWarnings()
    {
        var root = FindRepositoryRoot();
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "lstmgen-consumer-" + Guid.NewGuid().ToString("N")));
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "Consumer.csproj"), Project.Replace("{ROOT}", root, StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(directory.FullName, "Cells.cs"), Code);

            var (exitCode, output) = Run("dotnet", $"build \"{Path.Combine(directory.FullName, "Consumer.csproj")}\" -c Release -nologo -v:minimal", directory.FullName);
            TestContext.Out.WriteLine(output);

            Assert.That(exitCode, Is.EqualTo(0), "dotnet build failed:\n" + output);
            var problems = System.Text.RegularExpressions.Regex.Matches(output, @": (warning|error) [A-Z]+[0-9]+").Select(m => m.Value).ToList();
            Assert.That(problems, Is.Empty, output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Output) Run(string file, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet build did not finish within 10 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRepositoryRoot()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "LstmGen.sln"))) return d.FullName;
        }
        throw new InvalidOperationException("No LstmGen.sln above the test directory.");
    }
}
