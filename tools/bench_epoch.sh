#!/usr/bin/env bash
# Developer benchmark: whole training epochs, bonexray against PyTorch, alternating, on the same images.
#
# `bonexray bench --workload epoch` trains train's defaults (DenseNet-169, 224 px, batch 64, class weights, MURA's
# augmentation, Adam, validation after every epoch) for --epochs epochs from a cold start (fresh JVM, empty image
# cache) on a MURA-format tree; tools/bench_pytorch.py --workload epoch trains the same images (the split bonexray
# writes) with a DataLoader (PIL decode in worker processes). Every process holds the shared CPU lock
# (/tmp/bonexray-cpu.lock) for its own run only, so other work can slip in between rounds but never during one.
#
# Usage: tools/bench_epoch.sh [--rounds N] [--epochs N] [--data DIR] [--bonexray "auto fp32"] [--pytorch "bf16_cl fp32_cl"]
#   --data DIR   a folder holding MURA-v1.1 (default /tmp/bench-epoch-data: the synthetic sample, generated once)
# Writes bench-results/epoch-DATE.jsonl and bench-results/epoch-latest.md (the section BENCHMARKS.md opens with).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
rounds=3 epochs=2 data=/tmp/bench-epoch-data ours="auto fp32" theirs="bf16_cl fp32_cl" lock=/tmp/bonexray-cpu.lock
command_line="tools/bench_epoch.sh $*"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --epochs) epochs="$2"; shift ;;
    --data) data="$2"; shift ;;
    --bonexray) ours="$2"; shift ;;
    --pytorch) theirs="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p bench-results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="bench-results/epoch-$stamp.jsonl"
split="$(mktemp -d)/split.json"
: > "$results"
load_start="$(cat /proc/loadavg)"
flock "$lock" mvn -q -B -o -DskipTests package >&2
run() { # tag, command...: one JSON line, tagged with the round
  local tag="$1"; shift
  echo "bench_epoch: [$tag] $*" >&2
  local line
  if line="$(flock "$lock" "$@" 2> >(grep -E '^epoch [0-9]+:|^Device|Recomputing|^bench' >&2) | grep '^{')"; then
    jq -c --arg t "$tag" --arg l "$(cat /proc/loadavg)" '. + {round: $t, load_after: $l}' <<< "$line" >> "$results"
  else
    jq -nc --arg t "$tag" --arg c "$*" '{round: $t, failed: true, command: $c}' >> "$results"
  fi
}
# The engine's GEMM ceiling, for the FLOP/s columns; bf16 only where the CPU has bf16 units (without them libtorch
# emulates it, minutes per product, and no bonexray or PyTorch row of this host runs bf16 by default).
peaks=FP32
grep -q -E 'avx512_bf16|amx_bf16' /proc/cpuinfo && peaks="FP32 BF16"
for p in $peaks; do
  run gemm ./bonexray bench --workload matmul --size 4096 --warmup 2 --iterations 5 --precision "$p"
done
for r in $(seq "$rounds"); do
  for p in $ours; do
    run "$r" ./bonexray bench --workload epoch --data "$data" --epochs "$epochs" --batch 64 --precision "$p" --split-out "$split"
  done
  for p in $theirs; do
    run "$r" /usr/bin/python3 tools/bench_pytorch.py --workload epoch --split "$split" --epochs "$epochs" \
      --precision "$p" --workers 2 --threads 2
  done
done
/usr/bin/python3 tools/bench_epoch_report.py "$results" "$command_line" "$load_start" "$(cat /proc/loadavg)" \
  > bench-results/epoch-latest.md
cat bench-results/epoch-latest.md
