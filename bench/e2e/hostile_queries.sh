#!/usr/bin/env bash
# Hostile queries on 20 Newsgroups: each must be answered or refused with a
# clear message within a second, in bounded memory (docs/QUERY.md, "Limits").
#
# Workloads (one scry-search process each, top 10, no snippets):
#   100 KB of words, 10,000 terms, 10,000 nested parentheses, the prefix a*,
#   a phrase of 1,000 words; the same texts as --plain queries; and, past the
#   default limits (--max-terms 100000), 100 KB of real text as a --plain query.
#   Then prefixes (issue 15): nine one-letter prefixes repeated 100 times (900
#   clauses; refused: 9 x 128 expansions > 1,024), eight of them repeated 100
#   times (1,024 expansions: answered, and with --count), s* repeated 100
#   times; and the deepest nesting accepted (--max-depth 256).
# Prints per case: exit status, wall seconds, peak RSS (MB) and the first
# line of stderr.
#
#   bench/e2e/hostile_queries.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
corpus=$root/../shared/corpora/news/20newsgroups.jsonl
if [ ! -f "$corpus" ]; then
  echo "hostile_queries: $corpus not found; nothing to measure" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/indexer/scry-index" -q "$corpus" -o "$tmp/idx"

python3 - "$tmp" "$corpus" <<'PY'
import itertools, json, random, sys
tmp, corpus = sys.argv[1], sys.argv[2]
random.seed(7)
common = ["god", "people", "windows", "car", "space", "the", "of", "nasa"]
def write(name, text):
    open(f"{tmp}/{name}.q", "w").write(text)
write("100kb", " ".join(random.choice(common + [f"x{i}"]) for i in range(20000))[:100000])
write("10k-terms", " ".join(random.choice(common) + str(i % 3 or "") for i in range(10000)))
write("10k-nested", "(" * 10000 + "god" + ")" * 10000)
write("prefix-a", "a*")
write("phrase-1000", '"' + " ".join(random.choice(common) for _ in range(1000)) + '"')
bodies = (json.loads(l)["body"] for l in open(corpus))
write("real-100kb", " ".join(itertools.islice(bodies, 400))[:100000].replace("\n", " "))
write("900-prefixes", "a* b* c* d* e* s* t* m* p* " * 100)
write("800-prefixes", "a* b* c* d* e* s* t* m* " * 100)
write("100-s-prefix", "s* " * 100)
write("256-nested", "(" * 256 + "god" + ")" * 256)
PY

printf '%-22s %5s %8s %8s  %s\n' case exit seconds rss_mb stderr
run() {
  local name=$1 file=$2; shift 2
  local status=0
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$build/searcher/scry-search" "$tmp/idx" \
    "$(cat "$tmp/$file.q")" --no-snippets "$@" > /dev/null 2> "$tmp/err" || status=$?
  # time -o starts with "Command exited with non-zero status N" when it did.
  read -r seconds kb < <(tail -1 "$tmp/time")
  printf '%-22s %5s %8s %8.1f  %s\n' "$name" "$status" "$seconds" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" \
    "$(head -1 "$tmp/err" | cut -c1-70)"
}
for q in 100kb 10k-terms 10k-nested prefix-a phrase-1000; do
  run "$q" "$q"
  run "$q --plain" "$q" --plain
done
run "real-100kb --plain" real-100kb --plain
run "real-100kb raised" real-100kb --plain --max-terms 100000
run "900-prefixes" 900-prefixes
run "800-prefixes" 800-prefixes
run "800-prefixes --count" 800-prefixes --count
run "100-s-prefix --count" 100-s-prefix --count
run "256-nested depth 256" 256-nested --max-depth 256
