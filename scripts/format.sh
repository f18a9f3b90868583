#!/usr/bin/env bash
# Checks (or applies) clang-format (style in .clang-format) on every tracked
# C/C++ file under common/, indexer/, searcher/, python/, tests/ and bench/ (test data
# and fuzz corpora excluded); exits non-zero if any file is not formatted.
#
#   scripts/format.sh          check: list the unformatted files, exit 1 if any
#   scripts/format.sh --fix    format them in place
#
# CLANG_FORMAT selects the binary (default clang-format; the style is tuned
# for clang-format 14, other versions may format a few constructs differently).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
clang_format=${CLANG_FORMAT:-clang-format}
fix=0
case "${1:-}" in
  "") ;;
  --fix) fix=1 ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: scripts/format.sh [--fix]" >&2; exit 2 ;;
esac
command -v "$clang_format" > /dev/null || { echo "format: $clang_format not found (apt-get install clang-format)" >&2; exit 2; }
cd "$root"
files=()
while IFS= read -r f; do
  [ -f "$f" ] && files+=("$f")  # Skips files deleted but not yet staged.
done < <(git ls-files -- common indexer searcher python tests bench \
  | grep -E '\.(c|cc|cpp|h|hpp)$' | grep -vE '^tests/(data|fuzz/corpus)/')
[ ${#files[@]} -gt 0 ] || { echo "format: no files found" >&2; exit 2; }
if [ "$fix" = 1 ]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 16 -P "$(nproc)" "$clang_format" -i --style=file
  echo "format: formatted ${#files[@]} files"
  exit 0
fi
# Each batch writes its report to its own file (parallel writes to one pipe
# can interleave): a line per file that needs formatting, "!FILE: message"
# when clang-format fails.
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
check_batch='cf=$1; dir=$2; shift 2
for f; do
  out=$("$cf" --dry-run --Werror --style=file "$f" 2>&1 > /dev/null) && continue
  case "$out" in *"code should be clang-formatted"*) echo "$f" ;; *) echo "!$f: ${out%%
*}" ;; esac
done > "$dir/$$"'
printf '%s\0' "${files[@]}" | xargs -0 -n 8 -P "$(nproc)" sh -c "$check_batch" sh "$clang_format" "$reports"
log=$(cat "$reports"/* 2> /dev/null | sort)
if [ -z "$log" ]; then
  echo "format: ${#files[@]} files formatted"
  exit 0
fi
if grep -q '^!' <<< "$log"; then
  grep '^!' <<< "$log" | sed 's/^!//' >&2
  echo "format: $clang_format failed" >&2
  exit 2
fi
echo "$log" >&2
echo "format: $(wc -l <<< "$log") of ${#files[@]} files need formatting (fix: scripts/format.sh --fix; see: $clang_format FILE | diff FILE -)" >&2
exit 1
