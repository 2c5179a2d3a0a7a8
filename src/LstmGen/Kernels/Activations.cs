using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmGen.Kernels;

/// <summary>
/// The gate non-linearities the generated kernels call, in place over a run of elements.
/// They use <see cref="TensorPrimitives"/>, which vectorises with the same Vector512/Vector256/scalar choice as the kernels
/// and saturates correctly (σ(−∞) = 0, tanh(±∞) = ±1).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Activations
{
    /// <summary>σ(v) = 1 / (1 + e^−v), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sigmoid(ref float first, int length)
    {
        var span = MemoryMarshal.CreateSpan(ref first, length);
        TensorPrimitives.Sigmoid(span, span);
    }

    /// <summary>σ(v) = 1 / (1 + e^−v), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sigmoid(ref double first, int length)
    {
        var span = MemoryMarshal.CreateSpan(ref first, length);
        TensorPrimitives.Sigmoid(span, span);
    }

    /// <summary>tanh, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tanh(ref float first, int length)
    {
        var span = MemoryMarshal.CreateSpan(ref first, length);
        TensorPrimitives.Tanh(span, span);
    }

    /// <summary>tanh, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tanh(ref double first, int length)
    {
        var span = MemoryMarshal.CreateSpan(ref first, length);
        TensorPrimitives.Tanh(span, span);
    }

    /// <summary>destination = tanh(source).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tanh(ref float source, ref float destination, int length)
        => TensorPrimitives.Tanh(MemoryMarshal.CreateReadOnlySpan(ref source, length), MemoryMarshal.CreateSpan(ref destination, length));

    /// <summary>destination = tanh(source).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tanh(ref double source, ref double destination, int length)
        => TensorPrimitives.Tanh(MemoryMarshal.CreateReadOnlySpan(ref source, length), MemoryMarshal.CreateSpan(ref destination, length));
}
