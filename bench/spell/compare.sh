#!/usr/bin/env bash
# Spelling suggestions side by side (issue 17 item 5; docs/SPELLING.md):
# scry's --suggest, Xapian's Database.get_spelling_suggestion (python3-xapian,
# a database indexed with spelling data) and Lucene 4.10's
# DirectSpellChecker (lucene-suggest), on the same corpus and pairs, in one
# run.
#
#   bench/spell/compare.sh [BUILD_DIR] [--corpus FILE] [--pairs FILE]
#                          [--work DIR] [--out FILE]
#
# BUILD_DIR (default build/) holds scry's Release build. --corpus: JSON
# lines (id, title, body), plain or .zst (default
# ../shared/corpora/wiki/enwiki-2015-articles.jsonl.zst); --pairs:
# misspelling<TAB>correction (default
# ../shared/corpora/spelling/wikipedia-misspellings.tsv). --work DIR keeps
# the unpacked corpus and the three indexes there and reuses those already
# built (default: a temporary folder, removed at the end).
#
# Steps: the pairs whose correction occurs in the corpus as a word
# (pairs.py); the three indexes (scry-index; xapian_spell.py index;
# LuceneSpell index); each engine's suggestion for every misspelling
# (lower-cased), timed in its own process around the one call (scry:
# `scry-search --suggest --stats`, the words loaded first and timed apart;
# Xapian: time.perf_counter_ns in Python; Lucene: System.nanoTime), one
# pass, no warm-up beyond loading; report.py scores them. Prints the
# markdown table (and writes it to --out FILE if given) and the index sizes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=build
corpus=$root/../shared/corpora/wiki/enwiki-2015-articles.jsonl.zst
pairs=$root/../shared/corpora/spelling/wikipedia-misspellings.tsv
work=""
out=""
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) sed -n '2,26p' "$0" | cut -c3-; exit 0 ;;
    --corpus) corpus=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -*) echo "compare: unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
case $build in /*) ;; *) build=$root/$build ;; esac
for program in "$build/indexer/scry-index" "$build/searcher/scry-search"; do
  [ -x "$program" ] || { echo "compare: $program: missing (build scry first)" >&2; exit 2; }
done
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
py=/usr/bin/python3
"$py" -c 'import xapian' 2> /dev/null ||
  { echo "compare: python3-xapian missing (apt-get install python3-xapian)" >&2; exit 2; }
lucene_jars=(/usr/share/java/lucene-core-4.10*.jar /usr/share/java/lucene-analyzers-common-4.10*.jar
             /usr/share/java/lucene-suggest-4.10*.jar)
for jar in "${lucene_jars[@]}"; do
  [ -f "$jar" ] || { echo "compare: $jar missing (apt-get install liblucene4.10-java)" >&2; exit 2; }
done
command -v javac > /dev/null ||
  { echo "compare: javac missing (apt-get install default-jdk-headless)" >&2; exit 2; }
lucene_cp=$(IFS=:; echo "${lucene_jars[*]}")

docs=$work/corpus.jsonl
if [ ! -s "$docs" ]; then
  case $corpus in *.zst) zstd -dc "$corpus" > "$docs" ;; *) cp "$corpus" "$docs" ;; esac
fi
[ -s "$work/pairs.tsv" ] || "$py" "$here/pairs.py" "$pairs" "$docs" > "$work/pairs.tsv"
cut -f1 "$work/pairs.tsv" | tr '[:upper:]' '[:lower:]' > "$work/words.txt"
echo "compare: $(wc -l < "$work/pairs.tsv") pairs with their correction in the corpus" >&2

if [ ! -f "$work/scry/MANIFEST" ]; then
  /usr/bin/time -f "scry index built in %e s" "$build/indexer/scry-index" -q "$docs" -o "$work/scry"
fi
if [ ! -d "$work/xapian" ]; then
  /usr/bin/time -f "xapian index built in %e s" "$py" "$here/xapian_spell.py" index "$docs" "$work/xapian"
fi
mkdir -p "$work/bin"
javac -nowarn -cp "$lucene_cp" -d "$work/bin" "$here/LuceneSpell.java"
if [ ! -d "$work/lucene" ]; then
  /usr/bin/time -f "lucene index built in %e s" java -cp "$work/bin:$lucene_cp" LuceneSpell index "$docs" "$work/lucene"
fi

# scry: the suggestion of each line, with its time from --stats.
"$build/searcher/scry-search" "$work/scry" --suggest --stats < "$work/words.txt" \
  > "$work/scry.out" 2> "$work/scry.err"
grep 'words loaded' "$work/scry.err" >&2
paste "$work/words.txt" "$work/scry.out" \
  <(sed -n 's/^scry-search: suggest [0-9]*: \([0-9.]*\) us$/\1/p' "$work/scry.err") \
  > "$work/scry.tsv"
"$py" "$here/xapian_spell.py" suggest "$work/xapian" "$work/words.txt" > "$work/xapian.tsv"
java -cp "$work/bin:$lucene_cp" LuceneSpell suggest "$work/lucene" "$work/words.txt" > "$work/lucene.tsv"

table=$("$py" "$here/report.py" "$work/pairs.tsv" scry="$work/scry.tsv" \
  "xapian 1.4"="$work/xapian.tsv" "lucene 4.10 DirectSpellChecker"="$work/lucene.tsv")
echo "$table"
words_bytes=$(cat "$work"/scry/*.words | wc -c)
index_bytes=$(cat "$work"/scry/* | wc -c)
echo "scry index: $index_bytes bytes, of which .words $words_bytes"
[ -z "$out" ] || echo "$table" > "$out"
