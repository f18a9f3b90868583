#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) over common/, indexer/, searcher/
# and python/; exits non-zero on any finding.
#
#   scripts/tidy.sh [--no-analyzer] [BUILD_DIR]    (default build-tidy; configured here with clang)
#
# --no-analyzer leaves out the clang-analyzer-* checks (the path-sensitive
# static analyzer), which take about three quarters of clang-tidy's time
# (docs/PERFORMANCE.md, "CI time"): what ./test.sh runs. Without it, every
# check of .clang-tidy runs; run it before a change lands (or on the files
# a change touches: clang-tidy -p BUILD_DIR FILE).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
checks=()
if [ "${1:-}" = "--no-analyzer" ]; then
  checks=(-checks=-clang-analyzer-*)
  shift
fi
build=${1:-$root/build-tidy}
for p in clang clang-tidy; do
  command -v "$p" > /dev/null || { echo "tidy: $p not found (apt-get install clang clang-tidy)" >&2; exit 2; }
done
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_CXX_COMPILER=clang++ -DSCRY_BUILD_TESTS=OFF -DSCRY_BUILD_BENCHMARKS=OFF > /dev/null
cd "$root"
run-clang-tidy -quiet "${checks[@]}" -p "$build" -j "$(nproc)" "$root/(common|indexer|searcher|python)/" > "$build/tidy.log" 2>&1 || true
if grep -qE '(warning|error): ' "$build/tidy.log"; then
  sed 's/\x1b\[[0-9;]*m//g' "$build/tidy.log" | grep -E '(warning|error): ' | sort -u >&2
  echo "tidy: findings above (full log: $build/tidy.log)" >&2
  exit 1
fi
echo "tidy: no findings in common/, indexer/, searcher/, python/${checks:+ (clang-analyzer-* left out)}"
