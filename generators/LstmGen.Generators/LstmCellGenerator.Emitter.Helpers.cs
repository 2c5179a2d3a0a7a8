using System;
using System.Globalization;
using LstmGen.Generators.Helpers;
using LstmGen.Generators.Models;

namespace LstmGen.Generators;

public sealed partial class LstmCellGenerator
{
    internal static partial class Emitter
    {
        // ---------------------------------------------------------------- shared emit helpers

        /// <summary>The paths worth emitting for rows of length n: a vector path only if at least one register fits.</summary>
        private static SimdPath[] PathsFor(Precision p, int n)
            => Array.FindAll(SimdPath.All, path => path.IsScalar || path.Width(p) <= n);

        /// <summary>Calls the body of each path under its run-time condition, widest first, the scalar path last (as `else`).</summary>
        private static void WriteDispatch(IndentedTextWriter w, SimdPath[] paths, Action<SimdPath> call)
        {
            if (paths.Length == 1)
            {
                call(paths[0]);
                return;
            }
            for (var i = 0; i < paths.Length; i++)
            {
                var path = paths[i];
                var header = path.IsScalar ? "else" : i == 0 ? $"if ({path.Condition})" : $"else if ({path.Condition})";
                using (w.Open(header))
                    call(path);
            }
        }

        /// <summary>An elementwise method over n lanes: the widest accelerated vector path, then a scalar tail.</summary>
        private static void WriteElementwise(IndentedTextWriter w, Precision p, int n, string signature, Action<SimdPath, string> body)
        {
            WriteMemberAttributes(w, hot: true);
            using (w.Open($"private static void {signature}"))
            {
                w.WriteLine("int j = 0;");
                var vectorPaths = Array.FindAll(PathsFor(p, n), path => !path.IsScalar);
                for (var i = 0; i < vectorPaths.Length; i++)
                {
                    var path = vectorPaths[i];
                    var width = path.Width(p);
                    using (w.Open(i == 0 ? $"if ({path.Condition})" : $"else if ({path.Condition})"))
                    using (w.Open($"for (; j <= {Int(n - width)}; j += {Int(width)})"))
                        body(path, "j");
                }
                using (w.Open($"for (; j < {Int(n)}; j++)"))
                    body(SimdPath.Scalar, "j");
            }
            w.WriteLine();
        }

        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>A double constant as a round-trip C# literal (the double kernel is never rounded through float).</summary>
        private static string R(double value)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
        }

        private static string Bool(bool value) => value ? "true" : "false";

        private static bool IsConstant(string expression) => int.TryParse(expression, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

        /// <summary>a + b for two expressions, folded when both are constants.</summary>
        private static string AddExpr(string a, string b)
        {
            if (IsConstant(a) && IsConstant(b)) return Int(int.Parse(a, CultureInfo.InvariantCulture) + int.Parse(b, CultureInfo.InvariantCulture));
            if (a == "0") return b;
            if (b == "0") return a;
            return $"{a} + {b}";
        }
    }
}
