using System;

namespace LstmGen;

/// <summary>Argument checks whose messages name the argument, the expected and the actual value.</summary>
internal static class Check
{
    public static void Positive(int value, string name)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be positive, got {value}.");
    }

    public static void Length(int actual, long expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"'{name}' has length {actual}, expected {expected}.", name);
    }

    /// <summary>A length check with a shape description (main's layers call this form; the description is built by the caller).</summary>
    public static void Length(int actual, long expected, string name, string shape)
    {
        if (actual != expected)
            throw new ArgumentException($"'{name}' has length {actual}, expected {expected} ({shape}).", name);
    }

    /// <summary>A [steps × batch × width] tensor. The message is only built on failure, so a passing check allocates nothing.</summary>
    public static void SequenceLength(int actual, int steps, int batch, long width, string name, string widthName)
    {
        var expected = (long)steps * batch * width;
        if (actual != expected)
            throw new ArgumentException($"'{name}' has length {actual}, expected {expected} (steps {steps} × batch {batch} × {widthName} {width}).", name);
    }

    /// <summary>A [batch × width] state tensor.</summary>
    public static void StateLength(int actual, int batch, long width, string name)
    {
        var expected = (long)batch * width;
        if (actual != expected)
            throw new ArgumentException($"'{name}' has length {actual}, expected {expected} (batch {batch} × hiddenSize {width}).", name);
    }
}

/// <summary>The element types the kernels support.</summary>
internal static class Precision
{
    public static void EnsureSupported<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"LstmGen kernels exist for float and double, not {typeof(T).Name}.");
    }
}
