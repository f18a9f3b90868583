#!/usr/bin/env bash
# Sharded indexes on all of Wikipedia: build time and query latency with 1
# (an ordinary index), 2 and 4 shards, and whether every answer equals the
# ordinary index's (docs/SHARDS.md, "Figures").
#
#   bench/e2e/shards.sh [BUILD_DIR]     (default build-release; a Release build)
#
# Builds `zstd -dc enwiki | scry-index -q [--shards N] -` under /usr/bin/time
# (wall and CPU seconds, peak RSS). Then bench/query_bench runs every query
# of ../shared/corpora/queries/sbg-aol-queries.jsonl (term, union,
# intersection, phrase, negated, intersection_union, two-phase-critic) on
# each index, top 10 without snippets, median of 5 runs a query: p50 and
# p99 over the queries of the four main classes (µs), and the CPU seconds
# (user + system) of the whole run, which the machine's load disturbs less
# than latencies. Finally scry-search answers every query (top 10, TSV) on
# each index: "same scores" counts the queries whose ranks and printed
# scores equal the ordinary index's, "same ids" those whose ids do too
# (they may differ only among equal scores).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-release}
shared=$root/../shared/corpora
wiki=$shared/wiki/enwiki-2015-articles.jsonl.zst
query_file=$shared/queries/sbg-aol-queries.jsonl
if [ ! -f "$wiki" ] || [ ! -f "$query_file" ]; then
  echo "shards: $wiki or $query_file not found; nothing to measure" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
indexer=$build/indexer/scry-index
searcher=$build/searcher/scry-search
query_bench=$build/bench/query_bench
for f in "$indexer" "$searcher" "$query_bench"; do
  [ -x "$f" ] || { echo "shards: $f not found; build scry first" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "shards: /usr/bin/time not found (Debian package time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$query_file" > "$tmp/queries.tsv" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    q = json.loads(line)
    print(f'{q["tags"][0]}\t{q["query"]}')
PY
cut -f2 "$tmp/queries.tsv" > "$tmp/queries.txt"

printf 'shards\tbuild_s\tcpu_s\tpeak_RSS_MB\tindex_B\tterm\tunion\tintersection\tphrase\tquery_cpu_s\tsame_scores\tsame_ids\n' > "$tmp/table.tsv"
for shards in 1 2 4; do
  idx=$tmp/idx$shards
  option=()
  [ "$shards" -gt 1 ] && option=(--shards "$shards")
  zstd -dcq "$wiki" | /usr/bin/time -v "$indexer" -q "${option[@]}" - -o "$idx" 2> "$tmp/time" > /dev/null || {
    cat "$tmp/time" >&2; echo "shards: scry-index failed" >&2; exit 2; }
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$tmp/time")
  bytes=$(du -sb "$idx" | cut -f1)
  /usr/bin/time -f '%U %S' -o "$tmp/qtime" "$query_bench" "$idx" "$tmp/queries.tsv" --no-snippets > "$tmp/lat$shards.txt"
  query_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$tmp/qtime")
  "$searcher" "$idx" -f tsv --no-snippets < "$tmp/queries.txt" > "$tmp/answers$shards.tsv" 2> /dev/null || true
  read -r same_scores same_ids < <(/usr/bin/python3 - "$tmp/answers1.tsv" "$tmp/answers$shards.tsv" "$(wc -l < "$tmp/queries.txt")" <<'PY'
import collections, sys
def answers(path):
    by_query = collections.defaultdict(list)
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        by_query[f[0]].append((f[1], f[3], f[2]))  # rank, score, id
    return by_query
one, sharded = answers(sys.argv[1]), answers(sys.argv[2])
tags = [str(i) for i in range(1, int(sys.argv[3]) + 1)]
scores = sum(1 for t in tags if [h[:2] for h in one[t]] == [h[:2] for h in sharded[t]])
ids = sum(1 for t in tags if one[t] == sharded[t])
print(scores, ids)
PY
)
  lat() { awk -v c="$1" '$1 == c { printf "%s / %s", $3, $4 }' "$tmp/lat$shards.txt"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$shards" "$secs" "$cpu" "$rss" "$bytes" \
    "$(lat term)" "$(lat union)" "$(lat intersection)" "$(lat phrase)" "$query_cpu" \
    "$same_scores of $(wc -l < "$tmp/queries.txt")" "$same_ids" >> "$tmp/table.tsv"
  [ "$shards" -gt 1 ] && rm -rf "$idx"
done
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg); queries: top 10, no snippets, median of 5 runs, p50 / p99 µs"
column -t -s $'\t' "$tmp/table.tsv"
