#!/usr/bin/env bash
# Makes a MURA-format copy of a dataset that has only a train split (FracAtlas's shared copy) in which a seeded
# share of the patients, stratified by body part and label, is moved to valid/: test patients that neither
# training nor model selection ever sees. Images are symbolic links to the originals (nothing is copied), the
# CSVs and findings.csv are rewritten. Never point OUT inside the repository.
#
#   tools/holdout_split.sh SOURCE/MURA-v1.1 OUT/MURA-v1.1 [SHARE_PERCENT=20] [SEED=25]
#
# A patient goes to valid when sha256(SEED/patient) ranks it in the first SHARE_PERCENT of its stratum (the
# stratum of its first study), so the same arguments always give the same split.
set -euo pipefail
src=$(cd "${1:?source MURA-v1.1 folder}" && pwd)
out=${2:?output MURA-v1.1 folder}
share=${3:-20}
seed=${4:-25}
[[ -e "$out" ]] && { echo "holdout_split: $out exists; remove it first" >&2; exit 2; }
case "$(cd "$(dirname "$out")" 2>/dev/null && pwd)" in "$(git rev-parse --show-toplevel 2>/dev/null || echo /nonexistent)"*)
    echo "holdout_split: $out is inside the repository" >&2; exit 2;; esac
root=$(basename "$src")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# patient, stratum (first study's part and label), hash rank key
awk -F, '{ split($1, p, "/"); patient = p[3] "/" p[4]; if (!(patient in first) || $1 < first[patient]) first[patient] = $1 }
         END { for (k in first) { split(first[k], p, "/"); print k "," p[3] "/" p[5] } }' "$src/train_labeled_studies.csv" \
    | sed -E 's#study[0-9]+_##' | sort > "$tmp/patients"
while IFS=, read -r patient stratum; do
    printf '%s,%s,%s\n' "$stratum" "$(printf '%s/%s' "$seed" "$patient" | sha256sum | cut -c1-16)" "$patient"
done < "$tmp/patients" | sort -t, -k1,1 -k2,2 > "$tmp/ranked"
awk -F, -v share="$share" '{ n[$1]++; rows[$1, n[$1]] = $3 }
    END { for (s in n) { k = int(n[s] * share / 100 + 0.5); for (i = 1; i <= k; i++) print rows[s, i] } }' \
    "$tmp/ranked" | sort > "$tmp/held"

mkdir -p "$out"
# rewrites one CSV: rows of held-out patients move from train to valid
split_csv() { # $1 = file stem (image_paths or labeled_studies)
    : > "$out/train_$1.csv"; : > "$out/valid_$1.csv"
    while IFS= read -r line; do
        [[ -z "$line" ]] && continue
        IFS=/ read -r _ _ part patient _ <<< "$line"
        if grep -qxF "$part/$patient" "$tmp/held"; then
            printf '%s\n' "${line/\/train\///valid/}" >> "$out/valid_$1.csv"
        else
            printf '%s\n' "$line" >> "$out/train_$1.csv"
        fi
    done < "$src/train_$1.csv"
}
split_csv image_paths
split_csv labeled_studies
while IFS= read -r path; do
    rel=${path#"$root"/}
    mkdir -p "$out/$(dirname "$rel")"
    ln -s "$src/${rel/#valid\//train/}" "$out/$rel"
done < <(cat "$out/train_image_paths.csv" "$out/valid_image_paths.csv")
if [[ -f "$src/findings.csv" ]]; then
    { head -1 "$src/findings.csv"
      tail -n +2 "$src/findings.csv" | while IFS= read -r line; do
          IFS=/ read -r _ _ part patient _ <<< "${line%%,*}"
          if grep -qxF "$part/$patient" "$tmp/held"; then printf '%s\n' "${line/\/train\///valid/}"; else printf '%s\n' "$line"; fi
      done; } > "$out/findings.csv"
fi
echo "holdout_split: $(wc -l < "$tmp/held") of $(wc -l < "$tmp/patients") patients in valid/ ($(wc -l < "$out/valid_labeled_studies.csv") studies, $(grep -c ',1$' "$out/valid_labeled_studies.csv") abnormal)"
