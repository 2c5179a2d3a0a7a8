using System;
using System.Numerics;

namespace LstmGen.Layers;

/// <summary>
/// The recurrent state (h, c) of every layer and direction of an <see cref="LstmStack{T}"/> for a batch, carried from
/// one call to the next for stateful / truncated-BPTT training: a forward reads the initial state from it and writes the
/// final state back. No gradient flows through it (each chunk's backward stops at its first step).
/// </summary>
/// <remarks>
/// Layout: blocks in the order layer·directions + direction, each [B×H] of that layer — PyTorch's
/// <c>h_n</c>/<c>c_n</c> [layers·directions, B, H] when all layers have the same H.
/// </remarks>
public sealed class LstmState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal LstmState(int batch, int length)
    {
        Batch = batch;
        H = new T[length];
        C = new T[length];
    }

    /// <summary>Samples the state is for.</summary>
    public int Batch { get; }

    /// <summary>Hidden states of every layer and direction.</summary>
    public T[] H { get; }

    /// <summary>Cell states of every layer and direction.</summary>
    public T[] C { get; }

    /// <summary>Sets both states to zero (e.g. at the start of a new stream).</summary>
    public void Reset()
    {
        Array.Clear(H);
        Array.Clear(C);
    }
}
