#!/usr/bin/env bash
# Package proof: pack LstmGen, LstmGen.Testing, LstmGen.Kernels, LstmGen.Onnx and LstmGen.Dynamic into a temporary folder, then, from scratch
# with `dotnet new` and only those packages (plus nuget.org for third-party ones), with TreatWarningsAsErrors:
#   (a) a console app declares two cells, runs forward and backward, uses a precompiled kernel, and exports a network
#       to ONNX and imports it back (LstmGen.Onnx);
#   (b) an NUnit project runs LstmGen.Testing's gradient check and FsCheck properties on its own cells;
#   (c) a project with broken cell declarations must fail to build with exactly LSTM0001 and LSTM0004;
#   (d) the console app built as if by a compiler older than Roslyn 4.8 must fail with exactly LSTM1001;
#   (e) an F# console app runs forward and backward with a precompiled kernel (LstmGen.Kernels only);
#   (f) a console app compiles a cell at run time (LstmGen.Dynamic only), then loads it from the disk cache on a second run.
# NuGet uses an isolated package cache and source mapping (LstmGen* only from the local folder), so neither a
# stale cached package nor a package of the same name on nuget.org can stand in for the ones just packed.
# Usage: bash .ci/package-e2e.sh   (KEEP=1 keeps the temporary folder; CONFIGURATION defaults to Release)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}
started=$SECONDS
phase_started=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/lstmgen-e2e.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "e2e: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
feed=$work/feed

fail() { echo "e2e FAILED: $*" >&2; exit 1; }
phase() { echo "e2e: $1 took $((SECONDS - phase_started)) s"; phase_started=$SECONDS; }
# Pinned versions come from the repository's single source of truth.
pinned() { sed -n "s:.*<PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*:\1:p" Directory.Packages.props; }
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
[ -n "$version" ] || fail "no <Version> in Directory.Build.props"
repository_url=$(sed -n 's:.*<LstmGenRepositoryUrl>\(.*\)</LstmGenRepositoryUrl>.*:\1:p' Directory.Build.props)
[ -n "$repository_url" ] || fail "no <LstmGenRepositoryUrl> in Directory.Build.props"
command -v unzip >/dev/null || fail "unzip is required to inspect the packages"

# ---- 1. pack ---------------------------------------------------------------------------------------------------
dotnet pack LstmGen.sln -c "$configuration" -p:PackageOutputPath="$feed" -v:q -nologo
expected="LstmGen.$version.nupkg LstmGen.$version.snupkg LstmGen.Kernels.$version.nupkg LstmGen.Kernels.$version.snupkg LstmGen.Testing.$version.nupkg LstmGen.Testing.$version.snupkg LstmGen.Onnx.$version.nupkg LstmGen.Onnx.$version.snupkg LstmGen.Dynamic.$version.nupkg LstmGen.Dynamic.$version.snupkg"
actual=$(cd "$feed" && ls | sort | tr '\n' ' ' | sed 's/ $//')
# The three library packages and their symbols must be there; the CLI's .NET tool package (LstmGen.Cli) may be too.
for package in $expected; do
    [ -f "$feed/$package" ] || fail "pack produced [$actual], which lacks $package"
done

# (Listings are captured first: `unzip | grep -q` could end in SIGPIPE, which pipefail would count as a failure.)
has() { local listing; listing=$(unzip -l "$feed/$1"); grep -qE " $2\$" <<<"$listing" || fail "$1 lacks $2"; }
nuspec() { unzip -p "$feed/$1.$version.nupkg" "$1.nuspec"; }
for f in lib/net8.0/LstmGen.dll lib/net8.0/LstmGen.xml lib/net10.0/LstmGen.dll lib/net10.0/LstmGen.xml \
         analyzers/dotnet/cs/LstmGen.Generators.dll build/LstmGen.targets buildTransitive/LstmGen.targets README.md; do
    has "LstmGen.$version.nupkg" "$f"
done
for f in lib/net8.0/LstmGen.Testing.dll lib/net8.0/LstmGen.Testing.xml lib/net10.0/LstmGen.Testing.dll README.md; do
    has "LstmGen.Testing.$version.nupkg" "$f"
done
for f in lib/net8.0/LstmGen.Kernels.dll lib/net8.0/LstmGen.Kernels.xml README.md; do
    has "LstmGen.Kernels.$version.nupkg" "$f"
done
for f in lib/net8.0/LstmGen.Onnx.dll lib/net8.0/LstmGen.Onnx.xml lib/net10.0/LstmGen.Onnx.dll README.md THIRD-PARTY-NOTICES/onnx/LICENSE; do
    has "LstmGen.Onnx.$version.nupkg" "$f"
done
for f in lib/net8.0/LstmGen.Dynamic.dll lib/net8.0/LstmGen.Generators.dll lib/net10.0/LstmGen.Dynamic.dll lib/net10.0/LstmGen.Generators.dll README.md; do
    has "LstmGen.Dynamic.$version.nupkg" "$f"
