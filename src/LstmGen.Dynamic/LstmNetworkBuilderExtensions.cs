using System.Numerics;
using LstmGen.Layers;

namespace LstmGen.Dynamic;

/// <summary>Run-time cells in <see cref="LstmNetworkBuilder{T}"/>.</summary>
public static class LstmNetworkBuilderExtensions
{
    /// <summary>Adds an LSTM layer over the run-time cell <paramref name="cell"/> (as <c>Lstm&lt;TCell&gt;</c> does for a declared one).</summary>
    public static LstmNetworkBuilder<T> Lstm<T>(this LstmNetworkBuilder<T> builder, DynamicLstmCell cell, bool bidirectional = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        System.ArgumentNullException.ThrowIfNull(builder);
        System.ArgumentNullException.ThrowIfNull(cell);
        return builder.Layer(cell.CreateLayer<T>(bidirectional));
    }
}
