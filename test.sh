#!/usr/bin/env bash
# Installs what is missing, checks that every C/C++ file is formatted as
# .clang-format says (scripts/format.sh; `scripts/format.sh --fix` formats
# them), builds scry with warnings as errors and runs every test; then builds
# again with Clang, AddressSanitizer + UndefinedBehaviorSanitizer and runs
# every test under them; and runs clang-tidy's quick pass (scripts/tidy.sh
# --no-analyzer: .clang-tidy's checks but the static analyzer's and
# misc-unused-using-decls, each target as one translation unit) over
# common/, indexer/, searcher/ and python/, which must find nothing.
#
# Tests and benchmarks are switched on explicitly: a build folder keeps its
# CMake cache, and ./run.sh configures build/ without them. ctest fails when
# it finds no test (--no-tests=error), so a build without tests cannot pass.
set -euo pipefail
cd "$(dirname "$0")"
jobs=$(nproc)

scripts/setup.sh build -DSCRY_WARNINGS_AS_ERRORS=ON -DSCRY_BUILD_TESTS=ON -DSCRY_BUILD_BENCHMARKS=ON

# clang-tidy runs from here on in the background, at the lowest priority
# (nice 19), in a process group of its own: it takes the CPU time that the
# steps below leave idle (configures, links, the tail of a test run, tests
# that sleep or wait) and the rest once they are done; its verdict comes
# last. The group is stopped if a step fails.
mkdir -p build-tidy
setsid -w nice -n 19 scripts/tidy.sh --no-analyzer build-tidy > build-tidy/tidy.out 2>&1 &
tidy=$!
trap 'kill -- "-$tidy" 2> /dev/null || true' EXIT

scripts/format.sh
(cd build && ctest --no-tests=error --output-on-failure -j "$jobs")

# Built with Clang: about 1.7 times less compiler time than GCC under the
# sanitizers, and a second compiler's warnings (as errors too). Line tables
# only (-g1): the sanitizers' reports keep their file:line frames, and the
# build takes about a third less time than with -g. The library at -O1, as
# AddressSanitizer's documentation advises; the tests' own code at -O0, a
# third of its compiler time at -O1, but for the test binaries whose own
# slow references are most of their work (REFERENCES in
# tests/CMakeLists.txt), at -O1 (docs/PERFORMANCE.md, "CI time").
scripts/setup.sh build-asan -DCMAKE_CXX_COMPILER=clang++ \
  -DSCRY_WARNINGS_AS_ERRORS=ON -DSCRY_BUILD_TESTS=ON -DSCRY_BUILD_BENCHMARKS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  "-DSCRY_SANITIZERS=address;undefined" -DSCRY_TEST_OPTIMIZATION=-O0
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --no-tests=error --output-on-failure -j "$jobs")

tidy_status=0
wait "$tidy" || tidy_status=$?
trap - EXIT
if [ "$tidy_status" -ne 0 ]; then
  cat build-tidy/tidy.out >&2
  exit "$tidy_status"
fi
cat build-tidy/tidy.out
