#!/usr/bin/env bash
# Search benchmark on 20 Newsgroups.
#
# Workloads: indexes ../shared/corpora/news/20newsgroups.jsonl, then runs
# the query set bench/queries/news-queries.tsv (50 queries each of one, two,
# three and four-to-six words, and phrases):
#   1. in process (bench/e2e/query_bench.cpp): open time, and per class the
#      p50/p99 latency of parse + plan + search + snippets, top 10; then the
#      same without snippets, pruned and --exhaustive (every match scored);
#   2. through a pipe: all queries as one batch into `scry-search --format
#      tsv`, and the queries per second of the whole process.
#
#   bench/e2e/search_news.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
corpus=$root/../shared/corpora/news/20newsgroups.jsonl
if [ ! -f "$corpus" ]; then
  echo "search_news: $corpus not found; nothing to measure" >&2
  exit 0
fi
queries=$root/bench/queries/news-queries.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/indexer/scry-index" -q "$corpus" -o "$tmp/idx"
"$build/bench/query_bench" "$tmp/idx" "$queries"
"$build/bench/query_bench" "$tmp/idx" "$queries" --no-snippets
"$build/bench/query_bench" "$tmp/idx" "$queries" --no-snippets --exhaustive

n=$(wc -l < "$queries")
cut -f2 "$queries" > "$tmp/q.txt"
"$build/searcher/scry-search" "$tmp/idx" --format tsv < "$tmp/q.txt" > /dev/null || true  # warm-up
start=$(date +%s.%N)
"$build/searcher/scry-search" "$tmp/idx" --format tsv < "$tmp/q.txt" > "$tmp/out.tsv" || true
end=$(date +%s.%N)
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "pipe: %d queries in %.3f s: %.0f queries/s (with snippets, one process)\n", n, e - s, n / (e - s) }'
