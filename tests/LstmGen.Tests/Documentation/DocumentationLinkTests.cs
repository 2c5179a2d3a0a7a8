using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace LstmGen.Tests.Documentation;

/// <summary>Every relative link of the documentation (README.md, CONTRIBUTING.md, CHANGELOG.md, docs/, samples/) leads to a file or folder of the repository.</summary>
public sealed class DocumentationLinkTests
{
    private static readonly Regex Link = new(@"\]\((?<target>[^)\s]+)\)", RegexOptions.Compiled);
    private static readonly Regex CodeBlock = new(@"```.*?```", RegexOptions.Compiled | RegexOptions.Singleline);

    public static IEnumerable<string> Pages()
    {
        var root = Paths.RepositoryRoot;
        return new[] { "README.md", "CONTRIBUTING.md", "CHANGELOG.md" }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "samples"), "README.md", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)))
            .Select(p => p.Replace('\\', '/'))
            .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal);
    }

    [TestCaseSource(nameof(Pages))]
    public void RelativeLinks_Resolve(string page)
    {
        var broken = BrokenLinks(Paths.RepositoryRoot, page, File.ReadAllText(Path.Combine(Paths.RepositoryRoot, page)));
        Assert.That(broken, Is.Empty, $"links in {page} that lead nowhere");
    }

    [Test]
    public void ABrokenLink_IsFound()
        => Assert.That(BrokenLinks(Paths.RepositoryRoot, "docs/page.md", "See [this](no-such-page.md) and [that](../README.md#install)."),
            Is.EqualTo(new[] { "no-such-page.md" }));

    private static List<string> BrokenLinks(string root, string page, string markdown)
    {
        var folder = Path.GetDirectoryName(Path.Combine(root, page))!;
        return Link.Matches(CodeBlock.Replace(markdown, ""))
            .Select(m => m.Groups["target"].Value)
            .Where(t => !t.StartsWith("http://", StringComparison.Ordinal) && !t.StartsWith("https://", StringComparison.Ordinal) && !t.StartsWith('#'))
            .Where(t => t.Split('#')[0] is var path && !File.Exists(Path.Combine(folder, path)) && !Directory.Exists(Path.Combine(folder, path)))
            .ToList();
    }
}
