#!/bin/sh
# word~2 against the exact word, scry and Lucene 4.10 in one run
# (docs/PERFORMANCE.md, "Fuzzy terms"): the 30 words of fuzzy_words.txt,
# 5 rounds, top 10, each engine timing each query in process (scry:
# fuzzy_latency.sh, its --stats "ms search"; Lucene: LuceneFuzzy.java,
# System.nanoTime around IndexSearcher.search).
# Usage: bench/e2e/fuzzy_peers.sh SCRY_SEARCH SCRY_INDEX LUCENE_DIR
#   LUCENE_DIR: the Lucene index of the same articles that
#   bench/spell/compare.sh --work WORK builds (WORK/lucene).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
S=$1
IDX=$2
LUCENE=$3
[ -d "$LUCENE" ] || { echo "fuzzy_peers: $LUCENE: no Lucene index (bench/spell/compare.sh --work builds one)" >&2; exit 2; }
cp=$(ls /usr/share/java/lucene-core-4.10*.jar | paste -sd:)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
javac -nowarn -cp "$cp" -d "$bin" "$here/LuceneFuzzy.java"
echo "scry word $("$here/fuzzy_latency.sh" "$S" "$IDX" "")"
echo "scry word~2 $("$here/fuzzy_latency.sh" "$S" "$IDX" "~2")"
java -cp "$bin:$cp" LuceneFuzzy "$LUCENE" 5 "$here/fuzzy_words.txt"
