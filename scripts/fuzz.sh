#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Builds the libFuzzer targets (tests/fuzz, clang, ASan + UBSan) into
# build-fuzz/ and runs each TARGET (default: all four) for SECONDS (default
# 600), one after the other, each as a single process (one core), on a
# fresh copy of its seed corpus (tests/fuzz/corpus/TARGET, copied to
# build-fuzz/corpus/TARGET). Crashing inputs go to build-fuzz/crashes/,
# logs to build-fuzz/logs/TARGET.log. Prints, per target, the executions,
# exec/s, coverage (libFuzzer's cov: and ft:) and the crashes found.
# Exits 1 when any target crashed. tests/fuzz/README.md has the details.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
all_targets=(fuzz_query_parser fuzz_analyzer fuzz_readers fuzz_index)

seconds=600
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
  seconds="$1"
  shift
fi
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  if [[ ! " ${all_targets[*]} " =~ " $t " ]]; then
    echo "fuzz.sh: unknown target '$t' (one of: ${all_targets[*]})" >&2
    exit 2
  fi
done

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DSCRY_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Only the fuzzers (and the libraries they need), not the tests and benchmarks.
cmake --build "$build" --target "${targets[@]}" -- -j "${SCRY_FUZZ_BUILD_JOBS:-2}"

mkdir -p "$build/crashes" "$build/logs" "$build/corpus"
failed=0
summary=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  rm -rf "$corpus"
  mkdir -p "$corpus"
  cp "$root/tests/fuzz/corpus/$t/"* "$corpus/"
  log="$build/logs/$t.log"
  args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048
        -artifact_prefix="$build/crashes/$t-")
  [[ -f "$root/tests/fuzz/$t.dict" ]] && args+=(-dict="$root/tests/fuzz/$t.dict")
  marker="$build/logs/$t.start"
  touch "$marker"
  echo "== $t: ${seconds}s (log: $log)"
  status=0
  "$build/tests/fuzz/$t" "${args[@]}" "$corpus" >"$log" 2>&1 || status=$?
  # Artifacts (crash-, leak-, timeout-, oom-) written by this run.
  new_files=$(find "$build/crashes" -maxdepth 1 -type f -name "$t-*" -newer "$marker" | sort)
  crashes=$(printf '%s' "$new_files" | grep -c . || true)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  line="$t: executions ${execs:-?}, exec/s ${rate:-?}, cov ${cov:-?}, ft ${ft:-?}, crashes $crashes"
  if [[ $status -ne 0 || $crashes -gt 0 ]]; then
    failed=1
    line+=" (exit $status)"
    for f in $new_files; do
      line+=$'\n'"    $f"
    done
    reason=$(grep -m1 -E '^==[0-9]+==ERROR|runtime error:|scry fuzz invariant broken|deadly signal|timeout after' "$log" || true)
    [[ -n "$reason" ]] && line+=$'\n'"    $reason"
  fi
  echo "$line"
  summary+=("$line")
done

echo
echo "== summary (${seconds}s each)"
printf '%s\n' "${summary[@]}"
exit $failed
