#!/bin/sh
# word~2 against the exact word, scry and Lucene 4.10 in one run
# (docs/PERFORMANCE.md, "Fuzzy terms"): the 30 words of fuzzy_words.txt,
# top 10. scry: each word once in a fresh process, 9 rounds (once_run.py
# classes: mean, p50, p99 and the ratio to the exact word), and 5 repeats
# in one process (fuzzy_latency.sh, its --stats "ms search"); Lucene: 5
# rounds in one JVM (LuceneFuzzy.java, System.nanoTime around
# IndexSearcher.search).
# Usage: bench/e2e/fuzzy_peers.sh SCRY_SEARCH SCRY_INDEX LUCENE_DIR
#   LUCENE_DIR: the Lucene index of the same articles that
#   bench/spell/compare.sh --work WORK builds (WORK/lucene).
set -eu
case "${1:-}" in -h | --help) sed -n '2,11p' "$0" | cut -c3-; exit 0 ;; esac
if [ $# -ne 3 ]; then
  echo "usage: bench/e2e/fuzzy_peers.sh SCRY_SEARCH SCRY_INDEX LUCENE_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
S=$1
IDX=$2
LUCENE=$3
[ -d "$LUCENE" ] || { echo "fuzzy_peers: $LUCENE: no Lucene index (bench/spell/compare.sh --work builds one)" >&2; exit 2; }
cp=$(ls /usr/share/java/lucene-core-4.10*.jar | paste -sd:)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Fails first (exit 2, scry-search's error shown) when SCRY_SEARCH or
# SCRY_INDEX is wrong.
word=$("$here/fuzzy_latency.sh" "$S" "$IDX" "")
fuzzy=$("$here/fuzzy_latency.sh" "$S" "$IDX" "~2")
cp "$here/fuzzy_words.txt" "$tmp/word.q"
sed 's/$/~2/' "$here/fuzzy_words.txt" >"$tmp/word~2.q"
echo "scry, each query once in a fresh process (µs of search and documents):"
/usr/bin/python3 "$here/once_run.py" classes "$IDX" 9 "$S" "$tmp/word.q" "$tmp/word~2.q" |
  sed "s|$tmp/||"
echo "scry, 5 repeats in one process (ms search):"
echo "  word   $word"
echo "  word~2 $fuzzy"
p50() { echo "$1" | sed -n 's/.*p50=\([0-9.]*\) ms.*/\1/p'; }
awk -v a="$(p50 "$word")" -v b="$(p50 "$fuzzy")" \
  'BEGIN { if (a > 0) printf "  word~2 / word at p50: %.2fx\n", b / a }'
javac -nowarn -cp "$cp" -d "$tmp" "$here/LuceneFuzzy.java"
echo "Lucene 4.10, 5 rounds in one JVM:"
java -cp "$tmp:$cp" LuceneFuzzy "$LUCENE" 5 "$here/fuzzy_words.txt"
