#!/usr/bin/env bash
# The samples (not in LstmGen.sln, so the README's test command stays as it is): build all of them, run the two
# programs (each exits non-zero when its result is wrong) and the variant-cell sample's tests.
# Usage: bash .ci/samples.sh   (CONFIGURATION defaults to Release)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
configuration=${CONFIGURATION:-Release}
started=$SECONDS

dotnet build samples/Samples.sln -c "$configuration" -nologo -v:q
for sample in sensor-forecast char-model; do
    echo "samples: $sample"
    dotnet run --project "samples/$sample" -c "$configuration" --no-build | sed 's/^/  | /'
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "samples: $sample FAILED"; exit 1; }
done
echo "samples: variant-cell tests"
dotnet test samples/variant-cell/VariantCell.Tests -c "$configuration" --no-build -nologo
echo "samples: OK in $((SECONDS - started)) s"
