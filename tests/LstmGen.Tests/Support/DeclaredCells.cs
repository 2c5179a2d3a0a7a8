using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace LstmGen.Tests.Support;

/// <summary>The cells declared in this test assembly, found by reflection, and a way to call a generic test body per cell.</summary>
internal static class DeclaredCells
{
    /// <summary>Every non-standard cell of input size <paramref name="d"/> and hidden size <paramref name="h"/>, by name.</summary>
    public static IEnumerable<Type> Variants(int d, int h)
        => typeof(DeclaredCells).Assembly.GetTypes()
            .Where(t => !t.ContainsGenericParameters && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILstmCell<>)))
            .Where(t => Layout(t) is { } layout && layout.InputSize == d && layout.HiddenSize == h && !layout.Variant.IsStandard)
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>NUnit cases of <paramref name="cells"/>, shown by type name.</summary>
    public static IEnumerable<TestCaseData> Cases(IEnumerable<Type> cells)
        => cells.Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    public static LstmCellLayout Layout(Type cell)
        => (LstmCellLayout)cell.GetProperty("Layout", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    /// <summary>Calls the private static generic <paramref name="method"/> of <paramref name="owner"/> with TCell = <paramref name="cell"/>, rethrowing its exception as is.</summary>
    public static void Invoke(Type owner, string method, Type cell, params object?[] arguments)
    {
        try
        {
            owner.GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(cell).Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }
}