done
spec=$(nuspec LstmGen.Dynamic)
grep -q '<dependency id="Microsoft.CodeAnalysis.CSharp" version="4.8.0"' <<<"$spec" || fail "LstmGen.Dynamic does not depend on Roslyn 4.8.0"
! grep -q '<dependency id="LstmGen.Generators"' <<<"$spec" || fail "LstmGen.Dynamic depends on a LstmGen.Generators package"
spec=$(nuspec LstmGen); ! grep -q 'LstmGen.Generators' <<<"$spec" || fail "LstmGen depends on LstmGen.Generators"
spec=$(nuspec LstmGen.Onnx)
grep -q '<dependency id="Google.Protobuf"' <<<"$spec" || fail "LstmGen.Onnx does not depend on Google.Protobuf"
! grep -qE 'Grpc.Tools|OnnxRuntime' <<<"$spec" || fail "LstmGen.Onnx depends on a build-time or test-only package"
spec=$(nuspec LstmGen.Testing); grep -q '<dependency id="FsCheck"' <<<"$spec" || fail "LstmGen.Testing does not depend on FsCheck"
listing=$(unzip -l "$feed/LstmGen.Kernels.$version.nupkg"); ! grep -q 'analyzers/' <<<"$listing" || fail "LstmGen.Kernels ships an analyzer"
for p in LstmGen LstmGen.Testing LstmGen.Kernels LstmGen.Onnx LstmGen.Dynamic; do
    spec=$(nuspec "$p")
    grep -q '<license type="expression">MIT</license>' <<<"$spec" || fail "$p has no MIT license expression"
    grep -q '<readme>README.md</readme>' <<<"$spec" || fail "$p has no readme"
    grep -q '<description>.' <<<"$spec" || fail "$p has no description"
    grep -q '<tags>.*lstm' <<<"$spec" || fail "$p has no tags"
    grep -q "<projectUrl>$repository_url</projectUrl>" <<<"$spec" || fail "$p: projectUrl is not $repository_url"
    grep -q "<repository type=\"git\" url=\"$repository_url\"" <<<"$spec" || fail "$p: repository url is not $repository_url"
    has "$p.$version.snupkg" "[^ ]*\.pdb"
done
echo "e2e: packages (bytes):"
(cd "$feed" && for f in *; do printf '  %-34s %9d\n' "$f" "$(stat -c %s "$f")"; done)
phase "pack"

# ---- 2. an isolated NuGet configuration ---------------------------------------------------------------------------
# Only now: packing the repository with this cache would re-restore it there (and recompile everything).
export NUGET_PACKAGES=$work/nuget-packages
cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="LstmGen" />
      <package pattern="LstmGen.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF
# Nothing from above the temporary folder (a stray Directory.Build.props in /tmp, say) may leak into the projects.
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' > "$work/$f"; done

strict() {   # TreatWarningsAsErrors on, like the repository; NU1603 off, like the repository (the package mirror
             # lacks some transitive versions of third-party packages, e.g. NUnit3TestAdapter's, and resolves a nearby one)
    sed -i 's:<TargetFramework>net10.0</TargetFramework>:&\n    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n    <NoWarn>$(NoWarn);NU1603</NoWarn>:' "$1"
    grep -q '<TreatWarningsAsErrors>true' "$1" || fail "could not turn on TreatWarningsAsErrors in $1"
}

# ---- 3. the projects, made with `dotnet new` and `dotnet add package` -------------------------------------------
add() { local project=$1; shift; for p in "$@"; do dotnet add "$project" package "${p%@*}" --version "${p#*@}" --no-restore >/dev/null; done; }

# (a) console app: two declared cells + one precompiled kernel; (d) reuses it.
app=$work/E2eConsole
dotnet new console -n E2eConsole -o "$app" --framework net10.0 --no-restore >/dev/null
strict "$app/E2eConsole.csproj"
add "$app" "LstmGen@$version" "LstmGen.Kernels@$version" "LstmGen.Onnx@$version"
cp "$repo/.ci/package-e2e/Console.cs" "$app/Program.cs"

# (b) NUnit project: the template's test packages at the versions the repository pins (the mirror has those), then ours.
tests=$work/E2eTests
dotnet new nunit -n E2eTests -o "$tests" --framework net10.0 --no-restore >/dev/null
strict "$tests/E2eTests.csproj"
sed -i '/<PackageReference /d' "$tests/E2eTests.csproj"
rm -f "$tests/UnitTest1.cs"
add "$tests" "Microsoft.NET.Test.Sdk@$(pinned Microsoft.NET.Test.Sdk)" "NUnit@$(pinned NUnit)" \
    "NUnit3TestAdapter@$(pinned NUnit3TestAdapter)" "FsCheck.NUnit@$(pinned FsCheck.NUnit)" \
    "LstmGen@$version" "LstmGen.Testing@$version"
cp "$repo/.ci/package-e2e/Tests.cs" "$tests/CellTests.cs"

