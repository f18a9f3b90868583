#!/usr/bin/env bash
# Quick start: installs what is missing, builds scry in Release, indexes the
# bundled articles in corpus/ and searches them: the REPL on a terminal, or
# the query given as arguments (./run.sh huawei ascend), or one query a line
# on standard input.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh build -DSCRY_BUILD_TESTS=OFF -DSCRY_BUILD_BENCHMARKS=OFF
build/indexer/scry-index corpus -o build/corpus.idx
exec build/searcher/scry-search build/corpus.idx "$@"
