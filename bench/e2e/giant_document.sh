#!/usr/bin/env bash
# Whole-program benchmark of one giant document (docs/INDEXING.md, "One
# giant document").
#
# Workloads: a generated .txt file of one 100,000,000-byte line (random
# words of 3 to 9 letters), indexed with the defaults, with -j1, with
# --max-doc-size 1M and 128M (the whole file); then the same text as one
# JSON line. Reports, per workload: peak RSS (from /usr/bin/time -v),
# seconds, and the summary's truncation count.
#
#   bench/e2e/giant_document.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
indexer=$build/indexer/scry-index
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'EOF'
import json, random, sys
random.seed(7)
letters = "abcdefghijklmnopqrstuvwxyz"
words = ["".join(random.choice(letters) for _ in range(random.randint(3, 9))) for _ in range(50000)]
parts, n = [], 0
while n < 100_000_000:
    w = random.choice(words)
    parts.append(w)
    n += len(w) + 1
text = " ".join(parts)[:100_000_000 - 1]
with open(sys.argv[1] + "/giant.txt", "w") as f:
    f.write(text + "\n")
with open(sys.argv[1] + "/giant.jsonl", "w") as f:
    f.write(json.dumps({"id": "giant", "body": text}) + "\n")
EOF

printf '%-12s %-22s %8s %7s  %s\n' input options RSS_MB s summary
run() {
  local input=$1; shift
  /usr/bin/time -v "$indexer" "$tmp/$input" -o "$tmp/idx" "$@" 2> "$tmp/time" > "$tmp/out"
  local secs rss truncated
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$tmp/time")
  truncated=$(grep -o '[0-9,]* truncated' "$tmp/out" || echo "0 truncated")
  printf '%-12s %-22s %8s %7.2f  %s\n' "$input" "${*:-default}" "$rss" "$secs" "$truncated"
  rm -rf "$tmp/idx"
}
run giant.txt
run giant.txt -j1
run giant.txt --max-doc-size 1M
run giant.txt --max-doc-size 128M
run giant.jsonl
