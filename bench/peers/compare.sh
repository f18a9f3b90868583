#!/usr/bin/env bash
# Side-by-side benchmark: scry, Xapian, SQLite FTS5 and Lucene 4.10 on the
# same corpus and the same queries.
#
#   bench/peers/compare.sh [BUILD_DIR] [--corpus FILE] [--queries N]
#                          [--max-docs N] [--engines LIST] [--snippets]
#                          [--out FILE] [--keep DIR]
#
# BUILD_DIR (default build/) holds scry's Release build. --corpus is a JSON
# lines file (id, title, body), plain or .zst (unpacked once into a
# temporary folder; default ../shared/corpora/news/20newsgroups.jsonl);
# --max-docs N keeps its first N lines. Queries: the union, intersection and
# phrase queries of ../shared/corpora/queries/sbg-aol-queries.jsonl (its other
# classes are left out), all of them or the first N of each class with
# --queries N. They are written once as TAG<TAB>QUERY (TAG = CLASS.N) in
# scry's syntax: union `a b`, intersection `+a +b`, phrase `"a b"`; each
# peer's driver turns them into its own query objects (see their headers).
# --engines LIST (comma-separated, default scry,xapian,fts5,lucene) picks the
# peers; scry always runs.
#
# Installs what is missing from Debian (libxapian-dev, libsqlite3-dev,
# liblucene4.10-java, default-jdk-headless, zstd; apt-get update once if an
# install fails); an engine whose packages cannot be installed is left out,
# with a warning. The drivers are built into the temporary folder.
#
# Measured for each engine, the same way:
#   - index s: wall time of the indexing process (one run), from the JSON
#     lines file to a finished index; MB/s = input bytes / index s;
#   - index MB: bytes on disk (for scry also without the stored text, i.e.
#     without seg*.store; the peers store only the ids);
#   - open ms: in process, median of 20 opens;
#   - per class p50/p95/p99 µs: in process, index open, each query run once
#     to warm up, then the median of 5 runs; percentiles over the queries.
#     Top 10, no text fetched: scry's bench/query_bench --no-snippets (one
#     "class" per query, so that it prints each query's median), and
#     query_bench with the documents and snippets of the 10 hits for the
#     "scry (snippets)" row;
#   - batch µs/query: wall time of one process answering all the queries
#     (start, open, queries, ids printed), median of 9 runs (3 for the
#     snippet rows, whose peers take seconds a run; one process of a
#     20 ms batch is easily slowed by a moment's load), divided by the
#     number of queries: `scry-search --no-snippets --format tsv --stats`
#     (without --no-snippets for the snippets row) and each driver's
#     "batch" mode;
#   - once mean/p99 µs: each query as run once in those batch processes
#     (not warmed up, as a user's query is): scry-search --stats prints each
#     query's search and "documents and snippets" times, each driver's batch
#     mode the same two ("time" lines on stderr: its search, then reading
#     the hits' ids and snippets); a query's figure is the median of its
#     runs (one a process), mean and p99 over the queries of a class.
#
# --snippets adds the peers' snippet rows: each peer indexes the corpus a
# second time storing the text its snippets need (the driver's index
# --text; the index MB column gives the plain index's size beside it), and
# answers with the snippets of its top 10 (the driver's --snippets: Xapian's
# MSet::snippet, Lucene's PostingsHighlighter, FTS5's snippet()), measured
# as above; scry's snippet row is its default output (snippets on).
# Sanity: per engine and class, the queries without any hit, and the mean
# top-10 overlap with scry's hits (bench/peers/report.py).
#
# Prints the tables as markdown (with the ratios to the issue's targets,
# bench/peers/report.py), and writes them to --out FILE if given.
# --keep DIR copies the per-query files (queries.tsv, ENGINE.lat latencies,
# ENGINE.hits top-10 ids and snippets, ENGINE.once once-run times; see
# bench/peers/report.py) to DIR. Each table row is an ENGINE name: scry,
# scry-snippets, and for each peer PEER and, with --snippets, PEER-snippets.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/peers
build=$root/build
corpus=$root/../shared/corpora/news/20newsgroups.jsonl
query_file=$root/../shared/corpora/queries/sbg-aol-queries.jsonl
per_class=0
max_docs=0
wanted=scry,xapian,fts5,lucene
snippets=0
out=
keep=
usage() {
  echo "usage: bench/peers/compare.sh [BUILD_DIR] [--corpus FILE] [--queries N] [--max-docs N]" \
    "[--engines LIST] [--snippets] [--out FILE] [--keep DIR] (--help: the whole header)" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) sed -n '2,66p' "$0" | cut -c3-; exit 0 ;;
    --corpus | --queries | --max-docs | --engines | --out | --keep)
      [ $# -ge 2 ] || { echo "compare: $1 needs a value" >&2; usage; } ;;&
    --corpus) corpus=$2; shift 2 ;;
    --queries) per_class=$2; shift 2 ;;
    --max-docs) max_docs=$2; shift 2 ;;
    --engines) wanted=$2; shift 2 ;;
    --snippets) snippets=1; shift ;;
    --out) out=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -*) echo "compare: unknown option $1" >&2; usage ;;
    *) [ -d "$1" ] || { echo "compare: $1: no such build folder" >&2; exit 2; }
       build=$(cd "$1" && pwd); shift ;;
  esac
