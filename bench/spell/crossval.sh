#!/usr/bin/env bash
# How well scry's spelling model does on pairs it was not tuned on (issue 17
# item 5; docs/RELEVANCE.md, "Spelling suggestions"): the channel's λ,
# transposition and doubling costs are picked from a grid on K-1 folds of
# the pairs and scored on the fold left out (crossval.py).
#
#   bench/spell/crossval.sh [BUILD_DIR] --work DIR [--folds K] [--seed S]
#
# BUILD_DIR (default build/) holds a build with the benchmarks
# (bench/spell_models). DIR is bench/spell/compare.sh's --work folder: its
# pairs.tsv, words.txt and scry index are used as they are.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=build
work=""
folds=5
seed=1
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) sed -n '2,11p' "$0" | cut -c3-; exit 0 ;;
    --work) work=$2; shift 2 ;;
    --folds) folds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -*) echo "crossval: unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
case $build in /*) ;; *) build=$root/$build ;; esac
program=$build/bench/spell_models
[ -x "$program" ] || { echo "crossval: $program: missing (build with -DSCRY_BUILD_BENCHMARKS=ON)" >&2; exit 2; }
[ -n "$work" ] || { echo "crossval: --work DIR is required (bench/spell/compare.sh --work DIR makes it)" >&2; exit 2; }
for f in "$work/pairs.tsv" "$work/words.txt" "$work/scry/MANIFEST"; do
  [ -e "$f" ] || { echo "crossval: $f: missing (run bench/spell/compare.sh --work $work first)" >&2; exit 2; }
done

# The hand-set model first, then the grid.
models=$work/models.txt
echo "4.5,0.75,0.5" > "$models"
for lambda in 3 4 4.5 5 6 7 8 9 10 12 14; do
  for transposition in 0.5 0.75 1; do
    for doubling in 0.3 0.5 0.75; do
      echo "$lambda,$transposition,$doubling" >> "$models"
    done
  done
done
"$program" "$work/scry" $(cat "$models") < "$work/words.txt" > "$work/models.tsv"
/usr/bin/python3 "$here/crossval.py" "$work/pairs.tsv" "$models" "$work/models.tsv" \
  --folds "$folds" --seed "$seed"
