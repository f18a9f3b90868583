#!/usr/bin/env bash
# Ranking quality on the test collections of ../shared/corpora/relevance.
#
# For each collection: index docs.jsonl with scry-index (defaults), run its
# queries as plain text, top 1000 (scry-search --plain --format trec), and
# score the run with scry-eval; with --peers, the same for Xapian and SQLite
# FTS5 (bench/relevance/peer_*.py; Debian's python3-xapian and sqlite3).
# Prints one table: engine, collection, queries evaluated, MAP, nDCG@10,
# P@10, Recall@100.
#
#   bench/relevance/evaluate.sh [BUILD_DIR] [--peers] [--search OPTION]... [-- scry-index options...]
# --search OPTION passes OPTION to scry-search (e.g. --search --typos).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
peers=0
index_opts=()
search_opts=()
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) sed -n '2,12p' "$0" | cut -c3-; exit 0 ;;
    --peers) peers=1 ;;
    --search) shift; search_opts+=("$1") ;;
    --) shift; index_opts=("$@"); break ;;
    -*) echo "evaluate: unknown option $1 (--help)" >&2; exit 2 ;;
    *) build=$1 ;;
  esac
  shift
done
for program in indexer/scry-index searcher/scry-search bench/eval/scry-eval; do
  [ -x "$build/$program" ] ||
    { echo "evaluate: $build/$program: missing (a build with the benchmarks)" >&2; exit 2; }
done
collections=$root/../shared/corpora/relevance
if [ ! -d "$collections" ]; then
  echo "evaluate: $collections not found; nothing to measure" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Prints "ENGINE COLLECTION num_q map ndcg p10 r100" from scry-eval's output.
row() {
  local engine=$1 name=$2 qrels=$3 run=$4
  "$build/bench/eval/scry-eval" "$qrels" "$run" |
    awk -v e="$engine" -v c="$name" '{ v[$1] = $2 }
      END { printf "%-8s %-10s %5d %7.4f %7.4f %7.4f %7.4f\n", e, c, v["num_q"], v["map"],
            v["ndcg_cut_10"], v["P_10"], v["recall_100"] }'
}

printf '%-8s %-10s %5s %7s %7s %7s %7s\n' engine collection q MAP nDCG@10 P@10 R@100
for dir in "$collections"/*/; do
  name=$(basename "$dir")
  "$build/indexer/scry-index" -q "${index_opts[@]}" "$dir/docs.jsonl" -o "$tmp/$name.idx"
  "$build/searcher/scry-search" "$tmp/$name.idx" --plain --format trec -k 1000 \
    ${search_opts[@]+"${search_opts[@]}"} --queries "$dir/queries.tsv" > "$tmp/$name.scry.run" || true
  row scry "$name" "$dir/qrels.tsv" "$tmp/$name.scry.run"
  if [ "$peers" = 1 ]; then
    for engine in xapian fts5; do
      /usr/bin/python3 "$root/bench/relevance/peer_$engine.py" "$dir" "$tmp/$name.$engine.run" \
        --workdir "$tmp/$engine-$name"
      row "$engine" "$name" "$dir/qrels.tsv" "$tmp/$name.$engine.run"
    done
  fi
done