done
for engine in ${wanted//,/ }; do
  case $engine in
    scry | xapian | fts5 | lucene) ;;
    *) echo "compare: --engines: unknown engine '$engine' (scry, xapian, fts5, lucene)" >&2; exit 2 ;;
  esac
done
for f in "$build/indexer/scry-index" "$build/searcher/scry-search" "$build/bench/query_bench"; do
  [ -x "$f" ] || { echo "compare: $f not found; build scry first" >&2; exit 2; }
done
[ -f "$corpus" ] || { echo "compare: corpus $corpus not found" >&2; exit 2; }
[ -f "$query_file" ] || { echo "compare: queries $query_file not found" >&2; exit 2; }

# --- Packages -------------------------------------------------------------
apt_get() {
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get "$@"
  else sudo DEBIAN_FRONTEND=noninteractive apt-get "$@"; fi
}
updated=0
for pkg in libxapian-dev libsqlite3-dev liblucene4.10-java default-jdk-headless zstd; do
  dpkg -s "$pkg" > /dev/null 2>&1 && continue
  echo "compare: installing $pkg" >&2
  if ! apt_get install -y --no-install-recommends "$pkg" > /dev/null; then
    if [ $updated = 0 ]; then
      apt_get update > /dev/null && updated=1
      apt_get install -y --no-install-recommends "$pkg" > /dev/null ||
        echo "compare: warning: could not install $pkg" >&2
    else
      echo "compare: warning: could not install $pkg" >&2
    fi
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run=$tmp/run
mkdir -p "$run" "$tmp/bin"

# --- Drivers --------------------------------------------------------------
want() { [[ ",$wanted," == *",$1,"* ]]; }
engines=(scry)
if ! want xapian; then
  :
elif pkg-config --exists xapian-core 2> /dev/null; then
  # shellcheck disable=SC2046  # pkg-config prints several words on purpose
  g++ -std=c++17 -O2 $(pkg-config --cflags xapian-core) "$here/xapian_bench.cpp" \
    -o "$tmp/bin/xapian_bench" $(pkg-config --libs xapian-core) -lsimdjson
  engines+=(xapian)
else
  echo "compare: warning: Xapian (libxapian-dev) missing; no Xapian row" >&2
fi
if ! want fts5; then
  :
elif [ -f /usr/include/sqlite3.h ]; then
  gcc -O2 "$here/fts5_bench.c" -o "$tmp/bin/fts5_bench" -lsqlite3
  engines+=(fts5)
else
  echo "compare: warning: SQLite (libsqlite3-dev) missing; no FTS5 row" >&2
fi
lucene_jars=(/usr/share/java/lucene-core-4.10*.jar
             /usr/share/java/lucene-analyzers-common-4.10*.jar
             /usr/share/java/lucene-highlighter-4.10*.jar)
lucene_cp=$(IFS=:; echo "${lucene_jars[*]}")
if ! want lucene; then
  :
elif command -v javac > /dev/null && [ -f "${lucene_jars[0]}" ] && [ -f "${lucene_jars[1]}" ] &&
  [ -f "${lucene_jars[2]}" ]; then
  javac -nowarn -cp "$lucene_cp" -d "$tmp/bin" "$here/LuceneBench.java"
  engines+=(lucene)
else
  echo "compare: warning: Lucene 4.10 jars or javac missing; no Lucene row" >&2
