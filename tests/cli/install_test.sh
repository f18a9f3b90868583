#!/usr/bin/env bash
# `cmake --install` into a temporary prefix puts both programs, their man
# pages and the bash completion in place; the man pages render without a
# warning and describe every option of --help; the completion offers the
# options, their values and index folders.
#
#   tests/cli/install_test.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
failures=0
fail() {
  echo "FAILED: $*" >&2
  failures=$((failures + 1))
}

cmake --install "$build" --prefix "$prefix" >/dev/null

for file in bin/scry-index bin/scry-search share/man/man1/scry-index.1 \
  share/man/man1/scry-search.1 share/bash-completion/completions/scry-index \
  share/bash-completion/completions/scry-search; do
  [ -s "$prefix/$file" ] || fail "$file not installed"
done
for program in scry-index scry-search; do
  "$prefix/bin/$program" --version | grep -q "^$program " || fail "$program --version"
done

for program in scry-index scry-search; do
  page=$prefix/share/man/man1/$program.1
  # Every long option of --help heads an item (the line after .TP), as
  # roff writes it (\-\-max\-terms).
  items=$(awk 'previous == ".TP" { print } { previous = $0 }' "$page")
  for option in $("$prefix/bin/$program" --help | grep -o -- '^  \(-[a-z] \[ \)\?--[a-z0-9-]*' |
    grep -o -- '--[a-z0-9-]*'); do
    grep -qF -- "${option//-/\\-}" <<<"$items" || fail "$program.1 does not describe $option"
  done
  if command -v groff >/dev/null; then
    warnings=$(groff -man -ww -z "$page" 2>&1)
    [ -z "$warnings" ] || fail "groff warns on $program.1: $warnings"
  else
    echo "groff not installed: $program.1 not checked with groff" >&2
  fi
  if command -v man >/dev/null; then
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man warns on $program.1: $warnings"
    MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q "^NAME" || fail "man -l $program.1 renders no NAME"
  else
    echo "man not installed: $program.1 not rendered" >&2
  fi
done

# The completion, as bash would call it (COMP_WORDS set, `complete -F`).
# shellcheck source=/dev/null
source "$prefix/share/bash-completion/completions/scry-search"
complete -p scry-search scry-index >/dev/null || fail "completion not registered"
expect() {  # expect PROGRAM CUR PREV WORD...: each WORD is among the candidates.
  local program=$1 cur=$2 prev=$3
  shift 3
  COMPREPLY=()
  _scry_complete "$program" "$cur" "$prev"
  for word in "$@"; do
    [[ " ${COMPREPLY[*]} " == *" $word "* ]] ||
      fail "completing '$prev $cur' for ${program##*/}: no $word in: ${COMPREPLY[*]}"
  done
}
cd "$prefix"
mkdir -p notes.idx
touch notes.idx/MANIFEST
expect "$prefix/bin/scry-search" --fo scry-search --format
expect "$prefix/bin/scry-search" "" --format text tsv json trec
expect "$prefix/bin/scry-search" "" --highlight ansi markers none
expect "$prefix/bin/scry-search" --d scry-search --doc
expect "$prefix/bin/scry-search" no scry-search notes.idx
expect "$prefix/bin/scry-index" --stop scry-index --stopwords
expect "$prefix/bin/scry-index" "" --stopwords snowball lucene none
_scry_complete "$prefix/bin/scry-search" "" -k
[ ${#COMPREPLY[@]} -eq 0 ] || fail "a value for -k completed as: ${COMPREPLY[*]}"

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "installed and checked under $prefix"
