using System;
using System.Collections.Generic;
using System.Linq;
using LstmGen.Tests.Support;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// The runtime's namespaces depend one way: the core (cells, kernels, workspaces, streams, sequence shapes) on nothing
/// above it; training pieces (tensors, initialisers, losses, clipping) on the core; layers and optimisers on those;
/// files (IO) on everything. Checked on the compiled assembly, so a fully qualified name cannot slip past.
/// </summary>
public class LayeringTests
{
    private static readonly string[] Core = { "LstmGen", "LstmGen.Numerics" };

    /// <summary>What each namespace may use besides itself. A new namespace must be placed here.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["LstmGen"] = Core,
        ["LstmGen.Numerics"] = Core,
        ["LstmGen.Training"] = Core,
        ["LstmGen.Optimizers"] = [.. Core, "LstmGen.Training"],
        ["LstmGen.Layers"] = [.. Core, "LstmGen.Training"],
        ["LstmGen.IO"] = [.. Core, "LstmGen.Training", "LstmGen.Optimizers", "LstmGen.Layers"],
    };

    private static readonly Dictionary<string, Dictionary<string, SortedSet<string>>> References =
        NamespaceReferences.Read(typeof(Lstm).Assembly.Location);

    [Test]
    public void EveryNamespace_UsesOnlyTheLayersBelowIt()
    {
        var namespaces = typeof(Lstm).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>().Distinct();
        var unplaced = namespaces.Where(n => !Allowed.ContainsKey(n)).ToList();
        Assert.That(unplaced, Is.Empty, "namespaces missing from the layering table");
        Assert.That(Violations(References, Allowed), Is.Empty);
    }

    [Test]
    public void Reader_SeesReferencesInSignaturesAndBodies()
    {
        // Signatures: layers expose ParameterTensor<T>; files take LstmNetwork<T>.
        Assert.That(References["LstmGen.Layers"].Keys, Does.Contain("LstmGen.Training"));
        Assert.That(References["LstmGen.IO"].Keys, Does.Contain("LstmGen.Layers"));
        // Method bodies only: DeterministicRandom's one use of the core is an argument check.
        Assert.That(References["LstmGen.Training"]["LstmGen"], Does.Contain("DeterministicRandom"));
    }

    [Test]
    public void Rules_ReportAnUpwardReference()
    {
        // The table with layers moved below training: the real references must then break it.
        var inverted = new Dictionary<string, string[]>(Allowed) { ["LstmGen.Layers"] = Core };
        Assert.That(Violations(References, inverted), Has.Some.StartsWith("LstmGen.Layers -> LstmGen.Training"));
    }

    private static List<string> Violations(Dictionary<string, Dictionary<string, SortedSet<string>>> references, Dictionary<string, string[]> allowed)
    {
        var violations = new List<string>();
        foreach (var (from, targets) in references)
        {
            var ok = allowed.GetValueOrDefault(from, Array.Empty<string>());
            foreach (var (to, types) in targets)
                if (!ok.Contains(to)) violations.Add($"{from} -> {to} (in {string.Join(", ", types)})");
        }
        violations.Sort(StringComparer.Ordinal);
        return violations;
    }
}
