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
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<LstmCellAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Type, x.Attribute!.InputSize, x.Attribute.HiddenSize))
            .OrderBy(x => x.InputSize).ThenBy(x => x.HiddenSize).ToList();
        var grid = LstmKernels.InputSizes.SelectMany(d => LstmKernels.HiddenSizes.Select(h => (d, h))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(LstmKernels.All.Select(k => (k.CellType, k.InputSize, k.HiddenSize)), Is.EqualTo(declared), "LstmKernels.All vs [LstmCell] types");
            Assert.That(declared.Select(x => (x.InputSize, x.HiddenSize)), Is.EqualTo(grid), "declared cells vs InputSizes × HiddenSizes");
            Assert.That(declared.Select(x => x.Type.Name), Is.EqualTo(grid.Select(g => $"Standard{g.d}x{g.h}")), "names");
            Assert.That(LstmKernels.All.Select(k => k.Variant).Distinct(), Is.EqualTo(new[] { "standard" }));
            Assert.That(LstmKernels.All.Select(k => k.ParameterCount), Is.EqualTo(grid.Select(g => 4 * g.h * (g.d + g.h) + 8 * g.h)));
        });
    }

    [Test]
    public void Find_ReturnsTheCellOrNull()
    {
        Assert.That(LstmKernels.Find(16, 32)?.CellType, Is.EqualTo(typeof(Standard16x32)));
        Assert.That(LstmKernels.Find(16, 32)!.Layout, Is.SameAs(Standard16x32.Layout));
        Assert.That(LstmKernels.Find(3, 5), Is.Null);
        Assert.That(LstmKernels.Find(16, 32, "peephole"), Is.Null);
    }

    [TestCase("README.md")]
    [TestCase("src/LstmGen.Kernels/README.md")]
    public void Readme_DocumentsTheShippedGrid(string file)
    {
        var text = File.ReadAllText(Path.Combine(Paths.RepositoryRoot, file));
        Assert.That(text, Does.Contain($"D ∈ {{{string.Join(", ", LstmKernels.InputSizes)}}}")
            .And.Contain($"H ∈ {{{string.Join(", ", LstmKernels.HiddenSizes)}}}")
            .And.Contain($"{LstmKernels.All.Count} cells"));
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
