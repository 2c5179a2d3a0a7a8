using System.Collections.Immutable;
using System.Linq;
using LstmGen.Generators.Helpers;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>Hint names are valid for Roslyn, unique ignoring case, and stable.</summary>
[TestFixture]
public sealed class HintNamesTests
{
    [Test]
    public void PlainNames_AreKept_NestingBecomesDots()
    {
        var plan = HintNames.CreatePlan(ImmutableArray.Create("N.A", "N.Outer+Cell"));

        Assert.That(plan, Is.EqualTo(HintNames.Plan.Empty));
        Assert.That(HintNames.For("N.A", plan), Is.EqualTo("N.A.g.cs"));
        Assert.That(HintNames.For("N.Outer+Cell", plan), Is.EqualTo("N.Outer.Cell.g.cs"));
    }

    [Test]
    public void NamesMeetingAfterReduction_AreSuffixed_WithDistinctStableHashes()
    {
        // Same letters ignoring case, and a nested type against a namespace of the same dotted name.
        var names = ImmutableArray.Create("N.Cell", "N.cell", "N.A+B", "N.A.B");
        var plan = HintNames.CreatePlan(names);

        var hints = names.Select(name => HintNames.For(name, plan)!).ToList();
        Assert.That(hints.Distinct(System.StringComparer.OrdinalIgnoreCase).Count(), Is.EqualTo(4), string.Join(", ", hints));
        Assert.That(hints, Has.All.Match("^[A-Za-z0-9_.]+\\.[0-9a-f]{16}\\.g\\.cs$"));
        Assert.That(HintNames.For("N.Cell", HintNames.CreatePlan(names)), Is.EqualTo(hints[0]), "Stable");
    }

    [Test]
    public void IdenticalNames_AreDropped()
    {
        var plan = HintNames.CreatePlan(ImmutableArray.Create("N.C", "N.C", "N.D"));

        Assert.That(HintNames.For("N.C", plan), Is.Null);
        Assert.That(HintNames.For("N.D", plan), Is.EqualTo("N.D.g.cs"));
    }

    [Test]
    public void CharactersRoslynRejects_AreReplaced()
    {
        Assert.That(HintNames.For("Données.Zelle\u00E9", HintNames.Plan.Empty), Does.Match("^Donn_es\\.Zelle_\\.[0-9a-f]{16}\\.g\\.cs$"));
    }
}
