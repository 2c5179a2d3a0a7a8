using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LstmGen.Generators.Diagnostics;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>The descriptor table, the release-tracking files and the README's Diagnostics table agree.</summary>
[TestFixture]
public sealed class DiagnosticTableTests
{
    [Test]
    public void Descriptors_AreNumberedInOrder_WithOneHelpAnchorEach()
    {
        var all = DiagnosticDescriptors.All;
        var fields = typeof(DiagnosticDescriptors).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Microsoft.CodeAnalysis.DiagnosticDescriptor)).ToList();

        Assert.That(all, Has.Length.EqualTo(fields.Count), "DiagnosticDescriptors.All lists every field");
        Assert.Multiple(() =>
        {
            for (var i = 0; i < all.Length; i++)
            {
                var id = $"LSTM{i + 1:0000}";
                Assert.That(all[i].Id, Is.EqualTo(id));
                Assert.That(all[i].HelpLinkUri, Does.EndWith("README.md#" + id.ToLowerInvariant()), id);
                Assert.That(all[i].Category, Is.EqualTo("LstmGen"), id);
                Assert.That(all[i].DefaultSeverity, Is.EqualTo(Microsoft.CodeAnalysis.DiagnosticSeverity.Error), id);
            }
        });
    }

    [Test]
    public void EveryId_IsTracked_AndHasAReadmeRowWithItsAnchor()
    {
        var root = RepositoryRoot();
        var releases = File.ReadAllText(Path.Combine(root, "generators", "LstmGen.Generators", "AnalyzerReleases.Shipped.md"))
            + File.ReadAllText(Path.Combine(root, "generators", "LstmGen.Generators", "AnalyzerReleases.Unshipped.md"));
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));

        Assert.Multiple(() =>
        {
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                var id = descriptor.Id;
                Assert.That(Regex.IsMatch(releases, $"^{id} \\| LstmGen \\| Error \\|", RegexOptions.Multiline), Is.True, $"{id} in AnalyzerReleases");
                Assert.That(Regex.IsMatch(readme, $"^\\| <a id=\"{id.ToLowerInvariant()}\"></a>{id} \\|.+\\|.+\\|$", RegexOptions.Multiline), Is.True,
                    $"README Diagnostics row '| <a id=\"{id.ToLowerInvariant()}\"></a>{id} | trigger | fix |'");
            }
        });
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LstmGen.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("No LstmGen.sln above the test directory.");
    }
}
