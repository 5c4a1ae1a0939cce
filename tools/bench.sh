#!/usr/bin/env bash
# Developer benchmark: bonexray (DJL) against PyTorch on the same workloads, written to BENCHMARKS.md.
#
# Runs every workload in its own process (so peak RSS belongs to it), bonexray first and then PyTorch for the
# same workload, so that noise from neighbours hits both. Needs Debian's python3 with python3-torch,
# python3-torchvision and python3-pil (never used by tests or the product).
#
# Usage: tools/bench.sh [--quick] [--wait-quiet] [--long-memory] [--out FILE]
#   --quick        a smoke run: 64x64 inputs, tiny iteration counts (numbers meaningless, checks the plumbing)
#   --wait-quiet   wait (polling every 60 s, up to --wait-max minutes, default 15) for the 1-minute load average
#                  to drop below 1.5; the load at the start and end goes into the report either way
#   --long-memory  also run the issue's 500-step memory-flatness check at batch 8 (slow: ~20 min per engine)
#   --wait-max N   minutes --wait-quiet waits at most
#   --contended    for a busy machine: the fewest iterations, and the cheap comparisons before training
#   --append FILE  add to an earlier run's results file instead of starting a new one
#   --out FILE     the report (default BENCHMARKS.md); raw JSON lines go to FILE's folder, bench-results/
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
quick=0 wait_quiet=0 wait_max=15 long_memory=0 contended=0 append="" out="$here/BENCHMARKS.md"
command_line="tools/bench.sh $*"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --wait-quiet) wait_quiet=1 ;;
    --long-memory) long_memory=1 ;;
    --wait-max) wait_max="$2"; shift ;;
    --contended) contended=1 ;;
    --append) append="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
