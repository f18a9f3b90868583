#!/usr/bin/env bash
# The README's two commands in order: ./run.sh configures build/ without
# tests and benchmarks (kept in CMake's cache), then ./test.sh must still
# build and run every test. Checks, without building anything:
#   - the options test.sh gives CMake for build/ switch tests and benchmarks
#     on over a cache that run.sh left with them off;
#   - every ctest run in test.sh fails when it finds no test (ctest exits
#     non-zero with --no-tests=error in a folder without tests).
#
#   tests/cli/test_command_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() {
  echo "FAILED: $*" >&2
  failures=$((failures + 1))
}

# run.sh's and test.sh's options for build/, as the scripts say them.
run_options=$(sed -n 's|^scripts/setup.sh build \(.*\)$|\1|p' "$source_dir/run.sh")
test_options=$(sed -n 's|^scripts/setup.sh build \(.*\)$|\1|p' "$source_dir/test.sh")
[ -n "$run_options" ] || fail "run.sh: no 'scripts/setup.sh build' line"
[ -n "$test_options" ] || fail "test.sh: no 'scripts/setup.sh build' line"

# shellcheck disable=SC2086  # The options are words.
cmake -S "$source_dir" -B "$scratch/build" -DCMAKE_BUILD_TYPE=Release $run_options > /dev/null
grep -q '^SCRY_BUILD_TESTS:BOOL=OFF$' "$scratch/build/CMakeCache.txt" ||
  fail "run.sh's build/ should be configured without tests"
# shellcheck disable=SC2086
cmake -S "$source_dir" -B "$scratch/build" -DCMAKE_BUILD_TYPE=Release $test_options > /dev/null
for option in SCRY_BUILD_TESTS SCRY_BUILD_BENCHMARKS; do
  grep -q "^$option:BOOL=ON\$" "$scratch/build/CMakeCache.txt" ||
    fail "test.sh leaves $option off in a build/ that run.sh configured"
done

mkdir "$scratch/empty"
if (cd "$scratch/empty" && ctest --no-tests=error > /dev/null 2>&1); then
  fail "ctest --no-tests=error passed in a folder without tests"
fi
commands=$(grep -v '^ *#' "$source_dir/test.sh")
ctest_runs=$(grep -c '\bctest ' <<< "$commands" || true)
strict_runs=$(grep -c '\bctest --no-tests=error ' <<< "$commands" || true)
[ "$ctest_runs" -ge 2 ] || fail "test.sh runs ctest $ctest_runs time(s), expected the Release and sanitizer runs"
[ "$ctest_runs" -eq "$strict_runs" ] || fail "a ctest run in test.sh lacks --no-tests=error"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "test command: tests on after run.sh, ctest fails without tests"
