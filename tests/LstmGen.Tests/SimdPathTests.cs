using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using LstmGen.Testing;
using NUnit.Framework;

namespace LstmGen.Tests;

/// <summary>
/// The Vector512, Vector256, Vector128 and scalar paths of the kernels give the same results. The probe program
/// (tests/LstmGen.SimdProbe) runs a fixed-seed forward and backward for five cells in double and float and prints every
/// array; this test runs it four times, with the default ISA set, with AVX-512 disabled, with AVX disabled (which
/// leaves Vector128 accelerated, as on ARM64) and with all hardware intrinsics disabled, and compares the arrays:
/// double to 1e-12 normwise, float to 1e-5.
/// </summary>
/// <remarks>
/// .NET 10 folded the AVX-512 ISA knobs into one: <c>DOTNET_EnableAVX512=0</c> turns AVX-512 off, while
/// <c>DOTNET_EnableAVX512F=0</c> (the .NET 8/9 knob) is accepted but has no effect on .NET 10 (measured: Vector512
/// stays accelerated). The AVX-512-off run sets both, so it works on either runtime; the test asserts the
/// probe's reported paths, so a knob that stops working fails the test instead of silently comparing a path with itself.
/// </remarks>
[Category("Process")]
public class SimdPathTests
{
    private const double DoubleTolerance = 1e-12;
    private const double FloatTolerance = 1e-5;

    private sealed record ProbeRun(string Label, IReadOnlyDictionary<string, bool> Paths, IReadOnlyDictionary<string, string[]> Arrays);

    [Test]
    public void AllVectorPathsAgree()
    {
        var v512 = Vector512.IsHardwareAccelerated;
        var v256 = Vector256.IsHardwareAccelerated;
        TestContext.Out.WriteLine($"Test process: Vector512.IsHardwareAccelerated = {v512}, Vector256.IsHardwareAccelerated = {v256}.");
        if (!v512)
            TestContext.Out.WriteLine("NOTE: Vector512 is not accelerated on this machine: the V512 kernels are not exercised; the runs below compare V256 (if accelerated) with scalar only.");
        if (!v256)
            TestContext.Out.WriteLine("NOTE: Vector256 is not accelerated on this machine: only the scalar path is exercised.");

        var defaultRun = RunProbe("default", new Dictionary<string, string>());
        var noAvx512 = RunProbe("AVX-512 off", new Dictionary<string, string> { ["DOTNET_EnableAVX512F"] = "0", ["DOTNET_EnableAVX512"] = "0" });
        var noAvx = RunProbe("AVX off", new Dictionary<string, string> { ["DOTNET_EnableAVX"] = "0" });
        var scalar = RunProbe("scalar", new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" });

        Assert.Multiple(() =>
        {
            Assert.That(defaultRun.Paths["Vector512"], Is.EqualTo(v512), "default run: Vector512 as in the test process");
            Assert.That(defaultRun.Paths["Vector256"], Is.EqualTo(v256), "default run: Vector256 as in the test process");
            Assert.That(noAvx512.Paths["Vector512"], Is.False, "AVX-512 off: Vector512 must not be accelerated");
            Assert.That(noAvx512.Paths["Vector256"], Is.EqualTo(v256), "AVX-512 off: Vector256 as in the test process");
            Assert.That(noAvx.Paths["Vector512"], Is.False, "AVX off: Vector512 must not be accelerated");
            Assert.That(noAvx.Paths["Vector256"], Is.False, "AVX off: Vector256 must not be accelerated");
            Assert.That(noAvx.Paths["Vector128"], Is.EqualTo(Vector128.IsHardwareAccelerated), "AVX off: Vector128 as in the test process");
            Assert.That(scalar.Paths["Vector512"], Is.False, "scalar: Vector512 must not be accelerated");
            Assert.That(scalar.Paths["Vector256"], Is.False, "scalar: Vector256 must not be accelerated");
            Assert.That(scalar.Paths["Vector128"], Is.False, "scalar: Vector128 must not be accelerated");
        });

        var expectedNames = defaultRun.Arrays.Keys.ToArray();
        Assert.That(expectedNames, Has.Length.GreaterThanOrEqualTo(5 * 2 * 15), "arrays printed by the probe (5 cells × 2 precisions × 15 arrays)");
        foreach (var cell in new[] { "Probe3x5", "Probe5x40", "Probe16x32", "Probe17x33", "Probe64x128" })
            Assert.That(expectedNames.Count(n => n.StartsWith(cell + "/", StringComparison.Ordinal)), Is.EqualTo(32), $"arrays of {cell} (15 per precision, and the two bfloat16 arrays of float)");

        // bfloat16 weights: on every path, the bfloat16 step equals the float step on bfloat16-rounded weights bit for bit.
        Assert.Multiple(() =>
        {
            foreach (var run in new[] { defaultRun, noAvx512, noAvx, scalar })
                foreach (var cell in new[] { "Probe3x5", "Probe5x40", "Probe16x32", "Probe17x33", "Probe64x128" })
                    Assert.That(run.Arrays[cell + "/float/bf16.output"], Is.EqualTo(run.Arrays[cell + "/float/bf16.reference"]),
                        $"{run.Label}: {cell} bfloat16 step against the float step on rounded weights");
        });

        // One sequence on two threads (Probe64x128 splits its hidden units) equals one thread bit for bit on every path.
        Assert.Multiple(() =>
        {
            foreach (var run in new[] { defaultRun, noAvx512, noAvx, scalar })
                foreach (var cell in new[] { "Probe3x5", "Probe5x40", "Probe16x32", "Probe17x33", "Probe64x128" })
                    foreach (var precision in new[] { "float", "double" })
                        Assert.That(run.Arrays[$"{cell}/{precision}/single.threads2"], Is.EqualTo(run.Arrays[$"{cell}/{precision}/single.output"]),
                            $"{run.Label}: {cell} ({precision}) on two threads against one");
        });

        var worstDouble = 0.0;
        var worstFloat = 0.0;
        var differs = new Dictionary<string, int>();
        Assert.Multiple(() =>
        {
            foreach (var other in new[] { noAvx512, noAvx, scalar })
            {
                Assert.That(other.Arrays.Keys, Is.EquivalentTo(expectedNames), $"{other.Label}: array names");
                var bitwiseDifferent = 0;
                foreach (var name in expectedNames)
                {
                    if (!other.Arrays.TryGetValue(name, out var values)) continue;
                    var reference = Parse(defaultRun.Arrays[name]);
                    var actual = Parse(values);
                    Assert.That(actual, Has.Length.EqualTo(reference.Length), $"{other.Label}: length of {name}");
                    if (actual.Length != reference.Length) continue;
                    var error = Normwise.RelativeError(actual, reference);
                    if (!values.SequenceEqual(defaultRun.Arrays[name])) bitwiseDifferent++;
                    var isDouble = name.Contains("/double/", StringComparison.Ordinal);
                    if (isDouble) worstDouble = Math.Max(worstDouble, error);
                    else worstFloat = Math.Max(worstFloat, error);
                    Assert.That(error, Is.LessThanOrEqualTo(isDouble ? DoubleTolerance : FloatTolerance),
                        $"{other.Label} vs default: {name} differs by {error:E2} normwise");
                }
                differs[other.Label] = bitwiseDifferent;
            }
        });
        TestContext.Out.WriteLine($"Paths: default {Describe(defaultRun)}; AVX-512 off {Describe(noAvx512)}; AVX off {Describe(noAvx)}; scalar {Describe(scalar)}.");
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Worst normwise difference from the default run: double {worstDouble:E2} (tolerance {DoubleTolerance:E0}), float {worstFloat:E2} (tolerance {FloatTolerance:E0})."));
        foreach (var (label, count) in differs)
            TestContext.Out.WriteLine($"{label}: {count} of {expectedNames.Length} arrays differ bitwise from the default run (different summation order and activation code).");
    }

    private static string Describe(ProbeRun run) => string.Join(", ", run.Paths.Select(p => $"{p.Key}={p.Value}"));

    private static double[] Parse(string[] values)
        => Array.ConvertAll(values, v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture));