fi

# --- Corpus and queries ---------------------------------------------------
input=$corpus
case $corpus in
  *.zst)
    # The unpacked text (~3.5 times the .zst), scry's index and the largest
    # peer index (Xapian's, ~2 times the text) are on disk at once.
    need=$(( $(stat -c %s "$corpus") * 20 ))
    avail=$(( $(df -B1 --output=avail "$tmp" | tail -1) ))
    if [ "$avail" -lt "$need" ]; then
      echo "compare: $tmp has $((avail >> 20)) MB free, $((need >> 20)) MB wanted" >&2
      exit 2
    fi
    input=$tmp/corpus.jsonl
    if [ "$max_docs" -gt 0 ]; then
      zstd -dc "$corpus" | head -n "$max_docs" > "$input" || true  # head closes the pipe early
    else
      zstd -dc "$corpus" > "$input"
    fi ;;
  *)
    if [ "$max_docs" -gt 0 ]; then
      input=$tmp/corpus.jsonl
      head -n "$max_docs" "$corpus" > "$input"
    fi ;;
esac
input_bytes=$(stat -c %s "$input")
python3 - "$query_file" "$per_class" > "$run/queries.tsv" << 'EOF'
import json, sys
limit, seen = int(sys.argv[2]), {}
for line in open(sys.argv[1], encoding="utf-8"):
    q = json.loads(line)
    cls = q["tags"][0]
    if cls in ("union", "intersection", "phrase") and (limit == 0 or seen.get(cls, 0) < limit):
        seen[cls] = seen.get(cls, 0) + 1
        print(f"{cls}.{seen[cls]}\t{q['query']}")
EOF
nq=$(wc -l < "$run/queries.tsv")

# --- Measurements ---------------------------------------------------------
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Each query's once-run times as TAG<TAB>SEARCH_US<TAB>FETCH_US, from a
# batch's stderr: the drivers' "time" lines, or scry-search --stats lines
# ("scry-search: query TAG: N matches, X ms search, Y ms documents and
# snippets"). Other lines (warnings) are left out.
once_times() {
  awk -F'\t' '
    $1 == "time" && NF == 4 { print $2 "\t" $3 "\t" $4; next }
    /^scry-search: query [^ ]*: .* ms search, .* ms documents and snippets$/ {
      tag = $0; sub(/^scry-search: query /, "", tag); sub(/: .*/, "", tag)
      n = split($0, w, " ")
      for (i = 1; i <= n; ++i) {
        if (w[i] == "ms" && w[i + 1] == "search,") search = w[i - 1]
        if (w[i] == "ms" && w[i + 1] == "documents") fetch = w[i - 1]
      }
      printf "%s\t%.1f\t%.1f\n", tag, search * 1000, fetch * 1000
    }'
}

# batch NAME RUNS CMD...: runs CMD (queries on stdin) RUNS times, keeps the
# hits of the last run in NAME.hits (tag, rank, id and, for a snippet row, the
# snippet: scry-search's sixth column, a driver's fourth) and each run's
# once-run times in
# NAME.once (RUN<TAB>TAG<TAB>SEARCH_US<TAB>FETCH_US), prints the median wall
# seconds.
batch() {
  local name=$1 runs=$2 times=() t0 status r
  shift 2
  : > "$run/$name.once"
  for ((r = 1; r <= runs; r++)); do
    t0=$(now)
    status=0
    "$@" < "$run/queries.tsv" > "$tmp/batch.out" 2> "$tmp/batch.err" || status=$?
    times+=("$(elapsed "$t0" "$(now)")")
    if [ "$status" -gt 1 ]; then
      echo "compare: $name batch failed ($status)" >&2
      tail -5 "$tmp/batch.err" >&2
      exit 2
    fi
    once_times < "$tmp/batch.err" | sed "s/^/$r\t/" >> "$run/$name.once"
  done
  case $name in
    scry-snippets) cut -f1-3,6 "$tmp/batch.out" > "$run/$name.hits" ;;
    *-snippets) cut -f1-4 "$tmp/batch.out" > "$run/$name.hits" ;;
    *) cut -f1-3 "$tmp/batch.out" > "$run/$name.hits" ;;
  esac
  median "${times[@]}"
}

