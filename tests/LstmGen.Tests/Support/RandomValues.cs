using System;
using System.Linq;
using System.Numerics;

namespace LstmGen.Tests.Support;

/// <summary>Random test data shared by the equivalence tests (stream, packed weights): values in U(−1, 1).</summary>
internal static class RandomValues
{
    public static T[] Uniform<T>(Random random, int length) where T : struct
        => typeof(T) == typeof(float)
            ? (T[])(object)Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()
            : (T[])(object)Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();

    /// <summary>PyTorch's initialisation, then non-trivial variant tensors (peepholes, layer-norm gains and shifts) so each of them matters.</summary>
    public static LstmParameters<TCell, T> Parameters<TCell, T>(Random random)
        where TCell : ILstmCell<TCell> where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameters = new LstmParameters<TCell, T>();
        parameters.InitializePyTorchDefault(random);
        foreach (var tensor in TCell.Layout.Tensors.Where(t => t.Name.StartsWith("w_c", StringComparison.Ordinal) || t.Name.StartsWith("ln_", StringComparison.Ordinal)))
            Uniform<T>(random, tensor.Length).AsSpan().CopyTo(parameters.Tensor(tensor.Name));
        return parameters;
    }
}
