#!/bin/sh
# Latency of fuzzy terms against exact words (docs/PERFORMANCE.md, "Fuzzy terms").
# Usage: bench/e2e/fuzzy_latency.sh SCRY_SEARCH INDEX SUFFIX [OPTION...]
#   SUFFIX: "" (the exact word), "~1" or "~2"; OPTIONs go to scry-search
#   (e.g. --typos, with SUFFIX ""). Runs the 30 common English words of
#   fuzzy_words.txt 5 times each in one batch (top 10, no snippets) and
#   prints the p50, p99 and max of scry-search's per-query "ms search"
#   (--stats).
set -eu
S=$1
IDX=$2
SUF=$3
shift 3
W=$(cat "$(dirname "$0")/fuzzy_words.txt")
Q=$(mktemp)
trap 'rm -f "$Q"' EXIT
for r in 1 2 3 4 5; do
  i=0
  for w in $W; do
    i=$((i + 1))
    printf 'q%s_%s\t%s%s\n' "$r" "$i" "$w" "$SUF" >>"$Q"
  done
done
"$S" "$IDX" "$@" --queries "$Q" --stats --no-snippets -f tsv -k 10 2>&1 >/dev/null |
  sed -n 's/.*, \([0-9.]*\) ms search.*/\1/p' | sort -g |
  awk '{a[NR]=$1} END {printf "n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms\n", NR, a[int(NR*0.5+0.5)], a[int(NR*0.99+0.5)], a[NR]}'
