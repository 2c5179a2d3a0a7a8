using System;

namespace LstmGen.Onnx;

/// <summary>
/// Gate order between LstmGen (PyTorch: i, f, g, o) and ONNX (i, o, f, c): ours = ONNX blocks (0, 2, 3, 1); peepholes
/// <c>P</c> = [Pi, Po, Pf].
/// </summary>
internal static class Gates
{
    /// <summary>Our gate block b is ONNX block <c>OnnxBlockOfOurs[b]</c>.</summary>
    private static readonly int[] OnnxBlockOfOurs = { 0, 2, 3, 1 };

    /// <summary>Our peephole tensors in the order ONNX stores them in <c>P</c>.</summary>
    public static readonly string[] PeepholeOrder = { "w_ci", "w_co", "w_cf" };

    /// <summary>Copies 4 blocks of <paramref name="blockLength"/> from our order into ONNX's.</summary>
    public static void ToOnnx<T>(ReadOnlySpan<T> ours, Span<T> onnx, int blockLength)
    {
        for (var b = 0; b < 4; b++) ours.Slice(b * blockLength, blockLength).CopyTo(onnx.Slice(OnnxBlockOfOurs[b] * blockLength, blockLength));
    }

    /// <summary>Copies 4 blocks of <paramref name="blockLength"/> from ONNX's order into ours.</summary>
    public static void FromOnnx<T>(ReadOnlySpan<T> onnx, Span<T> ours, int blockLength)
    {
        for (var b = 0; b < 4; b++) onnx.Slice(OnnxBlockOfOurs[b] * blockLength, blockLength).CopyTo(ours.Slice(b * blockLength, blockLength));
    }
}
