using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace LstmGen.Generators.Tests;

/// <summary>
/// Random attribute usages, valid and invalid: random sizes (0, negative, huge, wrong types, non-constants), random
/// combinations of variant attributes and arguments (NaN, negative, beyond float, wrong types, duplicates), partial or
/// not, nested or top-level, every kind of type. The generator never throws; an invalid usage gets at least one LSTM
/// diagnostic and no source; a valid one gets no diagnostic and compiles with no errors or warnings.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RobustnessTests
{
    /// <summary>One random declaration and whether it is valid by the documented rules (docs/diagnostics) (an oracle written independently of the parser).</summary>
    public sealed record Usage(int Seed, string Source, bool Valid, string Why)
    {
        public override string ToString() => $"seed {Seed} ({(Valid ? "valid" : "invalid: " + Why)}):\n{Source}";
    }

    // Compiling a valid cell costs a second or two of CPU, invalid ones almost nothing: keep the default count modest.
    [FsCheck.NUnit.Property(MaxTest = 30, QuietOnSuccess = true, Parallelism = 2)]
    public Property RandomUsages_NeverCrash_AndAreDiagnosedOrCompile() => Check();

    [FsCheck.NUnit.Property(MaxTest = 300, QuietOnSuccess = true, Parallelism = 2)]
    [Category("Slow")]
    public Property RandomUsages_Many() => Check();

    private static Property Check()
        => Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).Select(Make).ToArbitrary(), usage =>
        {
            TestContext.Progress.WriteLine($"Robustness: seed {usage.Seed}, {(usage.Valid ? "valid" : "invalid")}");
            var run = GeneratorHarness.Run(usage.Source); // asserts no exception and no CS8784/CS8785
            var lstm = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("LSTM", StringComparison.Ordinal)).ToList();
            if (!usage.Valid)
            {
                Assert.That(lstm, Is.Not.Empty, $"An invalid usage gets an LSTM diagnostic. {usage}");
                Assert.That(run.Sources, Is.Empty, $"Nothing is emitted for an invalid usage. {usage}");
                return;
            }
            Assert.That(lstm, Is.Empty, $"{usage}{GeneratorHarness.Format(lstm)}");
            Assert.That(run.Sources, Has.Count.EqualTo(1), usage.ToString());
            var problems = run.CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.That(problems, Is.Empty, $"{usage}{GeneratorHarness.Format(problems)}");
        });

    [Test]
    public void Oracle_ProducesBothValidAndInvalidUsages()
    {
        var usages = Enumerable.Range(0, 200).Select(Make).ToList();
        Assert.That(usages.Count(u => u.Valid), Is.InRange(40, 160), "A useful mix");
    }

    public static Usage Make(int seed)
    {
        var random = new Random(seed);
        var why = new List<string>();
        bool Chance(double p) => random.NextDouble() < p;
        T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        // The type.
        var (kind, kindValid) = Chance(0.9)
            ? Pick(new[] { ("struct", true), ("class", true), ("sealed class", true), ("record", true), ("record struct", true), ("readonly struct", true) })
            : Pick(new[] { ("static class", false), ("ref struct", false), ("interface", false) });
        if (!kindValid) why.Add(kind);
        var partial = Chance(0.92);
        if (!partial) why.Add("not partial");
        var nested = Chance(0.3);
        var outerPartial = !nested || Chance(0.9);
        if (!outerPartial) why.Add("outer not partial");
        var generic = Chance(0.04);
        if (generic) why.Add("generic");

        // The sizes, positional or named (in either order).
        string Size(string name)
        {
            if (Chance(0.88))
            {
                var n = random.Next(1, 9);
                return Pick(new[] { $"{n}", $"(byte){n}", $"Sizes.C{n}", $"{n} * 1" });
            }
            var bad = Pick(new[] { "0", "-1", "4097", "int.MaxValue", "int.MinValue", "100000", "\"two\"", "2.5", "Sizes.ReadOnly", "null", "3L", "1, HiddenSize = 2" });
            why.Add($"{name} = {bad}");
            return bad;
        }
        var input = Size("inputSize");
        var hidden = Size("hiddenSize");
        var sizes = random.Next(3) switch
        {
            0 => $"{input}, {hidden}",
            1 => $"inputSize: {input}, hiddenSize: {hidden}",
            _ => $"hiddenSize: {hidden}, inputSize: {input}",
        };

        // The variants.
        var attributes = new List<string> { $"LstmCell({sizes})" };
        string Value(string what, string[] valid, string[] invalid)
        {
            if (Chance(0.8)) return Pick(valid);
            var bad = Pick(invalid);
            why.Add($"{what} = {bad}");
            return bad;
        }
        var cifg = Chance(0.25);
        var forgetBias = Chance(0.25);
        if (Chance(0.25)) attributes.Add(Chance(0.95) ? "Peephole" : Bad("Peephole(1)"));
        if (cifg) attributes.Add("CoupledInputForgetGate");
        if (Chance(0.25))
        {
            string Epsilon() => Value("Epsilon", new[] { "1e-5", "0.001", "1" }, new[] { "0", "-1e-5", "double.NaN", "double.PositiveInfinity", "1e-50", "\"x\"" });
            attributes.Add(random.Next(4) switch
            {
                0 => "LayerNorm",
                1 => $"LayerNorm(Epsilon = {Epsilon()})",
                2 => "LayerNorm(PerGateStatistics = true)",
                _ => $"LayerNorm(Epsilon = {Epsilon()}, PerGateStatistics = {(Chance(0.5) ? "true" : "false")})",
            });
        }
        if (forgetBias)
            attributes.Add($"ForgetBias({Value("ForgetBias", new[] { "1.0", "0", "-2.5", "1" }, new[] { "double.NaN", "double.NegativeInfinity", "1e300", "\"x\"", "true" })})");
        if (Chance(0.25))
            attributes.Add($"Clip({Value("Clip", new[] { "3.0", "0.5", "50" }, new[] { "0", "-1", "double.NaN", "1e39", "\"x\"" })})");
        if (Chance(0.04)) attributes.Add(Bad("Clip(1.0)")); // a second Clip, or a first one that is fine alone
        if (cifg && forgetBias) why.Add("ForgetBias with CIFG");
        var body = Chance(0.05) ? Bad("{ public const int InputSize = 1; }") : "{ }";

        string Bad(string text)
        {
            why.Add(text);
            return text;
        }

        // A lone 'Clip(1.0)' added by the duplicate branch is valid if no other Clip was added.
        if (why.Contains("Clip(1.0)") && attributes.Count(a => a.StartsWith("Clip(", StringComparison.Ordinal)) == 1) why.Remove("Clip(1.0)");

        var name = generic ? "Cell<TCell>" : "Cell";
        var cell = $"[{string.Join(", ", attributes)}]\npublic {(partial ? "partial " : "")}{kind} {name} {body}".Replace($"public partial {kind}", PartialKind(kind), StringComparison.Ordinal);
        var declaration = nested ? $"public {(outerPartial ? "partial " : "")}class Outer\n{{\n{cell}\n}}" : cell;
        var source = $$"""
            using LstmGen;
            namespace Random{{seed}};
            internal static class Sizes
            {
                public const int C1 = 1, C2 = 2, C3 = 3, C4 = 4, C5 = 5, C6 = 6, C7 = 7, C8 = 8;
                public static readonly int ReadOnly = 2;
            }
            {{declaration}}
            """;
        return new Usage(seed, source, why.Count == 0, string.Join("; ", why));
    }

    /// <summary>Modifiers go before 'partial': "public sealed partial class", "public readonly partial struct".</summary>
    private static string PartialKind(string kind)
    {
        var words = kind.Split(' ');
        return words.Length == 2 && words[0] is "sealed" or "static" or "readonly" or "ref"
            ? $"public {words[0]} partial {words[1]}"
            : $"public partial {kind}";
    }
}
