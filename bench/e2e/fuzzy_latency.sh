#!/bin/sh
# Latency of fuzzy terms against exact words (docs/PERFORMANCE.md, "Fuzzy terms").
# Usage: bench/e2e/fuzzy_latency.sh SCRY_SEARCH INDEX SUFFIX [OPTION...]
#   SUFFIX: "" (the exact word), "~1" or "~2"; OPTIONs go to scry-search
#   (e.g. --typos, with SUFFIX ""). Runs the 30 common English words of
#   fuzzy_words.txt 5 times each in one batch (top 10, no snippets) and
#   prints the p50, p99 and max of scry-search's per-query "ms search"
#   (--stats): a median of repeats, four answers in five warm (once_run.py
#   classes times each query once). Exit 2, with scry-search's error, when
#   it fails.
set -eu
case "${1:-}" in -h | --help) sed -n '2,10p' "$0" | cut -c3-; exit 0 ;; esac
if [ $# -lt 3 ]; then
  echo "usage: bench/e2e/fuzzy_latency.sh SCRY_SEARCH INDEX SUFFIX [OPTION...]" >&2
  exit 2
fi
S=$1
IDX=$2
SUF=$3
shift 3
W=$(cat "$(dirname "$0")/fuzzy_words.txt")
Q=$(mktemp)
ERR=$(mktemp)
trap 'rm -f "$Q" "$ERR"' EXIT
for r in 1 2 3 4 5; do
  i=0
  for w in $W; do
    i=$((i + 1))
    printf 'q%s_%s\t%s%s\n' "$r" "$i" "$w" "$SUF" >>"$Q"
  done
done
status=0
"$S" "$IDX" "$@" --queries "$Q" --stats --no-snippets -f tsv -k 10 >/dev/null 2>"$ERR" || status=$?
# Status 1 is a query without hits; more is a failure.
if [ "$status" -gt 1 ]; then
  echo "fuzzy_latency: $S failed (exit $status):" >&2
  grep -v ' ms search' "$ERR" | head -5 >&2
  exit 2
fi
sed -n 's/.*, \([0-9.]*\) ms search.*/\1/p' "$ERR" | sort -g |
  awk '{a[NR]=$1}
       END {
         if (NR == 0) { print "fuzzy_latency: scry-search timed no query" > "/dev/stderr"; exit 2 }
         printf "n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms\n", NR, a[int(NR*0.5+0.5)], a[int(NR*0.99+0.5)], a[NR]
       }'
