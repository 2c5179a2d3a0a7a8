using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmGen;

/// <summary>
/// Calls a cell's raw kernels for a generic precision: the one place where <c>T</c> becomes float or double. The
/// callers have checked every length; the JIT removes the branch on the element type, so this is a direct call into
/// the generated code.
/// </summary>
internal static class KernelCalls
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward<TCell, T>(ReadOnlySpan<T> parameters, int steps, int batch, ReadOnlySpan<T> x,
        ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT, Span<T> cache)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            TCell.ForwardKernel(Cast<T, float>(parameters), steps, batch, Cast<T, float>(x), Cast<T, float>(h0), Cast<T, float>(c0),
                Cast<T, float>(output), Cast<T, float>(hT), Cast<T, float>(cT), Cast<T, float>(cache));
        }
        else if (typeof(T) == typeof(double))
        {
            TCell.ForwardKernel(Cast<T, double>(parameters), steps, batch, Cast<T, double>(x), Cast<T, double>(h0), Cast<T, double>(c0),
                Cast<T, double>(output), Cast<T, double>(hT), Cast<T, double>(cT), Cast<T, double>(cache));
        }
        else
        {
            throw Unsupported<T>();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward<TCell, T>(ReadOnlySpan<T> parameters, int steps, int batch, Span<T> cache,
        ReadOnlySpan<T> dOutput, ReadOnlySpan<T> dhT, ReadOnlySpan<T> dcT, Span<T> dx, Span<T> dh0, Span<T> dc0, Span<T> gradients)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            TCell.BackwardKernel(Cast<T, float>(parameters), steps, batch, Cast<T, float>(cache), Cast<T, float>(dOutput),
                Cast<T, float>(dhT), Cast<T, float>(dcT), Cast<T, float>(dx), Cast<T, float>(dh0), Cast<T, float>(dc0), Cast<T, float>(gradients));
        }
        else if (typeof(T) == typeof(double))
        {
            TCell.BackwardKernel(Cast<T, double>(parameters), steps, batch, Cast<T, double>(cache), Cast<T, double>(dOutput),
                Cast<T, double>(dhT), Cast<T, double>(dcT), Cast<T, double>(dx), Cast<T, double>(dh0), Cast<T, double>(dc0), Cast<T, double>(gradients));
        }
        else
        {
            throw Unsupported<T>();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PackWeights<TCell, T>(ReadOnlySpan<T> parameters, Span<T> packed)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) TCell.PackWeights(Cast<T, float>(parameters), Cast<T, float>(packed));
        else if (typeof(T) == typeof(double)) TCell.PackWeights(Cast<T, double>(parameters), Cast<T, double>(packed));
        else throw Unsupported<T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForwardPacked<TCell, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> packed, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            TCell.ForwardPackedKernel(Cast<T, float>(parameters), Cast<T, float>(packed), steps, batch, Cast<T, float>(x),
                Cast<T, float>(h0), Cast<T, float>(c0), Cast<T, float>(output), Cast<T, float>(hT), Cast<T, float>(cT));
        }
        else if (typeof(T) == typeof(double))
        {
            TCell.ForwardPackedKernel(Cast<T, double>(parameters), Cast<T, double>(packed), steps, batch, Cast<T, double>(x),
                Cast<T, double>(h0), Cast<T, double>(c0), Cast<T, double>(output), Cast<T, double>(hT), Cast<T, double>(cT));
        }
        else
        {
            throw Unsupported<T>();
        }
    }

    /// <summary>Packs with W_hhᵀ in bfloat16 (<see cref="LstmWeightFormat.BFloat16"/>); float only, checked by the caller.</summary>
    public static void PackWeightsBFloat16<TCell, T>(ReadOnlySpan<T> parameters, Span<T> packed)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => TCell.PackWeightsBFloat16(Cast<T, float>(parameters), Cast<T, float>(packed));

    /// <summary>The inference forward on weights packed by <see cref="PackWeightsBFloat16{TCell, T}"/>; float only, checked by the caller.</summary>
    public static void ForwardPackedBFloat16<TCell, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> packed, int steps, int batch,
        ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Span<T> output, Span<T> hT, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
        => TCell.ForwardPackedBFloat16Kernel(Cast<T, float>(parameters), Cast<T, float>(packed), steps, batch, Cast<T, float>(x),
            Cast<T, float>(h0), Cast<T, float>(c0), Cast<T, float>(output), Cast<T, float>(hT), Cast<T, float>(cT));

    /// <summary>One part of a unit-split inference forward (see <see cref="ILstmCell{TSelf}"/>.ForwardPartKernel).</summary>
    public static void ForwardPart<TCell, T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> packed, bool bfloat16, int part, int parts,
        Numerics.StepBarrier barrier, int steps, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> h0, Span<T> output, Span<T> cT)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            TCell.ForwardPartKernel(Cast<T, float>(parameters), Cast<T, float>(packed), bfloat16, part, parts, barrier, steps, batch,
                Cast<T, float>(x), Cast<T, float>(h0), Cast<T, float>(output), Cast<T, float>(cT));
        }
        else if (typeof(T) == typeof(double))
        {
            TCell.ForwardPartKernel(Cast<T, double>(parameters), Cast<T, double>(packed), bfloat16, part, parts, barrier, steps, batch,
                Cast<T, double>(x), Cast<T, double>(h0), Cast<T, double>(output), Cast<T, double>(cT));
        }
        else
        {
            throw Unsupported<T>();
        }
    }

    private static NotSupportedException Unsupported<T>() => new($"LstmGen kernels exist for float and double, not {typeof(T).Name}.");

    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> span) where TFrom : unmanaged where TTo : unmanaged
        => MemoryMarshal.Cast<TFrom, TTo>(span);

    private static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> span) where TFrom : unmanaged where TTo : unmanaged
        => MemoryMarshal.Cast<TFrom, TTo>(span);
}
