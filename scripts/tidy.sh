#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) over common/, indexer/, searcher/
# and python/; exits non-zero on any finding.
#
#   scripts/tidy.sh [--no-analyzer] [BUILD_DIR]    (default build-tidy; configured here with clang)
#
# Without options, every check of .clang-tidy runs on each file: run it
# before a change lands (or on the files a change touches: clang-tidy -p
# DIR FILE, DIR a build folder configured with
# -DCMAKE_EXPORT_COMPILE_COMMANDS=ON and without CMAKE_UNITY_BUILD).
#
# --no-analyzer, what ./test.sh runs, is the quick pass: it leaves out the
# clang-analyzer-* checks (the path-sensitive static analyzer, about three
# quarters of the time per file) and checks each target as one translation
# unit (CMake's unity build, all its files at once), so that the headers
# they share, the standard library's most of all, are parsed and matched
# once instead of once a file: about 80 s of CPU instead of 600
# (docs/PERFORMANCE.md, "CI time"). Two checks look only at the main file,
# which is then the unity file: misc-unused-using-decls and the analyzer,
# so both wait for the full pass. bugprone-suspicious-include is left out:
# the unity files include .cpp files by design. And the files of a target
# must not define the same name at namespace scope, even in anonymous
# namespaces: a clash shows as a compiler error ("redefinition of ...").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
if [ "${1:-}" = "--no-analyzer" ]; then
  quick=1
  shift
fi
build=${1:-$root/build-tidy}
for p in clang clang-tidy; do
  command -v "$p" > /dev/null || { echo "tidy: $p not found (apt-get install clang clang-tidy)" >&2; exit 2; }
done
unity=OFF
[ $quick = 0 ] || unity=ON
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_CXX_COMPILER=clang++ -DSCRY_BUILD_TESTS=OFF -DSCRY_BUILD_BENCHMARKS=OFF \
  -DCMAKE_UNITY_BUILD=$unity -DCMAKE_UNITY_BUILD_BATCH_SIZE=0 > /dev/null
build=$(cd "$build" && pwd)
cd "$root"
if [ $quick = 1 ]; then
  # The unity files live in the build folder, outside the sources: the
  # configuration is given as text, not found beside them.
  run-clang-tidy -quiet -config "$(cat "$root/.clang-tidy")" \
    -checks=-clang-analyzer-*,-misc-unused-using-decls,-bugprone-suspicious-include \
    -p "$build" -j "$(nproc)" "^$build/(common|indexer|searcher|python)/" > "$build/tidy.log" 2>&1 || true
else
  run-clang-tidy -quiet -p "$build" -j "$(nproc)" "^$root/(common|indexer|searcher|python)/" \
    > "$build/tidy.log" 2>&1 || true
fi
if grep -qE '(warning|error): ' "$build/tidy.log"; then
  sed 's/\x1b\[[0-9;]*m//g' "$build/tidy.log" | grep -E '(warning|error): ' | sort -u >&2
  echo "tidy: findings above (full log: $build/tidy.log)" >&2
  exit 1
fi
left_out=""
[ $quick = 0 ] || left_out=" (quick pass: clang-analyzer-* and misc-unused-using-decls left out)"
echo "tidy: no findings in common/, indexer/, searcher/, python/$left_out"
