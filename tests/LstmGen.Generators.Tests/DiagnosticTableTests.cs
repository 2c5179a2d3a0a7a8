using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LstmGen.Generators.Diagnostics;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// The descriptor table, the release-tracking files and the pages of docs/diagnostics agree, and every help link
/// points at its page in the repository whose address Directory.Build.props sets (LstmGenRepositoryUrl).
/// </summary>
[TestFixture]
public sealed class DiagnosticTableTests
{
    [Test]
    public void Descriptors_AreNumberedInOrder()
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
                Assert.That(all[i].Category, Is.EqualTo("LstmGen"), id);
                Assert.That(all[i].DefaultSeverity, Is.EqualTo(Microsoft.CodeAnalysis.DiagnosticSeverity.Error), id);
            }
        });
    }

    [Test]
    public void EveryHelpLink_IsItsDocsPage_InTheConfiguredRepository()
    {
        var root = RepositoryRoot();
        var props = File.ReadAllText(Path.Combine(root, "Directory.Build.props"));
        var url = Regex.Match(props, "<LstmGenRepositoryUrl>([^<]+)</LstmGenRepositoryUrl>").Groups[1].Value.TrimEnd('/');
        Assert.That(url, Does.StartWith("https://"), "LstmGenRepositoryUrl in Directory.Build.props");

        Assert.Multiple(() =>
        {
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                var id = descriptor.Id;
                Assert.That(descriptor.HelpLinkUri, Is.EqualTo($"{url}/blob/main/docs/diagnostics/{id}.md"), id);
                var page = Path.Combine(root, "docs", "diagnostics", id + ".md");
                Assert.That(File.Exists(page), Is.True, $"{id}: the help link's page {page} exists");
            }
        });
    }

    [Test]
    public void EveryId_IsTracked_AndHasAPageWithCauseAndFix_ListedInTheIndex()
    {
        var root = RepositoryRoot();
        var releases = File.ReadAllText(Path.Combine(root, "generators", "LstmGen.Generators", "AnalyzerReleases.Shipped.md"))
            + File.ReadAllText(Path.Combine(root, "generators", "LstmGen.Generators", "AnalyzerReleases.Unshipped.md"));
        var index = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", "README.md"));

        Assert.Multiple(() =>
        {
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                var id = descriptor.Id;
                Assert.That(Regex.IsMatch(releases, $"^{id} \\| LstmGen \\| Error \\|", RegexOptions.Multiline), Is.True, $"{id} in AnalyzerReleases");
                var page = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", id + ".md"));
                Assert.That(page, Does.StartWith($"# {id}: {descriptor.Title}"), $"{id}.md starts with its ID and the descriptor's title");
                Assert.That(page, Does.Contain("\n## Cause\n").And.Contain("\n## Fix\n"), $"{id}.md has a Cause and a Fix section");
                Assert.That(index, Does.Contain($"| [{id}]({id}.md) |"), $"docs/diagnostics/README.md lists {id}");
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
