#!/usr/bin/env bash
# Regression check of scry's speed against Xapian and SQLite FTS5, in one
# command (issue 14, item 6):
#
#   bench/peers/check.sh [BUILD_DIR [COMPARE_OPTION...]]
#
# BUILD_DIR (default build-peers/) is a Release build of scry with the
# benchmarks; when it lacks scry-index, scry-search or query_bench they are
# built there with -j2 (a new folder is first configured from this source
# tree: Release, SCRY_BUILD_BENCHMARKS=ON, no tests). The peers' drivers are
# built by compare.sh.
#
# A fixed subset: the first 2,000 articles of the Wikipedia corpus
# (../shared/corpora/wiki/enwiki-2015-articles.jsonl.zst, 30.7 MB of JSON
# lines; 20 Newsgroups when it is absent) and the first 100 union,
# intersection and phrase queries of sbg-aol-queries.jsonl; scry, Xapian and
# FTS5, without and with snippets (bench/peers/compare.sh --snippets; the
# measures are described in its header). About 4 minutes on 2 busy cores.
#
# Prints compare.sh's tables, ending with today's ratios (peer time / scry
# time) beside the issue's targets: against Xapian 5× in batch and at p50
# (once-run mean and in-process p50), 3× at p99; against FTS5 10×; scry's
# snippets 10× faster than the fastest peer's. Each ratio is marked met or
# not met, and the count of those met comes last. Speed lives in
# benchmarks, not tests: a missed target does not fail the check; it exits
# 0 when it ran, 2 when it could not (a build or a run failed).
#
# Options after BUILD_DIR go to compare.sh after the check's own, e.g.
# `--keep DIR` to keep the per-query files, `--engines scry,xapian,fts5,lucene`
# to add Lucene.
set -euo pipefail
case "${1:-}" in
  -h | --help) sed -n '2,30p' "$0" | cut -c3-; exit 0 ;;
  -*) echo "usage: bench/peers/check.sh [BUILD_DIR [COMPARE_OPTION...]] (the build folder first)" >&2
      exit 2 ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-peers}
[ $# -eq 0 ] || shift

missing=0
for f in indexer/scry-index searcher/scry-search bench/query_bench; do
  [ -x "$build/$f" ] || missing=1
done
if [ $missing = 1 ]; then
  echo "check: building scry in $build (configured from $root when new; Ctrl-C stops it)" >&2
  # A folder configured before keeps its source and options.
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSCRY_BUILD_BENCHMARKS=ON \
      -DSCRY_BUILD_TESTS=OFF > /dev/null || { echo "check: cmake failed" >&2; exit 2; }
  fi
  cmake --build "$build" -j2 --target scry-index scry-search query_bench > /dev/null ||
    { echo "check: the build failed" >&2; exit 2; }
fi

corpus=$root/../shared/corpora/wiki/enwiki-2015-articles.jsonl.zst
docs=2000
if [ ! -f "$corpus" ]; then
  corpus=$root/../shared/corpora/news/20newsgroups.jsonl
  docs=0
  echo "check: the Wikipedia corpus is absent; 20 Newsgroups instead" >&2
fi
# Which scry is measured: the source the build was configured from, and
# when it is a git work tree, its commit and its uncommitted changes.
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
[ "$type" = Release ] ||
  echo "check: warning: $build is a '${type:-default}' build; speed is measured on Release" >&2
version=
if git -C "$src" rev-parse --short HEAD > /dev/null 2>&1; then
  version=" at $(git -C "$src" rev-parse --short HEAD) ($(git -C "$src" status --porcelain \
    --untracked-files=no | wc -l) files changed)"
fi
echo "check: $(date -u '+%Y-%m-%d %H:%M UTC'), binaries in $build, built from $src$version"
exec "$root/bench/peers/compare.sh" "$build" --corpus "$corpus" --max-docs "$docs" \
  --queries 100 --engines scry,xapian,fts5 --snippets "$@"
