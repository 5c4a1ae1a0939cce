#!/usr/bin/env bash
set -euo pipefail
# Usage: tools/bench_repeats.sh [OUT.jsonl]   (ROUNDS=N, default 2; FIRST_ROUND=K numbers them from K, to append to
# an earlier file; WORKLOADS="infer 8 4 4;train 8 12 8" picks rows as "workload batch warm-up iterations"; needs
# target/bonexray.jar, python3-torch and jq)
# Repeats of the main rows, to see the steady speed and the spread: libtorch 2.7.1 reaches its steady speed only after
# several iterations at a new shape, and the JVM compiles its hot code over the first ~10 training steps. Per workload, alternately: bonexray
# fp32 and PyTorch fp32 and fp32 channels-last, then bonexray bf16 and PyTorch bf16 autocast + channels-last.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2
out="${1:-bench-results/repeats-$(date -u +%Y%m%d).jsonl}"
rounds="${ROUNDS:-2}"
first="${FIRST_ROUND:-1}"
IFS=';' read -r -a workloads <<< "${WORKLOADS:-infer 1 8 8;infer 8 4 4;infer 32 3 2;train 8 12 8;train 16 8 5}"
tag() { grep '^{' | jq -c --arg r "$1" '. + {round: ($r|tonumber)}' >> "$out"; }
bonexray() { BONEXRAY_THREADS=2 ./bonexray bench --size 224 --layout CHANNELS_LAST "$@" 2>/dev/null; }  # as users run it
pytorch() { /usr/bin/python3 tools/bench_pytorch.py --size 224 "$@" 2>/dev/null; }
for round in $(seq "$first" $((first + rounds - 1))); do
  for w in "${workloads[@]}"; do  # workload batch warm-up iterations
    set -- $w
    counts=(--workload "$1" --batch "$2" --warmup "$3" --iterations "$4")
    bonexray "${counts[@]}" --precision FP32 | tag "$round"
    pytorch "${counts[@]}" --precision fp32 | tag "$round"
    pytorch "${counts[@]}" --precision fp32_cl | tag "$round"
    bonexray "${counts[@]}" --precision BF16 | tag "$round"
    pytorch "${counts[@]}" --precision bf16_cl | tag "$round"
  done
done
echo "bench_repeats: appended to $out; regenerate BENCHMARKS.md with tools/bench_report.py RESULTS META tools/bench_notes.md $out" >&2
