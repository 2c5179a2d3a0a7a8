#!/usr/bin/env bash
# Runs the SIMD probe (tests/LstmGen.SimdProbe: forward, inference and every BPTT gradient of five cells, float and
# double) as ARM64 code under qemu-user and compares every array with the same probe run natively on x64 (whose
# results the test suite checks against the PyTorch golden vectors): double to 1e-12, float to 1e-5 normwise. This
# exercises the Vector128 path on NEON (AdvSimd FMA, the reciprocal estimate) on real ARM64 code. Emulated speed means
# nothing; not part of CI (it needs qemu and about 3 minutes). Also checks, within the ARM64 run, that the bfloat16
# step and the two-thread unit split give their bit-for-bit results.
#
# Needs: apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross
# Usage: bash tests/arm64/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build src/LstmGen/LstmGen.csproj -c Release -f net10.0 -v q -nologo
dotnet build generators/LstmGen.Generators/LstmGen.Generators.csproj -c Release -v q -nologo

# A project of the probe's source that references the built runtime assembly (not the multi-targeted project, whose
# restore for linux-arm64 would ask for net8.0 runtime packs) and the generator as an analyzer.
mkdir -p "$work/probe"
cp tests/LstmGen.SimdProbe/Program.cs "$work/probe/"
cat > "$work/probe/Arm64Probe.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$root/src/LstmGen/bin/Release/net10.0/LstmGen.dll" />
    <Analyzer Include="$root/generators/LstmGen.Generators/bin/Release/netstandard2.0/LstmGen.Generators.dll" />
  </ItemGroup>
</Project>
PROJECT
# The probe project must not pick up the repository's Directory.*.props/targets (its packages and analyzers).
printf '<Project />\n' > "$work/Directory.Build.props"
printf '<Project />\n' > "$work/Directory.Build.targets"
printf '<Project />\n' > "$work/Directory.Packages.props"

dotnet publish "$work/probe/Arm64Probe.csproj" -c Release -r linux-arm64 --self-contained -o "$work/arm64" -v q -nologo
dotnet publish "$work/probe/Arm64Probe.csproj" -c Release -r linux-x64 --self-contained -o "$work/x64" -v q -nologo

echo "x64 (native):"
"$work/x64/Arm64Probe" > "$work/x64.txt"
head -1 "$work/x64.txt"
echo "ARM64 (qemu-aarch64):"
QEMU_LD_PREFIX=/usr/aarch64-linux-gnu qemu-aarch64 "$work/arm64/Arm64Probe" > "$work/arm64.txt"
head -1 "$work/arm64.txt"
grep -q "Vector128=True" <(head -1 "$work/arm64.txt") || { echo "FAIL: Vector128 is not accelerated on ARM64"; exit 1; }

# Compare array by array: normwise relative error ||a - b|| / ||b||.
awk '
  FNR == 1 { next }
  $1 == "end" { next }
  NR == FNR { ref[$1] = $0; next }
  {
    name = $1; n = split(ref[name], r, " ");
    if (n != NF) { printf "FAIL %s: %d values on x64, %d on ARM64\n", name, n - 1, NF - 1; bad++; next }
    num = 0; den = 0;
    for (i = 2; i <= NF; i++) { d = $i - r[i]; num += d * d; den += r[i] * r[i] }
    err = den > 0 ? sqrt(num / den) : sqrt(num);
    tol = index(name, "/double/") ? 1e-12 : 1e-5;
    kind = index(name, "/double/") ? "double" : "float";
    if (err > worst[kind]) worst[kind] = err;
    if (err > tol) { printf "FAIL %s differs by %.3g (tolerance %g)\n", name, err, tol; bad++ }
    count++
  }
  END {
    printf "%d arrays compared; worst normwise difference ARM64 vs x64: double %.3g, float %.3g\n", count, worst["double"], worst["float"];
    if (count == 0 || bad > 0) exit 1
  }' "$work/x64.txt" "$work/arm64.txt"
# Within the ARM64 run: the bfloat16 step equals the float step on bfloat16-rounded weights, and one sequence on two
# threads (Probe64x128 splits its hidden units) equals one thread, bit for bit (as the x64 test asserts natively).
awk '
  { line[$1] = $0 }
  END {
    for (name in line) {
      other = name; sub(/\/bf16\.output$/, "/bf16.reference", other); sub(/\/single\.threads2$/, "/single.output", other);
      if (other == name) continue;
      a = line[name]; b = line[other]; sub(/^[^ ]+ /, "", a); sub(/^[^ ]+ /, "", b);
      if (a != b) { printf "FAIL %s differs from %s on ARM64\n", name, other; bad++ }
      pairs++
    }
    printf "%d bit-for-bit pairs checked on ARM64 (bfloat16 step, two threads)\n", pairs;
    if (pairs == 0 || bad > 0) exit 1
  }' "$work/arm64.txt"
echo "ARM64 check passed."