# (c) a library with broken cell declarations.
broken=$work/E2eBroken
dotnet new classlib -n E2eBroken -o "$broken" --framework net10.0 --no-restore >/dev/null
strict "$broken/E2eBroken.csproj"
add "$broken" "LstmGen@$version"
rm -f "$broken/Class1.cs"
cp "$repo/.ci/package-e2e/Broken.cs" "$broken/Cells.cs"

# (e) F#: a precompiled kernel, no generator.
fsapp=$work/E2eFSharp
dotnet new console -lang "F#" -n E2eFSharp -o "$fsapp" --framework net10.0 --no-restore >/dev/null
strict "$fsapp/E2eFSharp.fsproj"
add "$fsapp" "LstmGen.Kernels@$version"
cp "$repo/.ci/package-e2e/FSharp.fs" "$fsapp/Program.fs"
# (f) run-time cells from LstmGen.Dynamic alone.
dynapp=$work/E2eDynamic
dotnet new console -n E2eDynamic -o "$dynapp" --framework net10.0 --no-restore >/dev/null
strict "$dynapp/E2eDynamic.csproj"
add "$dynapp" "LstmGen.Dynamic@$version"
cp "$repo/.ci/package-e2e/Dynamic.cs" "$dynapp/Program.cs"
phase "dotnet new"

# ---- 4. build, run and test them in parallel: they are independent, and mostly restore and build latency ----------
expect_errors() {   # project, expected error IDs (sorted), label, extra build arguments...
    local project=$1 want=$2 label=$3 output got; shift 3
    if output=$(dotnet build "$project" -c Release -nologo "$@" 2>&1); then fail "$label: the build succeeded"; fi
    got=$( (grep -oE 'error [A-Z]+[0-9]+' <<<"$output" || true) | awk '{print $2}' | sort -u | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$want" ] || { echo "$output"; fail "$label: errors [$got], expected [$want]"; }
    grep -E "error ($(tr ' ' '|' <<<"$want"))" <<<"$output" | sed 's/^ *//' | sort -u | sed -n '1,3p' | sed 's/^/  | /'
}
run_app() {   # project directory, the line the app prints on success
    local out
    dotnet build "$1" -c Release -v:q -nologo || fail "$1 does not build"
    out=$(dotnet run --project "$1" -c Release --no-build) || { echo "$out"; fail "$1 failed"; }
    echo "$out" | sed 's/^/  | /'
    grep -q "^$2\$" <<<"$out" || fail "$1 did not print '$2'"
}
check_console() {
    run_app "$app" "e2e console: OK"
    grep -q "$feed" "$NUGET_PACKAGES/lstmgen/$version/.nupkg.metadata" || fail "LstmGen was not restored from the local folder"
    # (d) a compiler older than Roslyn 4.8 is refused with LSTM1001, and nothing else.
    expect_errors "$app" "LSTM1001" "(d) old compiler" --no-restore -p:CompilerApiVersion=roslyn4.7
}
check_tests() {
    local log=$work/tests.log
    dotnet test "$tests" -c Release -nologo > "$log" 2>&1 || { cat "$log"; fail "(b) the NUnit project failed"; }
    grep -E 'Passed!|Failed!' "$log" | sed 's/^/  | /' || true
    grep -qE 'Passed! +- Failed: +0, Passed: +6,' "$log" || { cat "$log"; fail "(b) expected 6 passing tests"; }
}
check_broken() { expect_errors "$broken" "LSTM0001 LSTM0004" "(c) broken cells"; }
check_fsharp() { run_app "$fsapp" "e2e fsharp: OK"; }
check_dynamic() {
    export LSTMGEN_CACHE_DIR=$work/cell-cache
    run_app "$dynapp" "e2e dynamic: OK (compiled)"
    local out
    out=$(dotnet run --project "$dynapp" -c Release --no-build) || { echo "$out"; fail "(f) second run failed"; }
    grep -q "^e2e dynamic: OK (from disk)\$" <<<"$out" || { echo "$out"; fail "(f) the second run did not load the cell from the disk cache"; }
}

names=("(a)+(d) console, old compiler" "(b) NUnit + FsCheck" "(c) broken cells" "(e) F#" "(f) run-time cells")
checks=(check_console check_tests check_broken check_fsharp check_dynamic)
pids=()
for i in "${!checks[@]}"; do
    ( begun=$SECONDS; "${checks[$i]}"; echo "e2e: ${names[$i]}: OK in $((SECONDS - begun)) s" ) > "$work/check$i.log" 2>&1 &
    pids+=($!)
done
failed=0
for i in "${!checks[@]}"; do
    wait "${pids[$i]}" || failed=1
    cat "$work/check$i.log"
done
[ "$failed" = 0 ] || fail "see the messages above"
phase "checks (in parallel)"

total=$((SECONDS - started))
echo "e2e: packages OK in $total s"
if [ "$total" -gt 300 ]; then echo "e2e: WARNING: over the 5-minute budget ($total s)"; fi
