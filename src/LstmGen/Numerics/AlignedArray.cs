using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmGen.Numerics;

/// <summary>
/// Memory for the kernels that starts on a cache-line boundary (64 bytes, one Vector512), so that vector loads and
/// stores of rows whose length is a multiple of the vector never straddle two lines: a straddling load costs two.
/// Measured on a product with its operands 8 bytes off the boundary: 1.10–1.15× slower on AVX2 (on AVX-512 every
/// load of such a row straddles).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CacheLine
{
    /// <summary>Bytes per cache line, the boundary the kernels' buffers start on.</summary>
    public const int Bytes = 64;

    /// <summary>
    /// How many elements after <paramref name="start"/> the next cache-line boundary is. Computed from the current
    /// address: for memory the GC may move (a rented array), a caller computes it once per call and uses the same
    /// element offset throughout, so a move costs speed, never correctness.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int ElementsToBoundary<T>(ref T start) where T : unmanaged
    {
        var misalignment = (int)((nuint)Unsafe.AsPointer(ref start) % Bytes);
        return (Bytes - misalignment) % Bytes / sizeof(T);
    }

    /// <summary>Elements to rent so that <paramref name="length"/> of them fit after the first boundary.</summary>
    public static unsafe int PaddedLength<T>(int length) where T : unmanaged => checked(length + Bytes / sizeof(T));
}

/// <summary>A pinned, zeroed array whose usable part starts on a cache-line boundary (the pinned heap never moves it).</summary>
internal sealed class AlignedArray<T> where T : unmanaged
{
    private readonly T[] _array;
    private readonly int _offset;

    public AlignedArray(int length)
    {
        _array = length == 0 ? Array.Empty<T>() : GC.AllocateArray<T>(CacheLine.PaddedLength<T>(length), pinned: true);
        _offset = length == 0 ? 0 : CacheLine.ElementsToBoundary(ref MemoryMarshal.GetArrayDataReference(_array));
        Length = length;
    }

    public int Length { get; }

    public Span<T> Span => _array.AsSpan(_offset, Length);

    /// <summary>The first element (on the boundary).</summary>
    public ref T Start => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset);
}
