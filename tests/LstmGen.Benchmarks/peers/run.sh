#!/usr/bin/env bash
# Peer comparison (not part of CI): PyTorch 1.13's nn.LSTM on OpenBLAS, ONNX Runtime's LSTM operator
# (onnxruntime-node) and LstmGen, on the same weights and inputs, T = 100, float32, in one run.
# Checks that the three agree, then prints one table of times, GFLOP/s, % of FMA peak and ratios.
#
#   tests/LstmGen.Benchmarks/peers/run.sh              # 1 thread everywhere
#   THREADS=2 tests/LstmGen.Benchmarks/peers/run.sh    # 2 threads everywhere
#   SHAPES=16x32/1,64x128/32 tests/LstmGen.Benchmarks/peers/run.sh
#   NO_BUILD=1 ...                                     # reuse the last Release build of the benchmark project
#
# Installs what it needs (as root): Debian's libopenblas0-openmp (made the libblas.so.3 that torch loads: the
# reference BLAS is 10-50x slower and would flatter us) and npm's onnxruntime-node (--ignore-scripts) in $WORK.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
export THREADS=${THREADS:-1} STEPS=${STEPS:-100}
export SHAPES=${SHAPES:-16x32/1,32x64/1,64x128/1,64x128/32,128x256/32,256x512/1,256x512/32}
work=${WORK:-/tmp/lstmgen-peers}
data="$work/data"
mkdir -p "$data" "$work/node"

# --- installs ---------------------------------------------------------------------------------------------
if ! dpkg -s libopenblas0-openmp >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq libopenblas0-openmp
fi
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3
update-alternatives --set libblas.so.3-x86_64-linux-gnu "$openblas" >/dev/null
if [ ! -d "$work/node/node_modules/onnxruntime-node" ]; then
  (cd "$work/node" && npm init -y >/dev/null && npm install --ignore-scripts --no-audit --no-fund onnxruntime-node >/dev/null)
fi
export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS

# torch must really run on OpenBLAS: check the loaded library and a 512x512 matmul rate.
/usr/bin/python3 - <<'PY'
import time, torch
lib = [l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l and l.split()[-1].endswith('.so.3')]
a = torch.rand(512, 512); b = torch.rand(512, 512)
for _ in range(3): a @ b
t = time.perf_counter(); n = 20
for _ in range(n): a @ b
gf = 2 * 512 ** 3 * n / (time.perf_counter() - t) / 1e9
print(f"torch {torch.__version__}, BLAS {sorted(set(lib))}, threads {torch.get_num_threads()}, 512x512 matmul {gf:.0f} GFLOP/s")
if not any('openblas' in l for l in lib) or gf < 20:
    raise SystemExit("torch is not running on OpenBLAS (reference BLAS would make the comparison meaningless)")
PY

# --- the three sides --------------------------------------------------------------------------------------
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
/usr/bin/python3 "$here/peers.py" prepare "$data"
NODE_PATH="$work/node/node_modules" node "$here/ort.js" "$data"
# LstmGen: build once (NO_BUILD=1 reuses the last build), then the benchmark program's Stopwatch mode.
if [ "${NO_BUILD:-0}" != 1 ]; then dotnet build -c Release "$repo/tests/LstmGen.Benchmarks" >/dev/null; fi
dotnet "$repo/tests/LstmGen.Benchmarks/bin/Release/net10.0/LstmGen.Benchmarks.dll" peers --dir "$data" --threads "$THREADS" \
  --steps "$STEPS" --shapes "$SHAPES" --json > "$data/lstmgen.json"
/usr/bin/python3 "$here/peers.py" report "$data"
