using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace LstmGen;

/// <summary>
/// Batch-split calls: the batch rows are divided into contiguous parts, each part runs the cell's kernel on its own
/// thread (part 0 on the caller's), with its rows gathered into contiguous scratch (the kernels are time-major, so a
/// part's rows are strided in x and output) and its own recording in the workspace. Rows never interact in an LSTM,
/// so outputs, states and dx equal the single-threaded call bit for bit; the parameter gradients of parts 1 … n − 1 go
/// to the workspace's buffers and are added to the caller's at the end (a different summation order).
/// </summary>
public static unsafe partial class Lstm
{
    private struct SplitCall<T> where T : unmanaged
    {
        public T* Parameters, Packed, X, H0, C0, Output, HT, CT;
        public T* DOutput, DhT, DcT, Dx, Dh0, Dc0, Gradients, PartGradients, Caches;
        public long PartLength;
        public int ParameterCount, PackedLength, Steps, Batch, Parts;
        public bool HasState, Training, HasOutputGradient, BFloat16;
    }

    private static (int First, int Count) PartRows(int batch, int parts, int part)
    {
        var first = (int)((long)part * batch / parts);
        return (first, (int)((long)(part + 1) * batch / parts) - first);
    }

    /// <summary>The batch-split forward; with <paramref name="packed"/> weights (inference only) each part runs the packed kernel.</summary>
    private static void ForwardSplit<TCell, T>(ReadOnlySpan<T> parameters, LstmWorkspace<TCell, T>? workspace,
        int steps, int batch, ReadOnlySpan<T> x, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, bool hasState,
        Span<T> output, Span<T> hT, Span<T> cT, int parts, ReadOnlySpan<T> packed = default, bool bfloat16 = false)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pParameters = parameters, pPacked = packed, pX = x, pH0 = h0, pC0 = c0, pOutput = output, pHT = hT, pCT = cT)
        fixed (T* pCaches = workspace is null ? default : workspace.PartCaches)
        {
            var call = new SplitCall<T>
            {
                Parameters = pParameters, ParameterCount = parameters.Length, Packed = packed.IsEmpty ? null : pPacked, PackedLength = packed.Length, BFloat16 = bfloat16, X = pX, H0 = hasState ? pH0 : null, C0 = hasState ? pC0 : null,
                Output = pOutput, HT = pHT, CT = pCT, Caches = pCaches, PartLength = workspace?.PartLength ?? 0,
                Steps = steps, Batch = batch, Parts = parts, HasState = hasState, Training = workspace is not null,
            };
            Workers.Run(parts, &ForwardPart<TCell, T>, &call);
        }
    }

    private static void ForwardPart<TCell, T>(int part, void* context)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var call = ref Unsafe.AsRef<SplitCall<T>>(context);
        int d = TCell.InputSize, h = TCell.HiddenSize, steps = call.Steps, batch = call.Batch;
        var (first, rows) = PartRows(batch, call.Parts, part);
        var xs = ArrayPool<T>.Shared.Rent(steps * rows * d);
        var outs = ArrayPool<T>.Shared.Rent(steps * rows * h);
        try
        {
            for (var t = 0; t < steps; t++)
                new ReadOnlySpan<T>(call.X + ((long)t * batch + first) * d, rows * d).CopyTo(xs.AsSpan(t * rows * d));
            ReadOnlySpan<T> parameters = new(call.Parameters, call.ParameterCount);
            ReadOnlySpan<T> h0 = call.HasState ? new(call.H0 + first * h, rows * h) : default;
            ReadOnlySpan<T> c0 = call.HasState ? new(call.C0 + first * h, rows * h) : default;
            Span<T> hT = new(call.HT + first * h, rows * h), cT = new(call.CT + first * h, rows * h);
            var cache = call.Training ? new Span<T>(call.Caches + part * call.PartLength, checked((int)TCell.CacheLength(steps, rows))) : default;
            var xPart = xs.AsSpan(0, steps * rows * d);
            var outPart = outs.AsSpan(0, steps * rows * h);
            if (call.Packed is null)
                KernelCalls.Forward<TCell, T>(parameters, steps, rows, xPart, h0, c0, outPart, hT, cT, cache);
            else if (call.BFloat16)
                KernelCalls.ForwardPackedBFloat16<TCell, T>(parameters, new ReadOnlySpan<T>(call.Packed, call.PackedLength), steps, rows, xPart, h0, c0, outPart, hT, cT);
            else
                KernelCalls.ForwardPacked<TCell, T>(parameters, new ReadOnlySpan<T>(call.Packed, call.PackedLength), steps, rows, xPart, h0, c0, outPart, hT, cT);
            for (var t = 0; t < steps; t++)
                outPart.Slice(t * rows * h, rows * h).CopyTo(new Span<T>(call.Output + ((long)t * batch + first) * h, rows * h));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(xs);
            ArrayPool<T>.Shared.Return(outs);
        }
    }

    private static void BackwardSplit<TCell, T>(LstmParameters<TCell, T> parameters, LstmWorkspace<TCell, T> workspace,
        LstmParameters<TCell, T> gradients, int steps, int batch, ReadOnlySpan<T> dOutput, bool hasOutputGradient,
        ReadOnlySpan<T> dhT, ReadOnlySpan<T> dcT, Span<T> dx, Span<T> dh0, Span<T> dc0, int parts)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var partGradients = workspace.PartGradients.AsSpan(0, (parts - 1) * TCell.ParameterCount);
        partGradients.Clear();
        fixed (T* pParameters = parameters.Data, pGradients = gradients.Data, pPartGradients = workspace.PartGradients, pCaches = workspace.PartCaches)
        fixed (T* pDOutput = dOutput, pDhT = dhT, pDcT = dcT, pDx = dx, pDh0 = dh0, pDc0 = dc0)
        {
            var call = new SplitCall<T>
            {
                Parameters = pParameters, ParameterCount = parameters.Length, Gradients = pGradients, PartGradients = pPartGradients,
                Caches = pCaches, PartLength = workspace.PartLength, DOutput = pDOutput, DhT = pDhT, DcT = pDcT, Dx = pDx, Dh0 = pDh0, Dc0 = pDc0,
                Steps = steps, Batch = batch, Parts = parts, HasOutputGradient = hasOutputGradient, Training = true,
            };
            Workers.Run(parts, &BackwardPart<TCell, T>, &call);
        }
        var sum = gradients.Data;
        for (var part = 1; part < parts; part++)
            TensorPrimitives.Add(sum, partGradients.Slice((part - 1) * TCell.ParameterCount, TCell.ParameterCount), sum);
    }

    private static void BackwardPart<TCell, T>(int part, void* context)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var call = ref Unsafe.AsRef<SplitCall<T>>(context);
        int d = TCell.InputSize, h = TCell.HiddenSize, steps = call.Steps, batch = call.Batch;
        var (first, rows) = PartRows(batch, call.Parts, part);
        var dOutputs = call.HasOutputGradient ? ArrayPool<T>.Shared.Rent(steps * rows * h) : null;
        var dxs = ArrayPool<T>.Shared.Rent(steps * rows * d);
        try
        {
            ReadOnlySpan<T> dOutput = default;
            if (dOutputs is not null)
            {
                for (var t = 0; t < steps; t++)
                    new ReadOnlySpan<T>(call.DOutput + ((long)t * batch + first) * h, rows * h).CopyTo(dOutputs.AsSpan(t * rows * h));
                dOutput = dOutputs.AsSpan(0, steps * rows * h);
            }
            ReadOnlySpan<T> parameters = new(call.Parameters, call.ParameterCount);
            ReadOnlySpan<T> dhT = new(call.DhT + first * h, rows * h), dcT = new(call.DcT + first * h, rows * h);
            Span<T> dh0 = new(call.Dh0 + first * h, rows * h), dc0 = new(call.Dc0 + first * h, rows * h);
            var gradients = part == 0 ? new Span<T>(call.Gradients, call.ParameterCount) : new Span<T>(call.PartGradients + (long)(part - 1) * call.ParameterCount, call.ParameterCount);
            var cache = new Span<T>(call.Caches + part * call.PartLength, checked((int)TCell.CacheLength(steps, rows)));
            var dxPart = dxs.AsSpan(0, steps * rows * d);
            KernelCalls.Backward<TCell, T>(parameters, steps, rows, cache, dOutput, dhT, dcT, dxPart, dh0, dc0, gradients);
            for (var t = 0; t < steps; t++)
                dxPart.Slice(t * rows * d, rows * d).CopyTo(new Span<T>(call.Dx + ((long)t * batch + first) * d, rows * d));
        }
        finally
        {
            if (dOutputs is not null) ArrayPool<T>.Shared.Return(dOutputs);
            ArrayPool<T>.Shared.Return(dxs);
        }
    }
}
