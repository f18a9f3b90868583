#!/usr/bin/env bash
# Quick start: installs what is missing, builds scry in Release, indexes the
# bundled articles in corpus/ and shows what the index holds.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh build -DSCRY_BUILD_TESTS=OFF -DSCRY_BUILD_BENCHMARKS=OFF
build/indexer/scry-index corpus -o build/corpus.idx
