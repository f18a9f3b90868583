#!/usr/bin/env bash
# Parallel indexing benchmark: one thread against two.
#
# Workload: both ../shared/corpora/news/*.jsonl files together, indexed by
# scry-index (default options) with --threads 1 and --threads 2, three runs
# each, alternating (1, 2, 1, 2, 1, 2) so that a slow spell of the machine
# hits both. Reports per thread count: the wall seconds of each run, their
# median, MB/s (input bytes over the median) and the speedup over one
# thread; then checks with cmp that both indexes are identical, file for
# file (exit 1 when they are not).
#
#   bench/e2e/threads.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
corpora=$root/../shared/corpora/news
if [ ! -d "$corpora" ]; then
  echo "threads: $corpora not found; nothing to measure" >&2
  exit 0
fi
indexer=$build/indexer/scry-index
if ! "$indexer" --help | grep -q -- '--threads'; then
  echo "threads: $indexer has no --threads option" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

inputs=("$corpora"/*.jsonl)
bytes=$(cat "${inputs[@]}" | wc -c)
runs=3
declare -A times
for ((r = 1; r <= runs; r++)); do
  for t in 1 2; do
    start=$(date +%s.%N)
    "$indexer" -q --threads "$t" "${inputs[@]}" -o "$tmp/t$t" > /dev/null
    end=$(date +%s.%N)
    times[$t]+="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }') "
  done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
m1=$(echo "${times[1]}" | median)
printf 'news (%d files, %.1f MB), median of %d runs\n' "${#inputs[@]}" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$runs"
printf '%-8s %-22s %9s %7s %8s\n' threads "runs_s" median_s MB/s speedup
for t in 1 2; do
  m=$(echo "${times[$t]}" | median)
  awk -v t="$t" -v r="${times[$t]}" -v m="$m" -v m1="$m1" -v b="$bytes" 'BEGIN {
    printf "%-8d %-22s %9.2f %7.1f %7.2fx\n", t, r, m, b / 1e6 / m, m1 / m }'
done

same=yes
if [ "$(cd "$tmp/t1" && ls)" != "$(cd "$tmp/t2" && ls)" ]; then same=no; fi
for f in "$tmp/t1"/*; do
  cmp -s "$f" "$tmp/t2/$(basename "$f")" || { same=no; echo "differs: $(basename "$f")" >&2; }
done
echo "indexes identical (cmp, $(find "$tmp/t1" -type f | wc -l) files): $same"
[ "$same" = yes ]
