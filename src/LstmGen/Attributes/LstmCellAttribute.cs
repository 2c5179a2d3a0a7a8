using System;

namespace LstmGen;

/// <summary>
/// Declares a specialised LSTM cell. Put it on a <c>partial struct</c> (or class); the LstmGen generator
/// then emits fixed-size float and double kernels (forward and BPTT backward) for that cell.
/// </summary>
/// <example>
/// <code>
/// [LstmCell(inputSize: 3, hiddenSize: 5)]
/// public partial struct TinyCell;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LstmCellAttribute : Attribute
{
    /// <summary>The largest input or hidden size the generator accepts (see docs/cells-and-variants.md).</summary>
    public const int MaxSize = 4096;

    /// <summary>Declares a cell with the given input size D and hidden size H.</summary>
    /// <param name="inputSize">Number of input features D (1 … <see cref="MaxSize"/>).</param>
    /// <param name="hiddenSize">Number of hidden units H (1 … <see cref="MaxSize"/>).</param>
    public LstmCellAttribute(int inputSize, int hiddenSize)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
    }

    /// <summary>Number of input features D.</summary>
    public int InputSize { get; }

    /// <summary>Number of hidden units H.</summary>
    public int HiddenSize { get; }
}
