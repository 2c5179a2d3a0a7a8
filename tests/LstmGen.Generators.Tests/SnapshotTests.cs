using System;
using System.IO;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// The generated file of a tiny cell, compared with a committed golden file. To accept a deliberate change, run the tests
/// with <c>LSTMGEN_UPDATE_SNAPSHOTS=1</c>: the golden file in the source tree is rewritten instead of compared; review the diff.
/// </summary>
[TestFixture]
public sealed class SnapshotTests
{
    private const string UpdateVariable = "LSTMGEN_UPDATE_SNAPSHOTS";
    private const string VersionPlaceholder = "<VERSION>";

    private const string Cell2x3Source = """
        using LstmGen;

        namespace Snap;

        [LstmCell(2, 3)]
        public partial struct Cell2x3;
        """;

    [Test]
    public void Cell2x3_MatchesSnapshot()
    {
        var run = GeneratorHarness.Run(Cell2x3Source);
        Assert.That(run.Sources.Keys, Is.EqualTo(new[] { "Snap.Cell2x3.g.cs" }));
        var actual = Normalize(ReplaceVersion(run.Sources["Snap.Cell2x3.g.cs"]));

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var path = Path.Combine(FindRepositoryRoot(), "tests", "LstmGen.Generators.Tests", "Snapshots", "Cell2x3.g.cs.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            TestContext.Out.WriteLine($"{UpdateVariable}=1: wrote {path}");
            return;
        }

        var snapshot = Path.Combine(TestContext.CurrentContext.TestDirectory, "Snapshots", "Cell2x3.g.cs.txt");
        Assert.That(File.Exists(snapshot), Is.True, $"Missing snapshot {snapshot}; run the tests once with {UpdateVariable}=1 to create it.");
        var expected = Normalize(File.ReadAllText(snapshot));
        if (expected != actual)
            Assert.Fail($"Snapshots/Cell2x3.g.cs.txt differs from the generated file (rerun with {UpdateVariable}=1 to accept). {FirstDifference(expected, actual)}");
    }

    [Test]
    public void ReplaceVersion_RemovesEveryVersionMention()
    {
        var text = GeneratorHarness.Run(Cell2x3Source).Sources["Snap.Cell2x3.g.cs"];
        var version = LstmCellGenerator.Emitter.Version;

        Assert.That(text, Does.Contain($"// LstmGen {version}:"));
        Assert.That(text, Does.Contain($"GeneratedCode(\"LstmGen\", \"{version}\")"));
        var replaced = ReplaceVersion(text);
        Assert.That(replaced, Does.Not.Contain($"\"{version}\"").And.Not.Contain($"LstmGen {version}"));
        Assert.That(replaced, Does.Contain($"GeneratedCode(\"LstmGen\", \"{VersionPlaceholder}\")"));
    }

    /// <summary>Replaces the generator version where the emitter writes it: the header comment and every GeneratedCode attribute.</summary>
    private static string ReplaceVersion(string text)
    {
        var version = LstmCellGenerator.Emitter.Version;
        return text
            .Replace($"// LstmGen {version}:", $"// LstmGen {VersionPlaceholder}:", StringComparison.Ordinal)
            .Replace($"GeneratedCode(\"LstmGen\", \"{version}\")", $"GeneratedCode(\"LstmGen\", \"{VersionPlaceholder}\")", StringComparison.Ordinal);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var expectedLine = i < e.Length ? e[i] : "<end of file>";
            var actualLine = i < a.Length ? a[i] : "<end of file>";
            if (expectedLine != actualLine)
                return $"First difference at line {i + 1}:{Environment.NewLine}  expected: {expectedLine}{Environment.NewLine}  actual:   {actualLine}";
        }
        return "The texts differ only in line endings.";
    }

    /// <summary>The folder holding LstmGen.sln, found by walking up from the test binaries.</summary>
    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LstmGen.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No LstmGen.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
