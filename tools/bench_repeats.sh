#!/usr/bin/env bash
set -euo pipefail
# Usage: tools/bench_repeats.sh [OUT.jsonl]   (ROUNDS=N, default 2; needs target/bonexray.jar, python3-torch and jq)
# Repeats of the main rows, bonexray and PyTorch alternately, with longer warm-ups than bench.sh (libtorch 2.7.1
# reaches its steady speed only after several iterations at a new shape), to see the steady speed and the spread.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2
out="${1:-bench-results/repeats-$(date -u +%Y%m%d).jsonl}"
rounds="${ROUNDS:-2}"
for round in $(seq "$rounds"); do
  # workload batch warm-up iterations layout
  for w in "infer 1 8 8 NCHW" "infer 8 4 4 NCHW" "infer 32 3 2 NCHW" "train 8 4 3 CHANNELS_LAST" "train 16 3 3 CHANNELS_LAST"; do
    set -- $w
    java -Xmx8g -Djava.awt.headless=true -Dai.djl.pytorch.num_interop_threads=1 -Dai.djl.pytorch.num_threads=2 \
      -cp "target/bonexray.jar:target/lib/*" org.bonexray.cli.Main bench --workload $1 --batch $2 --warmup $3 \
      --iterations $4 --layout $5 2>/dev/null | grep '^{' | jq -c --arg r $round '. + {round: ($r|tonumber)}' >> "$out"
    /usr/bin/python3 tools/bench_pytorch.py --size 224 --workload $1 --batch $2 --warmup $3 --iterations $4 --precision fp32 2>/dev/null \
      | grep '^{' | jq -c --arg r $round '. + {round: ($r|tonumber)}' >> "$out"
  done
done
echo "bench_repeats: appended to $out; regenerate BENCHMARKS.md with tools/bench_report.py RESULTS META tools/bench_notes.md $out" >&2
