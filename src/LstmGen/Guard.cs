using System;
using System.Runtime.CompilerServices;

namespace LstmGen;

/// <summary>Argument checks whose messages name the argument, the expected and the actual value.</summary>
internal static class Guard
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

    /// <summary>The shape text is an interpolated string that is only formatted when the length is wrong, so a passing check allocates nothing.</summary>
    public static void Length(int actual, long expected, string name, [InterpolatedStringHandlerArgument(nameof(actual), nameof(expected))] ref ShapeText shape)
    {
        if (actual != expected)
            throw new ArgumentException($"'{name}' has length {actual}, expected {expected} ({shape.ToStringAndClear()}).", name);
    }

    /// <summary>Formats the shape description of <see cref="Length(int, long, string, ref ShapeText)"/> only for a failing check.</summary>
    [InterpolatedStringHandler]
    public ref struct ShapeText
    {
        private DefaultInterpolatedStringHandler _text;

        public ShapeText(int literalLength, int formattedCount, int actual, long expected, out bool shouldAppend)
        {
            shouldAppend = actual != expected;
            _text = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        }

        public void AppendLiteral(string value) => _text.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

        public string ToStringAndClear() => _text.ToStringAndClear();
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
