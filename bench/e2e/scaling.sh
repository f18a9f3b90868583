#!/usr/bin/env bash
# How costs grow with the collection: indexing time and query latency on
# 1/8, 1/4, 1/2 and all of the Wikipedia passages.
#
# Workloads: ../shared/corpora/wiki/enwiki-2015-articles.jsonl.zst unpacked
# and cut into passages by ../shared/corpora/tools/split_passages.py (452,695
# passages of whole paragraphs); the first 1/8, 1/4, 1/2 and all of them are
# indexed with scry-index's defaults (one process each; wall seconds, MB/s);
# then bench/query_bench runs the union (ranked OR) and intersection (+a +b)
# queries of ../shared/corpora/queries/sbg-aol-queries.jsonl on each index,
# top 10 without snippets (median of 5 runs a query; p50 and p99 over the
# queries, microseconds).
#
# Prints a table, writes it as TSV to OUT_DIR/scaling.tsv and plots it to
# OUT_DIR/scaling.png with gnuplot (Debian's gnuplot-nox; installed when
# missing): index seconds and query p50 against documents, each relative to
# the 1/8 point, beside the line of linear growth.
#
#   bench/e2e/scaling.sh [BUILD_DIR] [OUT_DIR]     (OUT_DIR default: docs/)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
out_dir=${2:-$root/docs}
shared=$root/../shared/corpora
wiki=$shared/wiki/enwiki-2015-articles.jsonl.zst
if [ ! -f "$wiki" ]; then
  echo "scaling: $wiki not found; nothing to measure" >&2
  exit 0
fi
if ! command -v gnuplot > /dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gnuplot-nox > /dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

zstd -dcq "$wiki" > "$tmp/articles.jsonl"
python3 "$shared/tools/split_passages.py" "$tmp/articles.jsonl" "$tmp/passages.jsonl" > /dev/null
rm "$tmp/articles.jsonl"
python3 - "$shared/queries/sbg-aol-queries.jsonl" > "$tmp/queries.tsv" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    q = json.loads(line)
    if q["tags"][0] in ("union", "intersection"):
        print(f'{q["tags"][0]}\t{q["query"]}')
PY

total=$(wc -l < "$tmp/passages.jsonl")
printf 'fraction\tdocs\tmb\tindex_s\tmb_per_s\tunion_p50_us\tunion_p99_us\tand_p50_us\tand_p99_us\n' \
  > "$tmp/scaling.tsv"
for part in 8 4 2 1; do
  docs=$((total / part))
  head -n "$docs" "$tmp/passages.jsonl" > "$tmp/part.jsonl"
  bytes=$(stat -c %s "$tmp/part.jsonl")
  start=$(date +%s.%N)
  "$build/indexer/scry-index" -q "$tmp/part.jsonl" -o "$tmp/idx"
  end=$(date +%s.%N)
  "$build/bench/query_bench" "$tmp/idx" "$tmp/queries.tsv" --no-snippets > "$tmp/lat.txt"
  awk -v f="1/$part" -v d="$docs" -v b="$bytes" -v s="$start" -v e="$end" '
    $1 == "union" { up50 = $3; up99 = $4 }
    $1 == "intersection" { ip50 = $3; ip99 = $4 }
    END { t = e - s; printf "%s\t%d\t%.1f\t%.2f\t%.1f\t%s\t%s\t%s\t%s\n", f, d, b / 1e6, t, b / 1e6 / t,
          up50, up99, ip50, ip99 }' "$tmp/lat.txt" >> "$tmp/scaling.tsv"
  rm -rf "$tmp/idx" "$tmp/part.jsonl"
done

column -t -s $'\t' "$tmp/scaling.tsv"
mkdir -p "$out_dir"
cp "$tmp/scaling.tsv" "$out_dir/scaling.tsv"
# Relative to the first row: x = docs / docs_1/8, y = value / value_1/8.
read -r first_docs first_index first_union first_and < <(awk -F'\t' 'NR == 2 { print $2, $4, $6, $8 }' "$tmp/scaling.tsv")
gnuplot <<EOF
set terminal pngcairo size 800,500 noenhanced
set output "$out_dir/scaling.png"
set title "scry on Wikipedia passages: growth relative to 1/8 of the collection"
set xlabel "documents (relative to 1/8 = $first_docs)"
set ylabel "cost relative to 1/8"
set key left top
set grid
set datafile separator "\t"
set xrange [0.9:8.5]
set yrange [0:*]
first_docs = $first_docs; first_index = $first_index; first_union = $first_union; first_and = $first_and
plot x title "linear growth" with lines dashtype 2 lc rgb "gray", \
  "$tmp/scaling.tsv" every ::1 using (\$2/first_docs):(\$4/first_index) title "index time" with linespoints lw 2, \
  "$tmp/scaling.tsv" every ::1 using (\$2/first_docs):(\$6/first_union) title "union (OR) p50" with linespoints lw 2, \
  "$tmp/scaling.tsv" every ::1 using (\$2/first_docs):(\$8/first_and) title "intersection (AND) p50" with linespoints lw 2
EOF
echo "scaling: wrote $out_dir/scaling.tsv and $out_dir/scaling.png"
