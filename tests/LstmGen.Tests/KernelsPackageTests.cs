using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using FsCheck.Fluent;
using LstmGen.Kernels;
using LstmGen.Testing;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>The precompiled cells of LstmGen.Kernels: the registry matches the declarations and the documented grid, and every cell is correct.</summary>
public class KernelsPackageTests
{
    public static IEnumerable<TestCaseData> Shipped()
        => LstmKernels.All.Select(k => new TestCaseData(k).SetName($"{{m}}({k.CellType.Name})"));

    [Test]
    public void Registry_ListsExactlyTheDeclaredCells_OnTheGrid()
    {
        var declared = typeof(LstmKernels).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<LstmCellAttribute>() is not null)
            .Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var standardGrid = LstmKernels.InputSizes.SelectMany(d => LstmKernels.HiddenSizes.Select(h => (d, h))).ToList();
        var typePrefix = new Dictionary<string, string> { ["peephole"] = "Peephole", ["layerNorm"] = "LayerNorm", ["cifg"] = "Cifg" };
        var expected = standardGrid.Select(g => ("standard", $"Standard{g.d}x{g.h}", g.d, g.h))
            .Concat(LstmKernels.Variants.SelectMany(v => LstmKernels.VariantSizes.Select(g => (v, $"{typePrefix[v]}{g.InputSize}x{g.HiddenSize}", g.InputSize, g.HiddenSize))))
            .ToList();
        var standard = LstmKernels.All.Where(k => k.Variant == "standard").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(LstmKernels.All.Select(k => k.CellType.Name).OrderBy(n => n, StringComparer.Ordinal), Is.EqualTo(declared), "LstmKernels.All vs [LstmCell] types");
            Assert.That(LstmKernels.All.Select(k => (k.Variant, k.CellType.Name, k.InputSize, k.HiddenSize)), Is.EqualTo(expected), "registry vs the documented grid, in order");
            Assert.That(standard.Select(k => k.CellVariant.IsStandard), Is.All.True);
            Assert.That(standard.Select(k => k.ParameterCount), Is.EqualTo(standardGrid.Select(g => 4 * g.h * (g.d + g.h) + 8 * g.h)));
            foreach (var k in LstmKernels.All.Where(k => k.Variant != "standard"))
            {
                var v = k.CellVariant;
                var only = (v.Peephole, v.LayerNorm, v.CoupledInputForget, v.ForgetBias, v.Clip);
                var want = (k.Variant == "peephole", k.Variant == "layerNorm", k.Variant == "cifg", 0.0, (double?)null);
                Assert.That(only, Is.EqualTo(want), $"{k.CellType.Name}: its attributes are its variant and nothing else");
            }
        });
    }

    [Test]
    public void Find_ReturnsTheCellOrNull()
    {
        Assert.That(LstmKernels.Find(16, 32)?.CellType, Is.EqualTo(typeof(Standard16x32)));
        Assert.That(LstmKernels.Find(16, 32)!.Layout, Is.SameAs(Standard16x32.Layout));
        Assert.That(LstmKernels.Find(3, 5), Is.Null);
        Assert.That(LstmKernels.Find(16, 32, "peephole"), Is.Null);
        Assert.That(LstmKernels.Find(16, 64, "peephole")?.CellType, Is.EqualTo(typeof(Peephole16x64)));
        Assert.That(LstmKernels.Find(32, 128, "layerNorm")?.CellType, Is.EqualTo(typeof(LayerNorm32x128)));
        Assert.That(LstmKernels.Find(32, 128, "cifg")?.CellType, Is.EqualTo(typeof(Cifg32x128)));
    }

    [TestCase("docs/packages.md")]
    [TestCase("src/LstmGen.Kernels/README.md")]
    public void Readme_DocumentsTheShippedGrid(string file)
    {
        var text = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, file));
        Assert.That(text, Does.Contain($"D ∈ {{{string.Join(", ", LstmKernels.InputSizes)}}}")
            .And.Contain($"H ∈ {{{string.Join(", ", LstmKernels.HiddenSizes)}}}")
            .And.Contain($"{LstmKernels.All.Count} cells")
            .And.Contain(string.Join(", ", LstmKernels.VariantSizes.Select(g => $"{g.InputSize}×{g.HiddenSize}"))));
    }

    [TestCaseSource(nameof(Shipped))]
    public void ShippedCell_PassesGradientCheckAndInvariants(LstmKernelInfo kernel)
        => typeof(KernelsPackageTests).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(kernel.CellType).Invoke(null, null);

    private static void Check<TCell>() where TCell : ILstmCell<TCell>
    {
        // Random-direction mode: two forwards per tensor, so even 128×256 takes milliseconds.
        LstmAssert.GradientsMatch<TCell>(steps: 3, batch: 2, seed: 11, new GradientCheckOptions { RandomDirection = true });
        foreach (var c in LstmArbitrary.Cases<TCell, float>(maxSteps: 4, maxBatch: 3).Sample(10, 2))
            LstmInvariants.CheckAll(c);
    }
}
