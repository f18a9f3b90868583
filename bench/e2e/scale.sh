#!/usr/bin/env bash
# The large corpus within the memory budget: indexing throughput, peak RSS,
# index size and query latency on all of Wikipedia.
#
# Workloads:
#   - articles: ../shared/corpora/wiki/enwiki-2015-articles.jsonl.zst
#     (30,539 articles, 413 MB unpacked), streamed `zstd -dcq ... |
#     scry-index -q --memory MEMORY - -o INDEX` with the default threads (the
#     number of cores), so the unpacked text is never on disk;
#   - passages (the "many documents" case): the same articles cut into
#     452,695 passages by ../shared/corpora/tools/split_passages.py (as
#     bench/e2e/scaling.sh does), indexed from the file the same way.
#     Skipped with --no-passages (the split takes about a minute of Python).
# scry-index runs under /usr/bin/time -v: seconds are its wall time (for the
# articles, it includes waiting for zstd, which shares the cores), cpu_s its
# user + system CPU seconds (steadier than wall time on a shared machine),
# peak RSS its maximum resident set size. Then bench/query_bench runs the union
# (ranked OR) and intersection (+a +b) queries of
# ../shared/corpora/queries/sbg-aol-queries.jsonl on the index, top 10
# without snippets, median of 5 runs a query, p50 and p99 over the queries
# in microseconds (as scaling.sh).
#
# Prints one table: documents, input MB, seconds, CPU seconds, docs/s, MB/s,
# peak RSS MB and its bound (below), index bytes (all files, and without the
# stored text seg*.store), query p50/p99 per class; checks that the peak RSS
# stayed within
#   MEMORY + 80 MB a thread + 64 bytes a document
# --memory bounds the postings held in memory only; the rest (see the
# "Scale" section of docs/PERFORMANCE.md and "Memory" and "Threads" in
# docs/INDEXING.md) is: the program and its libraries, stem cache, zstd
# context, read and write buffers (about 20 MB); with threads, two batches
# of documents and tokens in flight and one Analyzer per thread (about 25 MB
# more); per document its id in the duplicate-id set and two lengths; and in
# the final merge the sorted term tables, the run readers and the terms of
# the key ranges after the first, plus the merged temporary files, which are
# mapped to be appended (file pages count in the RSS).
# Exit 1 when a row exceeds the bound.
#
#   bench/e2e/scale.sh [BUILD_DIR] [MEMORY] [--no-passages]   (MEMORY default 256M)
#
# Without ../shared/corpora it says so and exits 0 (1 under CI=true).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
memory=256M
passages=yes
positional=0
for a in "$@"; do
  case $a in
    --no-passages) passages=no ;;
    -*) echo "scale: unknown option $a" >&2; exit 2 ;;
    *)
      positional=$((positional + 1))
      if [ "$positional" = 1 ]; then build=$a; else memory=$a; fi ;;
  esac
done
shared=$root/../shared/corpora
wiki=$shared/wiki/enwiki-2015-articles.jsonl.zst
query_file=$shared/queries/sbg-aol-queries.jsonl
if [ ! -f "$wiki" ] || [ ! -f "$query_file" ]; then
  echo "scale: $wiki or $query_file not found; nothing to measure" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
indexer=$build/indexer/scry-index
query_bench=$build/bench/query_bench
for f in "$indexer" "$query_bench"; do
  [ -x "$f" ] || { echo "scale: $f not found; build scry first" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "scale: /usr/bin/time not found (Debian package time)" >&2; exit 2; }
command -v zstd > /dev/null || { echo "scale: zstd not found" >&2; exit 2; }
# The budget in bytes, as scry-index reads it (K, M, G: powers of 1024).
budget=$(awk -v m="$memory" 'BEGIN {
  u = toupper(substr(m, length(m))); n = m + 0
  if (u == "K") n *= 1024; else if (u == "M") n *= 1048576; else if (u == "G") n *= 1073741824
  printf "%d", n }')
# scry-index's default threads: the number of cores (one before --threads).
threads=1
if "$indexer" --help | grep -q -- '--threads'; then threads=$(nproc); fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$query_file" > "$tmp/queries.tsv" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    q = json.loads(line)
    if q["tags"][0] in ("union", "intersection"):
        print(f'{q["tags"][0]}\t{q["query"]}')
PY

printf 'workload\tdocs\tMB\ts\tcpu_s\tdocs/s\tMB/s\tpeak_RSS_MB\tbound_MB\tindex_B\tno_store_B\tunion_p50\tunion_p99\tand_p50\tand_p99\n' > "$tmp/table.tsv"
over=0
# measure NAME BYTES COMMAND...: COMMAND writes JSON lines to standard output.
measure() {
  local name=$1 bytes=$2; shift 2
  "$@" | /usr/bin/time -v "$indexer" -q --memory "$memory" - -o "$tmp/idx" 2> "$tmp/time" > /dev/null || {
    cat "$tmp/time" >&2; echo "scale: scry-index failed on $name" >&2; exit 2; }
  local secs cpu rss docs total store
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$tmp/time")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2 * 1024}' "$tmp/time")
  docs=$(grep -ao '"documents": [0-9]*' "$tmp/idx/MANIFEST" | head -1 | grep -o '[0-9]*')
  total=$(du -cb "$tmp/idx"/* | tail -1 | cut -f1)
  store=$(cat "$tmp/idx"/seg*.store | wc -c)
  "$query_bench" "$tmp/idx" "$tmp/queries.tsv" --no-snippets > "$tmp/lat.txt"
  awk -v n="$name" -v d="$docs" -v b="$bytes" -v s="$secs" -v c="$cpu" -v r="$rss" -v t="$total" -v st="$store" \
      -v budget="$budget" -v threads="$threads" '
    $1 == "union" { up50 = $3; up99 = $4 }
    $1 == "intersection" { ip50 = $3; ip99 = $4 }
    END {
      bound = budget + 80 * 1048576 * threads + 64 * d
      printf "%s\t%d\t%.1f\t%.2f\t%.2f\t%.0f\t%.1f\t%.1f\t%.1f\t%d\t%d\t%s\t%s\t%s\t%s\n",
        n, d, b / 1e6, s, c, d / s, b / 1e6 / s, r / 1048576, bound / 1048576, t, t - st, up50, up99, ip50, ip99
      exit (r > bound) }' "$tmp/lat.txt" >> "$tmp/table.tsv" || over=1
  rm -rf "$tmp/idx"
}

bytes=$(zstd -dcq "$wiki" | wc -c)
measure articles "$bytes" zstd -dcq "$wiki"
if [ "$passages" = yes ]; then
  zstd -dcq "$wiki" > "$tmp/articles.jsonl"
  python3 "$shared/tools/split_passages.py" "$tmp/articles.jsonl" "$tmp/passages.jsonl" > /dev/null
  rm "$tmp/articles.jsonl"
  measure passages "$(stat -c %s "$tmp/passages.jsonl")" cat "$tmp/passages.jsonl"
fi

echo "scry-index --memory $memory ($budget bytes), $threads thread(s); queries: top 10, no snippets, median of 5 runs, µs"
column -t -s $'\t' "$tmp/table.tsv"
if [ "$over" = 1 ]; then
  echo "scale: peak RSS above MEMORY + 80 MB x $threads thread(s) + 64 B/doc" >&2
  exit 1
fi
echo "peak RSS within MEMORY + 80 MB x $threads thread(s) + 64 B/doc: yes"
