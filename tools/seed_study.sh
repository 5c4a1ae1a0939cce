#!/usr/bin/env bash
# Compares two versions of the training code by the demo's outcome over seeds (training here is chaotic at the ulp
# level, so a change in float rounding can only be judged by outcome distributions, never by one run).
#
# Usage: tools/seed_study.sh CHECKOUT_A CHECKOUT_B OUT.tsv SEED...
#   CHECKOUT_A/B  two working copies (e.g. `git worktree add --detach ../a COMMIT`), each with its jar built
#   Per seed, both demos run side by side, one thread each; appends "checkout seed accuracy kappa auroc time" rows
#   (study level, the sample's valid split). It does not judge: compare the columns' distributions (the 2026-12-02
#   study of the fused Adam update, bench-results/adam-seed-study-20261202.tsv, was made the same way).
set -euo pipefail
[[ $# -ge 4 ]] || { sed -n 2,8p "$0" >&2; exit 2; }
a="$(cd "$1" && pwd)" b="$(cd "$2" && pwd)" out="$3"
shift 3
[[ -s "$out" ]] || printf 'checkout\tseed\tstudy_accuracy\tkappa\tauroc\tfinished_utc\n' > "$out"
one() {  # checkout seed
  local dir="runs/seed-study-$2"
  mkdir -p "$1/runs"
  (cd "$1" && BONEXRAY_THREADS=1 ./bonexray demo --seed "$2" --run-dir "$dir" > "$dir.log" 2>&1) || true
  local m; m="$(jq -r '.result.studyLevel.overall.metrics | "\(.accuracy)\t\(.kappa)\t\(.auroc)"' \
    "$1/$dir/evaluation-valid/metrics.json" 2>/dev/null || echo "failed (see $1/$dir.log)")"
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$m" "$(date -u +%H:%M:%S)" >> "$out"
}
for seed in "$@"; do
  one "$a" "$seed" & one "$b" "$seed" & wait
done
