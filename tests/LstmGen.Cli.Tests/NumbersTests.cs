using NUnit.Framework;

namespace LstmGen.Cli.Tests;

/// <summary>Losses and metrics print with up to three significant digits: plain in the everyday range, <c>7.54e-5</c> outside it.</summary>
public class NumbersTests
{
    [TestCase(7.536e-5, "7.54e-5")]
    [TestCase(0.0123456, "0.0123")]
    [TestCase(0.5, "0.5")]
    [TestCase(60.0, "60")]
    [TestCase(7.536, "7.54")]
    [TestCase(12345.6, "12346")]
    [TestCase(123456.0, "1.23e5")]
    [TestCase(-2.5e-7, "-2.5e-7")]
    [TestCase(9.9996e-4, "0.001")]
    [TestCase(0.0, "0")]
    [TestCase(double.NaN, "NaN")]
    public void Format_ThreeSignificantDigits(double value, string expected) => Assert.That(Numbers.Format(value), Is.EqualTo(expected));

    [Test]
    public void Format_TwoDigits() => Assert.That(Numbers.Format(3.14159e-9, 2), Is.EqualTo("3.1e-9"));
}
