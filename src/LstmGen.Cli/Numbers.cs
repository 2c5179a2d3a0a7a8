using System;
using System.Globalization;

namespace LstmGen.Cli;

/// <summary>Numbers for people: up to three significant digits, plain between 0.001 and 100 000 (0.0123, 7.5, 12346), else <c>7.54e-5</c>.</summary>
internal static class Numbers
{
    public static string Format(double value, int digits = 3)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "−∞";
        if (value == 0) return "0";
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        var mantissa = Math.Round(value / Math.Pow(10, exponent), digits - 1);
        if (Math.Abs(mantissa) >= 10) (mantissa, exponent) = (mantissa / 10, exponent + 1);   // 9.996 rounds to 10.0
        if (exponent is >= -3 and < 5)
        {
            // Plain notation with the same significant digits (0.0123, 7.54, 12346 shown as 12346).
            var decimals = Math.Max(0, digits - 1 - exponent);
            var plain = Math.Round(value, decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
            return plain.Contains('.') ? plain.TrimEnd('0').TrimEnd('.') : plain;
        }
        return mantissa.ToString("0." + new string('#', digits - 1), CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