py=/usr/bin/python3
jar="$here/target/bonexray.jar"
if [[ ! -f "$jar" || -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
  echo "bench: building target/bonexray.jar" >&2
  mvn -q -B -DskipTests package >&2
fi
data_dir="${BENCH_DATA:-/tmp/bench-data}"
if [[ ! -d "$data_dir/MURA-v1.1" ]]; then
  java -Djava.awt.headless=true -cp "$jar:$here/target/lib/*" org.bonexray.cli.Main sample-data --out "$data_dir" \
    --train-studies-per-part 12 --valid-studies-per-part 2 >&2
fi

load1() { cut -d' ' -f1 /proc/loadavg; }
if [[ $wait_quiet == 1 ]]; then
  for _ in $(seq "$wait_max"); do
    awk -v l="$(load1)" 'BEGIN { exit !(l < 1.5) }' && break
    echo "bench: 1-minute load $(load1) >= 1.5, waiting 60 s" >&2
    sleep 60
  done
fi

results_dir="$(dirname "$out")/bench-results"
mkdir -p "$results_dir"
results="${append:-$results_dir/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
meta="$results.meta.json"
[[ -n "$append" ]] || : > "$results"
load_start="$(cat /proc/loadavg)"

# Writes the machine description and BENCHMARKS.md from the results so far (after every workload, so a run
# stopped early still leaves a consistent report of what it measured).
write_report() {
  jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg cmd "$command_line" \
    --arg cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" \
    --arg cores "$(nproc)" --arg mem "$(free -g | awk '/^Mem:/ {print $2 " GiB"}')" \
    --arg kernel "$(uname -sr)" --arg java "$java_version" \
    --arg flags "$(lscpu | grep -o -E 'avx512f|avx512_bf16|amx_bf16|avx2|fma' | sort -u | tr '\n' ' ')" \
    --arg mhz "$(lscpu | sed -n 's/^CPU max MHz: *//p' | head -1)" \
    --arg djl "$(ls "$here"/target/lib | sed -n 's/^api-\(.*\)\.jar$/\1/p' | head -1)" \
    --arg libtorch "$(ls "$here"/target/lib | sed -n 's/^pytorch-native-cpu-\(.*\)-linux.*\.jar$/\1/p' | head -1)" \
    --arg torch "$torch_version" --arg debtorch "$(dpkg-query -W -f '${Version}' python3-torch 2>/dev/null)" \
    --arg load_start "$load_start" --arg load_end "$(cat /proc/loadavg)" --arg quick "$quick" \
    --arg results "$(basename "$results")" \
    '{date: $date, command: $cmd, cpu: $cpu, cores: $cores, memory: $mem, kernel: $kernel, java: $java,
      cpu_flags: $flags, cpu_max_mhz: $mhz, djl: $djl, libtorch: $libtorch, torch: $torch, debian_torch: $debtorch,
      load_start: $load_start, load_end: $load_end, quick: ($quick == "1"), results: $results}' > "$meta"
  "$py" "$here/tools/bench_report.py" "$results" "$meta" "$here/tools/bench_notes.md" > "$out.tmp"
  mv "$out.tmp" "$out"
}
java_version="$(java -version 2>&1 | head -1)"
torch_version="$("$py" -c 'import torch; print(torch.__version__)' 2>/dev/null)"

# Iteration counts: "warmup iterations" per workload.
if [[ $contended == 1 ]]; then
  size=224; it_b1="1 3"; it_b8="1 2"; it_b32="1 1"; tr_b8="1 2"; tr_b16="1 1"; tr_b64="0 1"; mem="2 20 5"; data_it="1 2"; gemm="1 3"
elif [[ $quick == 1 ]]; then
  size=64; it_b1="1 2"; it_b8="1 2"; it_b32="0 1"; tr_b8="1 2"; tr_b16="1 1"; tr_b64="0 1"; mem="1 4 2"; data_it="0 1"; gemm="1 2"
else
  # libtorch reaches its steady speed only after several iterations at a new shape, and the JVM compiles its hot
  # code over the first ~10 training steps (stalling OpenMP teams on 2 cores): warm up longer than 1-2
  size=224; it_b1="8 8"; it_b8="4 4"; it_b32="3 2"; tr_b8="12 8"; tr_b16="8 5"; tr_b64="2 2"; mem="3 50 5"; data_it="1 3"; gemm="1 3"
fi

# Runs one command, tags its JSON line with a variant name and appends it; a crash is recorded, not fatal.
record() {
  local variant="$1"; shift
  local log; log="$(mktemp)"
  echo "bench: [$variant] $*" >&2
  set +e
  "$@" > "$log" 2> "$log.err"
  local rc=$?
  set -e
  if [[ $rc == 0 ]] && grep -q '^{' "$log"; then
    grep '^# ' "$log" >&2 || true
    grep '^{' "$log" | jq -c --arg v "$variant" '. + {variant: $v}' >> "$results"
  else
    local reason; reason="$(grep -v -E 'WARN|INFO' "$log.err" | tail -3 | tr '\n' ' ')"
    echo "bench: [$variant] failed with exit code $rc: $reason" >&2
    jq -nc --arg v "$variant" --argjson rc "$rc" --arg r "$reason" --arg cmd "$*" \
      '{variant: $v, failed: true, exit_code: $rc, reason: $r, command: $cmd}' >> "$results"
  fi
  rm -f "$log" "$log.err"
  write_report
}

# bonexray in a fresh JVM through the launcher, as users run it (its allocator settings included); JAVA_THREADS,
# JAVA_INTEROP, OMP, MALLOC=glibc (the C library's defaults) and ARENAS (glibc's MALLOC_ARENA_MAX instead of the
# launcher's 1) may be overridden per call.
java_bench() {
  env BONEXRAY_THREADS="${JAVA_THREADS:-2}" BONEXRAY_INTEROP_THREADS="${JAVA_INTEROP:-1}" OMP_NUM_THREADS="${OMP:-2}" \
    BONEXRAY_MALLOC="${MALLOC:-}" ${ARENAS:+MALLOC_ARENA_MAX="$ARENAS"} "$here/bonexray" bench "$@"
}
py_bench() { OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 "$py" "$here/tools/bench_pytorch.py" "$@"; }
# PyTorch with the launcher's allocator settings, to see how much of a difference is the allocator's
py_bench_malloc() {
  MALLOC_MMAP_THRESHOLD_=17179869184 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=1073741824 MALLOC_ARENA_MAX=1 \
    py_bench "$@"
}
wi() { set -- $1; echo "--warmup $1 --iterations $2"; }

# bonexray as the product runs (channels-last batches, fp32 or --precision bf16) against PyTorch fp32 as users run
# it by default, its fp32 channels-last, and its bf16 autocast + channels-last; fp32 pairs, then bf16 pairs.
model_pair() {
  local kind=$1 batch=$2 counts="--warmup $3 --iterations $4"
  record "$kind-b$batch" java_bench --size "$size" --workload "$kind" --batch "$batch" $counts --layout CHANNELS_LAST
  record "$kind-b$batch" py_bench --size "$size" --workload "$kind" --batch "$batch" $counts --precision fp32
  record "$kind-b$batch-cl" py_bench --size "$size" --workload "$kind" --batch "$batch" $counts --precision fp32_cl
  record "$kind-b$batch-bf16cl" java_bench --size "$size" --workload "$kind" --batch "$batch" $counts --layout CHANNELS_LAST \
    --precision BF16
  record "$kind-b$batch-bf16cl" py_bench --size "$size" --workload "$kind" --batch "$batch" $counts --precision bf16_cl
}

# On a busy machine, cheap comparisons first; training (OpenMP teams suffer most from descheduling) last.
if [[ $contended == 1 ]]; then
  has() { jq -e --arg v "$1" 'select(.variant == $v and (.failed | not))' "$results" > /dev/null 2>&1; }
  has infer-b1 || model_pair infer 1 $it_b1
  model_pair infer 8 $it_b8
  for workers in 1 2; do
    record "data-w$workers" java_bench --workload data --data "$data_dir" --threads "$workers" $(wi "$data_it")
    record "data-w$workers" py_bench --workload data --data "$data_dir" --workers "$workers" $(wi "$data_it")
    for cache in memory disk; do  # epochs after the first: resized images from a warm cache
      record "data-cached-$cache-w$workers" java_bench --workload data --data "$data_dir" --threads "$workers" \
        --image-cache "${cache^^}" $(wi "$data_it")
    done
  done
  record "gemm" py_bench --workload gemm $(wi "$gemm")
  record "infer-b8-nchw" java_bench --size "$size" --workload infer --batch 8 $(wi "$it_b8") --layout NCHW
  JAVA_THREADS=1 OMP=1 record "infer-b8-threads1" java_bench --size "$size" --workload infer --batch 8 $(wi "$it_b8") --layout CHANNELS_LAST
  model_pair train 8 $tr_b8
  set -- $mem
  record "memory-b8" java_bench --size "$size" --workload memory --batch 8 --warmup "$1" --iterations "$2" --sample-every "$3" \
    --layout CHANNELS_LAST
  record "memory-b8" py_bench --size "$size" --workload memory --batch 8 --warmup "$1" --iterations "$2" --sample-every "$3"
  model_pair infer 32 $it_b32
  model_pair train 16 $tr_b16
  model_pair train 64 $tr_b64
  write_report
  echo "bench: wrote $out (raw: $results)" >&2
  exit 0
fi

# Most telling workloads first, so that a run cut short still answers the main questions.
# Inference and training: bonexray fp32, PyTorch fp32, PyTorch bf16 autocast + channels-last, alternately.
model_pair infer 1 $it_b1
model_pair infer 8 $it_b8
model_pair infer 32 $it_b32
model_pair train 8 $tr_b8
model_pair train 16 $tr_b16

# Data pipeline: decode + resize + augment + normalise on the synthetic sample's PNGs.
for workers in 1 2; do
  record "data-w$workers" java_bench --workload data --data "$data_dir" --threads "$workers" $(wi "$data_it")
  record "data-w$workers" py_bench --workload data --data "$data_dir" --workers "$workers" $(wi "$data_it")
  for cache in memory disk; do  # epochs after the first: resized images from a warm cache
    record "data-cached-$cache-w$workers" java_bench --workload data --data "$data_dir" --threads "$workers" \
      --image-cache "${cache^^}" $(wi "$data_it")
  done
done

# The machine's measured matrix-multiply rate, for the FLOP-based limit.
record "gemm" py_bench --workload gemm $(wi "$gemm")

model_pair train 64 $tr_b64
# Recomputing activations against keeping them, both sides (--recompute auto decides per machine for train-b64;
# PyTorch's peer is torchvision's memory_efficient DenseNet, which recomputes part of every dense layer).
record "train-b64-recompute" java_bench --size "$size" --workload train --batch 64 $(wi "$tr_b64") --layout CHANNELS_LAST \
  --recompute ALWAYS
record "train-b64-recompute" py_bench --size "$size" --workload train --batch 64 $(wi "$tr_b64") --precision fp32_cl \
  --memory-efficient
record "train-b64-keep" java_bench --size "$size" --workload train --batch 64 $(wi "$tr_b64") --layout CHANNELS_LAST \
  --recompute NEVER

# Speed work on bonexray's side: layouts, precisions, thread settings (inference b8, training b16).
record "infer-b8-nchw" java_bench --size "$size" --workload infer --batch 8 $(wi "$it_b8") --layout NCHW
JAVA_THREADS=1 OMP=1 record "infer-b8-threads1" java_bench --size "$size" --workload infer --batch 8 $(wi "$it_b8") --layout CHANNELS_LAST
JAVA_INTEROP=2 record "infer-b8-interop2" java_bench --size "$size" --workload infer --batch 8 $(wi "$it_b8") --layout CHANNELS_LAST
MALLOC=glibc record "infer-b32-glibc-malloc" java_bench --size "$size" --workload infer --batch 32 $(wi "$it_b32") \
  --layout CHANNELS_LAST
# The launcher's one arena against glibc's arena per thread (its other settings kept), and glibc's defaults, where
# tensors are largest: training at batch 64.
ARENAS=16 record "train-b64-arena-per-thread" java_bench --size "$size" --workload train --batch 64 $(wi "$tr_b64") \
  --layout CHANNELS_LAST
MALLOC=glibc record "train-b64-glibc-malloc" java_bench --size "$size" --workload train --batch 64 $(wi "$tr_b64") \
  --layout CHANNELS_LAST
record "infer-b32-launcher-malloc" py_bench_malloc --size "$size" --workload infer --batch 32 $(wi "$it_b32") --precision fp32_cl
record "train-b16-nchw" java_bench --size "$size" --workload train --batch 16 $(wi "$tr_b16") --layout NCHW
JAVA_INTEROP=2 record "train-b16-interop2" java_bench --size "$size" --workload train --batch 16 $(wi "$tr_b16") \
  --layout CHANNELS_LAST

# Memory flatness: RSS after the warm-up against RSS after N training steps at batch 8.
set -- $mem
record "memory-b8" java_bench --size "$size" --workload memory --batch 8 --warmup "$1" --iterations "$2" --sample-every "$3" \
  --layout CHANNELS_LAST
record "memory-b8" py_bench --size "$size" --workload memory --batch 8 --warmup "$1" --iterations "$2" --sample-every "$3"
record "memory-b8-bf16" java_bench --size "$size" --workload memory --batch 8 --warmup "$1" --iterations "$2" \
  --sample-every "$3" --layout CHANNELS_LAST --precision BF16
if [[ $long_memory == 1 ]]; then
  record "memory-b8-long" java_bench --size "$size" --workload memory --batch 8 --warmup 5 --iterations 500 --sample-every 50 \
    --layout CHANNELS_LAST
fi

write_report
echo "bench: wrote $out (raw: $results)" >&2
