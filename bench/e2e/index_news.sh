#!/usr/bin/env bash
# Whole-program indexing benchmark.
#
# Workloads: each ../shared/corpora/news/*.jsonl file, and all of them
# together, indexed by scry-index (one thread) into a fresh folder.
# Reports, per workload: documents, input MB, seconds, docs/s, MB/s, peak RSS
# (from /usr/bin/time -v), index bytes, index bytes without stored text, and
# both as a share of the input size.
#
#   bench/e2e/index_news.sh [BUILD_DIR] [--memory SIZE]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
shift || true
corpora=$root/../shared/corpora/news
if [ ! -d "$corpora" ]; then
  echo "index_news: $corpora not found; nothing to measure" >&2
  exit 0
fi
indexer=$build/indexer/scry-index
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-22s %8s %8s %7s %9s %7s %8s %12s %12s %6s %6s\n' workload docs MB s docs/s MB/s RSS_MB index_B no_store_B idx% nost%
run() {
  local name=$1; shift
  local bytes
  bytes=$(cat "$@" | wc -c)
  /usr/bin/time -v "$indexer" -q --threads 1 "$@" -o "$tmp/idx" "${extra[@]}" 2> "$tmp/time" >/dev/null
  local secs rss docs total store
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2/1024}' "$tmp/time")
  docs=$(grep -ao '"documents": [0-9]*' "$tmp/idx/MANIFEST" | head -1 | grep -o '[0-9]*')
  total=$(du -cb "$tmp/idx"/* | tail -1 | cut -f1)
  store=$(stat -c %s "$tmp/idx/seg1.store")
  awk -v n="$name" -v d="$docs" -v b="$bytes" -v s="$secs" -v r="$rss" -v t="$total" -v st="$store" 'BEGIN {
    mb = b / 1e6; printf "%-22s %8d %8.1f %7.2f %9.0f %7.1f %8.1f %12d %12d %5.1f%% %5.1f%%\n",
      n, d, mb, s, d / s, mb / s, r, t, t - st, 100 * t / b, 100 * (t - st) / b }'
  rm -rf "$tmp/idx"
}
extra=("$@")
for f in "$corpora"/*.jsonl; do run "$(basename "$f" .jsonl)" "$f"; done
run "all news" "$corpora"/*.jsonl
