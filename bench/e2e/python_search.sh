#!/usr/bin/env bash
# The Python package's cost (docs/PYTHON.md, "Cost").
#
# Indexes ../shared/corpora/news (both files) and answers the 962 AOL
# queries of ../shared/corpora/queries/sbg-aol-queries.jsonl five times
# over, top 10, with and without snippets:
#   1. through scry-search (one batch on stdin, --format tsv): the whole
#      process's user+sys CPU seconds, of BUILD and, when given, of
#      OTHER_BUILD (e.g. one configured with -DSCRY_BUILD_PYTHON=OFF, whose
#      library is not compiled -fPIC);
#   2. through Python (scry.Index.search in a loop, /usr/bin/python3 with
#      PYTHONPATH=BUILD/python): the loop's CPU seconds (open excluded).
# Three rounds, alternating.
#
#   bench/e2e/python_search.sh BUILD [OTHER_BUILD]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
other=${2:-}
corpora=$root/../shared/corpora
if [ ! -d "$corpora/news" ] || [ ! -f "$corpora/queries/sbg-aol-queries.jsonl" ]; then
  echo "python_search: $corpora/news or the AOL queries not found; nothing to measure" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/indexer/scry-index" -q "$corpora/news/20newsgroups.jsonl" "$corpora/news/reuters21578.jsonl" -o "$tmp/idx"
/usr/bin/python3 -c '
import json, sys
queries = [json.loads(line)["query"] for line in open(sys.argv[1])]
open(sys.argv[2], "w").write("\n".join(queries * 5) + "\n")' "$corpora/queries/sbg-aol-queries.jsonl" "$tmp/queries"

cli() {  # BUILD_DIR LABEL [--no-snippets]
  local dir=$1 label=$2
  shift 2
  /usr/bin/time -f "$label %U %S" -o "$tmp/time" "$dir/searcher/scry-search" "$tmp/idx" \
    --queries "$tmp/queries" --format tsv "$@" > /dev/null 2> /dev/null || true
  awk '{printf "%s: %.3f s CPU\n", $1, $2 + $3}' "$tmp/time"
}

python_loop() {  # snippets | no-snippets
  PYTHONPATH=$build/python /usr/bin/python3 - "$tmp/idx" "$tmp/queries" "$1" << 'PY'
import resource, sys
import scry
index = scry.Index(sys.argv[1])
queries = [q for q in open(sys.argv[2]).read().split("\n") if q.strip()]
snippets = sys.argv[3] == "snippets"
start = resource.getrusage(resource.RUSAGE_SELF)
for query in queries:
    try:
        index.search(query, snippets=snippets)
    except scry.QuerySyntaxError:
        pass
end = resource.getrusage(resource.RUSAGE_SELF)
cpu = end.ru_utime - start.ru_utime + end.ru_stime - start.ru_stime
print(f"python-{sys.argv[3]}: {cpu:.3f} s CPU ({len(queries)} queries)")
PY
}

for round in 1 2 3; do
  echo "round $round"
  cli "$build" scry-search-snippets
  cli "$build" scry-search-no-snippets --no-snippets
  if [ -n "$other" ]; then
    cli "$other" other-scry-search-snippets
    cli "$other" other-scry-search-no-snippets --no-snippets
  fi
  python_loop snippets
  python_loop no-snippets
done
