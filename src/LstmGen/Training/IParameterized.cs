using System.Collections.Generic;
using System.Numerics;

namespace LstmGen.Training;

/// <summary>Something with trainable tensors: a layer, a stack, a whole network.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IParameterized<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Every trainable tensor with its state-dict name, in a fixed order (the order files are written in).</summary>
    IReadOnlyList<ParameterTensor<T>> Parameters { get; }
}
