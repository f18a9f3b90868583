#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) over common/, indexer/, searcher/
# and python/; exits non-zero on any finding.
#
#   scripts/tidy.sh [BUILD_DIR]    (default build-tidy; configured here with clang)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-tidy}
for p in clang clang-tidy; do
  command -v "$p" > /dev/null || { echo "tidy: $p not found (apt-get install clang clang-tidy)" >&2; exit 2; }
done
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_CXX_COMPILER=clang++ -DSCRY_BUILD_TESTS=OFF -DSCRY_BUILD_BENCHMARKS=OFF > /dev/null
cd "$root"
run-clang-tidy -quiet -p "$build" -j "$(nproc)" "$root/(common|indexer|searcher|python)/" > "$build/tidy.log" 2>&1 || true
if grep -qE '(warning|error): ' "$build/tidy.log"; then
  sed 's/\x1b\[[0-9;]*m//g' "$build/tidy.log" | grep -E '(warning|error): ' | sort -u >&2
  echo "tidy: findings above (full log: $build/tidy.log)" >&2
  exit 1
fi
echo "tidy: no findings in common/, indexer/, searcher/, python/"
