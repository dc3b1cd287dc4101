#!/usr/bin/env bash
# Everything issue-sized that needs a CUDA GPU, in one run of about 9 minutes, most important first; each step's
# log (and lesson 04's 6x6 census file) goes to $OUT (default build/gpu-check). Prepare the wheels once with
# benchmarks/gpu/wheels.sh on a machine with network, then on the GPU machine, from the repository root:
#     bash benchmarks/gpu/check.sh
# Steps (each under its own time limit, so that one slow step does not take the others' time):
#   1. data/census_6x6.py: the census of all 2^36 binary 6x6 images, sum threshold and trained network -> binary_6x6.json
#   2. benchmarks/census.py --gpu-only: fused census pass vs copy, bit-packed census torch-only vs fused, 2^32, 6x6 timing
#   3. benchmarks/attacks.py: PGD vs torchattacks, minimal perturbations vs foolbox FMN, on the GPU
#   4. the GPU-marked tests
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-build/gpu-check}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
export PYTHONUNBUFFERED=1
if [ -d .whl ]; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    && export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
{ nvidia-smi; $PY -c "import torch, triton; print('torch', torch.__version__, 'triton', triton.__version__)"; \
  git log -1 --format='commit %H %cd' 2>/dev/null; } > "$OUT/machine.txt" 2>&1
step() {  # step NAME SECONDS COMMAND...: run with a time limit, log to $OUT/NAME.log, report its status
  local name=$1 limit=$2; shift 2
  local start=$SECONDS
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  echo "$name: exit $? after $((SECONDS - start)) s" | tee -a "$OUT/steps.txt"
}
step census_6x6 200 $PY data/census_6x6.py --progress --out "$OUT/binary_6x6.json"
step census_bench 130 $PY benchmarks/census.py --gpu-only
step attacks_bench 130 $PY benchmarks/attacks.py
step gpu_tests 80 $PY -m pytest -q -p no:cacheprovider -m gpu --continue-on-collection-errors --ignore=tests/browser \
  tests/
tail -n 3 "$OUT"/*.log
