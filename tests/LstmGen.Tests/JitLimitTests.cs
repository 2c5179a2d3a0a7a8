using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// Every generated method stays far inside the JIT's optimisation limits. RyuJIT switches to minimal optimisation
/// (MinOpts) for methods above 60,000 IL bytes or with very many locals or basic blocks, which would make a
/// fully unrolled kernel many times slower without any error. The generator's unroll budget is meant to keep every
/// method well below that: this test holds it to 16,000 IL bytes and 512 locals per method.
/// </summary>
public class JitLimitTests
{
    private const int MaxIlBytes = 16_000;
    private const int MaxLocals = 512;

    private static IEnumerable<Type> GeneratedCells(Assembly assembly)
        => assembly.GetTypes().Where(t => t.GetCustomAttribute<LstmCellAttribute>() is not null);

    [Test]
    public void EveryGeneratedMethod_IsWithinJitLimits()
    {
        var assemblies = new[] { typeof(Cell1x1).Assembly, typeof(LstmGen.SimdProbe.Program).Assembly };
        var cells = assemblies.SelectMany(GeneratedCells).OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        var names = cells.Select(c => c.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "Cell1x1", "Cell2x3", "Cell3x5", "Cell7x13", "Cell16x32", "Cell17x33", "Cell64x128", "Cell200x300" }),
            "the test cells, including the 200x300 one, must be found");

        var offenders = new List<string>();
        (int Size, string Method) largestIl = (0, "");
        (int Count, string Method) mostLocals = (0, "");
        var methodCount = 0;
        foreach (var cell in cells)
        {
            var methods = KernelMethods(cell);
            Assert.That(methods, Is.Not.Empty, $"{cell.Name} has no kernels class with static methods: the kernels were not found");
            foreach (var method in methods)
            {
                var body = method.GetMethodBody();
                if (body is null) continue;
                methodCount++;
                var il = body.GetILAsByteArray()?.Length ?? 0;
                var locals = body.LocalVariables.Count;
                var name = $"{cell.Name}.{method.Name}";
                if (il > largestIl.Size) largestIl = (il, name);
                if (locals > mostLocals.Count) mostLocals = (locals, name);
                if (il > MaxIlBytes || locals > MaxLocals)
                    offenders.Add($"{name}: {il} IL bytes, {locals} locals");
            }
        }

        TestContext.Out.WriteLine($"{methodCount} kernel methods in {cells.Count} cells ({string.Join(", ", names)}).");
        TestContext.Out.WriteLine($"Largest IL body: {largestIl.Size} bytes ({largestIl.Method}); most locals: {mostLocals.Count} ({mostLocals.Method}).");
        foreach (var cell in cells)
        {
            var methods = KernelMethods(cell)
                .Select(m => (m.Name, Body: m.GetMethodBody())).Where(m => m.Body is not null).ToList();
            var il = methods.OrderByDescending(m => m.Body!.GetILAsByteArray()!.Length).First();
            var locals = methods.OrderByDescending(m => m.Body!.LocalVariables.Count).First();
            TestContext.Out.WriteLine($"  {cell.Name,-12} largest IL {il.Body!.GetILAsByteArray()!.Length,6} ({il.Name}), most locals {locals.Body!.LocalVariables.Count,4} ({locals.Name})");
        }
        Assert.That(methodCount, Is.GreaterThan(cells.Count * 10), "methods inspected");
        Assert.That(offenders, Is.Empty, $"methods above {MaxIlBytes} IL bytes or {MaxLocals} locals");
    }

    /// <summary>
    /// The static methods of a cell's kernels: a file-local class named after the cell in LstmGen.Generated (the compiler
    /// decorates a file-local type's metadata name, so it is matched by its ending).
    /// </summary>
    private static MethodInfo[] KernelMethods(Type cell)
    {
        var kernels = cell.Assembly.GetTypes().Where(t => t.Namespace == "LstmGen.Generated" && t.Name.EndsWith("__" + cell.Name + "Kernels", StringComparison.Ordinal)).ToList();
        Assert.That(kernels, Has.Count.EqualTo(1), $"the kernels class of {cell.FullName}");
        return kernels[0].GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
    }
}
