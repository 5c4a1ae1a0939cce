#!/usr/bin/env bash
# Developer benchmark: DenseNet-169 training steps at train's defaults (224 px, batch 64, channels-last,
# --precision auto) under the four allocator settings the launcher can run with: its own heap settings or glibc's
# (BONEXRAY_MALLOC=glibc), each with and without transparent huge pages for malloc (glibc.malloc.hugetlb=1 or 0).
# Alternating, one process per run, each holding the shared CPU lock; records the peak AnonHugePages (smaps_rollup)
# to show that huge pages were in use. Usage: tools/bench_thp.sh [ROUNDS]. Writes bench-results/thp-DATE.jsonl.
set -u
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-2}"
export tmp
tmp="$(mktemp -d)"
out="bench-results/thp-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
for round in $(seq "$rounds"); do
  for v in launcher launcher+thp glibc glibc+thp; do
    unset BONEXRAY_MALLOC
    [[ $v == glibc* ]] && export BONEXRAY_MALLOC=glibc
    if [[ $v == *thp ]]; then export GLIBC_TUNABLES=glibc.malloc.hugetlb=1; else export GLIBC_TUNABLES=glibc.malloc.hugetlb=0; fi
    flock /tmp/bonexray-cpu.lock bash -c '
      ./bonexray bench --workload train --batch 64 --layout CHANNELS_LAST --warmup 2 --iterations 4 --precision auto \
        > "$tmp/cur.log" 2>&1 &
      pid=$!; huge=0
      while kill -0 $pid 2>/dev/null; do
        h=$(awk "/AnonHugePages/{print int(\$2/1024)}" /proc/$pid/smaps_rollup 2>/dev/null)
        [[ -n "$h" && "$h" -gt "$huge" ]] && huge=$h
        sleep 5
      done
      wait $pid; echo "$huge" > "$tmp/huge.txt"'
    line=$(grep "^{" "$tmp/cur.log" | tail -1)
    jq -c --arg v "$v" --arg r "$round" --arg h "$(cat "$tmp/huge.txt")" \
      '. + {variant: $v, round: $r, max_anon_huge_mib: ($h | tonumber)}' <<< "${line:-{\}}" >> "$out"
    grep "^# " "$tmp/cur.log" | sed "s/^/$v r$round /" | tee -a "$tmp/summary.txt"
  done
done
echo "results: $out"
