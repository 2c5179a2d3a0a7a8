using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Onnx;

namespace LstmGen.Onnx.Import;

/// <summary>
/// Reads the values of a <see cref="TensorProto"/> (an initializer or a <c>Constant</c>), checking that the stored
/// data agrees with the declared shape before anything is allocated from it.
/// </summary>
internal sealed class TensorData
{
    private readonly TensorProto _tensor;
    private readonly Reader _reader;

    private TensorData(TensorProto tensor, long[] shape, long count, Reader reader)
    {
        _tensor = tensor;
        Shape = shape;
        Count = count;
        _reader = reader;
    }

    public long[] Shape { get; }

    public long Count { get; }

    public string Name => _tensor.Name;

    public int DataType => _tensor.DataType;

    public bool IsFloatingPoint => DataType is (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double;

    /// <summary>Checks shape, type and stored length; throws <see cref="OnnxFormatException"/> via <paramref name="fail"/>.</summary>
    public static TensorData From(TensorProto tensor, Func<string, Exception> fail)
    {
        var what = tensor.Name.Length > 0 ? $"tensor '{tensor.Name}'" : "a constant tensor";
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            throw fail($"{what} keeps its data in an external file; only models with their weights inside the .onnx file are supported.");
        if (tensor.Segment is not null) throw fail($"{what} is segmented; segmented tensors are not supported.");
        var shape = new long[tensor.Dims.Count];
        long count = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            var dim = tensor.Dims[i];
            if (dim < 0) throw fail($"{what} has a negative dimension ({dim}).");
            shape[i] = dim;
            count = dim == 0 ? 0 : count > int.MaxValue / dim ? long.MaxValue : count * dim;
            if (count > int.MaxValue) throw fail($"{what} declares more than {int.MaxValue} elements.");
        }
        var reader = tensor.DataType switch
        {
            (int)TensorProto.Types.DataType.Float => Stored(tensor.RawData.Length, 4, tensor.FloatData.Count),
            (int)TensorProto.Types.DataType.Double => Stored(tensor.RawData.Length, 8, tensor.DoubleData.Count),
            (int)TensorProto.Types.DataType.Int64 => Stored(tensor.RawData.Length, 8, tensor.Int64Data.Count),
            (int)TensorProto.Types.DataType.Int32 => Stored(tensor.RawData.Length, 4, tensor.Int32Data.Count),
            _ => throw fail($"{what} has element type {TypeName(tensor.DataType)}; supported: float, double, int64, int32."),
        };
        if (reader.Count != count)
            throw fail($"{what} declares shape [{string.Join(", ", shape)}] ({count} elements) but stores {reader.Count}.");
        return new TensorData(tensor, shape, count, reader);

        Reader Stored(int rawBytes, int size, int typedCount)
        {
            if (rawBytes > 0)
            {
                if (typedCount > 0) throw fail($"{what} stores its values twice (raw_data and a typed field).");
                if (rawBytes % size != 0) throw fail($"{what} has {rawBytes} bytes of raw data, not a multiple of its element size {size}.");
                return new Reader(true, rawBytes / size);
            }
            return new Reader(false, typedCount);
        }
    }

    /// <summary>The values as float (float or double tensors).</summary>
    public float[] ToFloats()
    {
        var values = new float[Count];
        var raw = _tensor.RawData.Span;
        switch (DataType)
        {
            case (int)TensorProto.Types.DataType.Float:
                if (_reader.Raw && BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(raw).CopyTo(values);   // ONNX stores little-endian
                else if (_reader.Raw) for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
                else _tensor.FloatData.CopyTo(values, 0);
                break;
            case (int)TensorProto.Types.DataType.Double:
                for (var i = 0; i < values.Length; i++)
                    values[i] = (float)(_reader.Raw ? BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]) : _tensor.DoubleData[i]);
                break;
            default:
                throw new InvalidOperationException("Not a floating-point tensor.");
        }
        return values;
    }

    /// <summary>The values as integers (int64 or int32 tensors).</summary>
    public long[] ToInt64s()
    {
        var values = new long[Count];
        var raw = _tensor.RawData.Span;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = DataType switch
            {
                (int)TensorProto.Types.DataType.Int64 => _reader.Raw ? BinaryPrimitives.ReadInt64LittleEndian(raw[(8 * i)..]) : _tensor.Int64Data[i],
                (int)TensorProto.Types.DataType.Int32 => _reader.Raw ? BinaryPrimitives.ReadInt32LittleEndian(raw[(4 * i)..]) : _tensor.Int32Data[i],
                _ => throw new InvalidOperationException("Not an integer tensor."),
            };
        }
        return values;
    }

    /// <summary>Whether every value is zero (any type).</summary>
    public bool IsAllZero()
    {
        if (IsFloatingPoint)
        {
            foreach (var v in ToFloats()) if (v != 0) return false;
            return true;
        }
        foreach (var v in ToInt64s()) if (v != 0) return false;
        return true;
    }

    public static string TypeName(int dataType) => Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
        ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant()
        : $"#{dataType}";

    private readonly record struct Reader(bool Raw, int Count);
}