# row ENGINE DOCS INDEX_S INDEX_BYTES NO_STORE_BYTES NAME BATCH_S: one line of summary.tsv.
row() {
  local open_us
  open_us=$(awk '$1 == "open_us" { print $2 }' "$run/$6.lat")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$input_bytes" "$4" "$5" \
    "$open_us" "$7" "$6" >> "$run/summary.tsv"
}

# query_bench's output for one "class" per query, as TAG<TAB>US lines.
scry_latency() {
  "$build/bench/query_bench" "$tmp/scry.idx" "$run/queries.tsv" "$@" | awk '
    /^index / { sub(/.*open p50 /, ""); print "open_us\t" $1; next }
    NF == 5 && $2 == 1 { print $1 "\t" $3 }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "compare: $nq queries, engines: ${engines[*]}" >&2
for engine in "${engines[@]}"; do
  echo "compare: $engine" >&2
  t0=$(now)
  case $engine in
    scry)
      "$build/indexer/scry-index" -q "$input" -o "$tmp/scry.idx"
      index_s=$(elapsed "$t0" "$(now)")
      docs=$(grep -ao '"documents": [0-9]*' "$tmp/scry.idx/MANIFEST" | head -1 | grep -o '[0-9]*')
      total=$(du -cb "$tmp/scry.idx"/* | tail -1 | cut -f1)
      store=$(cat "$tmp/scry.idx"/seg*.store | wc -c)
      scry_latency --no-snippets > "$run/scry.lat"
      scry_latency > "$run/scry-snippets.lat"
      search=("$build/searcher/scry-search" "$tmp/scry.idx" --format tsv --stats)
      b=$(batch scry 9 "${search[@]}" --no-snippets)
      row scry "$docs" "$index_s" "$total" $((total - store)) scry "$b"
      b=$(batch scry-snippets 3 "${search[@]}")
      row "scry (snippets)" "$docs" "$index_s" "$total" $((total - store)) scry-snippets "$b" ;;
    xapian | fts5 | lucene)
      case $engine in
        xapian) driver=("$tmp/bin/xapian_bench") ;;
        fts5) driver=("$tmp/bin/fts5_bench") ;;
        lucene) driver=(java -cp "$tmp/bin:$lucene_cp" LuceneBench) ;;
      esac
      docs=$("${driver[@]}" index "$input" "$tmp/$engine.idx" | awk '$1 == "documents" { print $2 }')
      index_s=$(elapsed "$t0" "$(now)")
      plain=$(du -sb "$tmp/$engine.idx" | cut -f1)
      "${driver[@]}" latency "$tmp/$engine.idx" "$run/queries.tsv" > "$run/$engine.lat"
      b=$(batch "$engine" 9 "${driver[@]}" batch "$tmp/$engine.idx" /dev/stdin)
      row "$engine" "$docs" "$index_s" "$plain" - "$engine" "$b"
      rm -rf "$tmp/$engine.idx"
      if [ "$snippets" = 1 ]; then
        echo "compare: $engine with its text, for snippets" >&2
        idx=$tmp/$engine-text.idx
        t0=$(now)
        "${driver[@]}" index "$input" "$idx" --text > /dev/null
        index_s=$(elapsed "$t0" "$(now)")
        total=$(du -sb "$idx" | cut -f1)
        "${driver[@]}" latency "$idx" "$run/queries.tsv" --snippets > "$run/$engine-snippets.lat"
        b=$(batch "$engine-snippets" 3 "${driver[@]}" batch "$idx" /dev/stdin --snippets)
        row "$engine (snippets)" "$docs" "$index_s" "$total" "$plain" "$engine-snippets" "$b"
        rm -rf "$idx"
      fi ;;
  esac
done

corpus_name=$(basename "$corpus")
[ "$max_docs" = 0 ] || corpus_name="$corpus_name, first $max_docs lines"
classes=$(cut -d. -f1 "$run/queries.tsv" | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')
{
  echo "Corpus: $corpus_name, $(awk -v b="$input_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB of JSON lines."
  echo "Queries: $nq from sbg-aol-queries.jsonl ($classes)."
  echo "Load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)."
} > "$run/header.md"
python3 "$here/report.py" "$run" | tee "$tmp/report.md"
[ -z "$out" ] || cp "$tmp/report.md" "$out"
[ -z "$keep" ] || { mkdir -p "$keep" && cp "$run"/* "$keep"/; }
