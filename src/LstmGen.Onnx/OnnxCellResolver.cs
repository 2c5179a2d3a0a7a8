using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace LstmGen.Onnx;

/// <summary>Ready-made <see cref="IOnnxCellResolver"/>s.</summary>
public static class OnnxCellResolver
{
    /// <summary>
    /// Picks, for each spec, the first of <paramref name="cellTypes"/> (generated cells) whose layout satisfies it.
    /// </summary>
    /// <exception cref="ArgumentException">A type is not a generated cell.</exception>
    public static IOnnxCellResolver FromCells(params Type[] cellTypes)
    {
        ArgumentNullException.ThrowIfNull(cellTypes);
        var cells = cellTypes.Select(type => (Type: type, Layout: LayoutOf(type ?? throw new ArgumentException("A cell type is null.", nameof(cellTypes))))).ToArray();
        return new DeclaredCells(cells);
    }

    /// <summary>A resolver from a function (it may return null when it has no cell for the spec).</summary>
    public static IOnnxCellResolver Create(Func<OnnxCellSpec, Type?> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        return new FunctionResolver(resolve);
    }

    /// <summary>The layout of a generated cell type, or an <see cref="ArgumentException"/> naming the type.</summary>
    internal static LstmCellLayout LayoutOf(Type cellType)
    {
        var cellInterface = typeof(ILstmCell<>).MakeGenericType(cellType);
        if (!cellInterface.IsAssignableFrom(cellType))
            throw new ArgumentException($"'{cellType.FullName}' is not an LstmGen cell: it does not implement ILstmCell<{cellType.Name}> (declare it with [LstmCell(D, H)] on a partial type).", nameof(cellType));
        var method = typeof(OnnxCellResolver).GetMethod(nameof(Layout), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(cellType);
        return (LstmCellLayout)method.Invoke(null, null)!;
    }

    private static LstmCellLayout Layout<TCell>() where TCell : ILstmCell<TCell> => TCell.Layout;

    private sealed class DeclaredCells((Type Type, LstmCellLayout Layout)[] cells) : IOnnxCellResolver
    {
        public Type ResolveCell(OnnxCellSpec spec)
        {
            foreach (var (type, layout) in cells)
                if (spec.IsSatisfiedBy(layout)) return type;
            var known = cells.Length == 0 ? "none" : string.Join("; ", cells.Select(c => $"{c.Type.Name} ({c.Layout.InputSize}x{c.Layout.HiddenSize} {c.Layout.Variant})"));
            throw new InvalidOperationException($"No cell for {spec}: declare [LstmCell({spec.InputSize}, {spec.HiddenSize})] with the options '{spec.Variant}' and pass it to the resolver. Cells given: {known}.");
        }
    }

    private sealed class FunctionResolver(Func<OnnxCellSpec, Type?> resolve) : IOnnxCellResolver
    {
        public Type ResolveCell(OnnxCellSpec spec)
            => resolve(spec) ?? throw new InvalidOperationException($"The resolver has no cell for {spec}.");
    }
}