    private static ProbeRun RunProbe(string label, IReadOnlyDictionary<string, string> environment)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "LstmGen.SimdProbe.dll");
        Assert.That(File.Exists(probe), Is.True, $"the probe should be copied next to the test assembly: {probe}");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host)) host = "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(probe);
        // Start from a clean slate: no ISA or vector-width knob inherited from the test host's environment.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase) || key.StartsWith("COMPlus_Enable", StringComparison.OrdinalIgnoreCase)
                || key.Equals("DOTNET_PreferredVectorBitWidth", StringComparison.OrdinalIgnoreCase)
                || key.Equals("COMPlus_PreferredVectorBitWidth", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{label}: the probe did not finish within 120 s.");
        }
        var errors = stderr.Result;
        Assert.That(process.ExitCode, Is.EqualTo(0), $"{label}: probe exit code; stderr: {errors}");

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.Not.Empty, $"{label}: the probe printed nothing; stderr: {errors}");
        Assert.That(lines[^1].Trim(), Is.EqualTo("end"), $"{label}: the probe's output is incomplete");
        var pathWords = lines[0].Trim().Split(' ');
        Assert.That(pathWords[0], Is.EqualTo("paths"), $"{label}: the first line should report the paths: {lines[0]}");
        var paths = pathWords.Skip(1).Select(w => w.Split('=')).ToDictionary(kv => kv[0], kv => bool.Parse(kv[1]));
        var arrays = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Take(lines.Length - 2))
        {
            var words = line.Trim().Split(' ');
            Assert.That(arrays.ContainsKey(words[0]), Is.False, $"{label}: {words[0]} printed twice");
            arrays[words[0]] = words.Skip(1).ToArray();
        }
        TestContext.Out.WriteLine($"{label}: {lines[0].Trim()} ({arrays.Count} arrays)");
        return new ProbeRun(label, paths, arrays);
    }
}
