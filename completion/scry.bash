# Bash completion of scry-index and scry-search, installed under both names
# in share/bash-completion/completions (bash-completion loads it on first
# use; or `source` it). Options come from the program's own --help, so they
# stay in step with it; option values, files and folders from the tables
# below. Needs bash only (not the bash-completion package's helpers).

# The options in `$1 --help`, one a line: "NAME VALUE", VALUE 1 when the
# option takes one (its help line names it in capitals: "--top N"), else 0;
# a short option ("-k") on a line of its own too.
_scry_options() {
  "$1" --help 2>/dev/null | awk '
    /^  -/ {
      if ($1 ~ /^-[A-Za-z0-9]$/ && $2 == "[") { short = $1; long = $3; next_word = $5 }
      else { short = ""; long = $1; next_word = $2 }
      value = next_word ~ /^[A-Z]+$/ ? 1 : 0
      print long, value
      if (short != "") print short, value
    }'
}

_scry_complete() {
  local program=$1 cur=$2 prev=$3
  local name=${program##*/}
  COMPREPLY=()

  # The value of the option before the cursor.
  case $prev in
    -f | --format) mapfile -t COMPREPLY < <(compgen -W 'text tsv json trec' -- "$cur"); return ;;
    --highlight) mapfile -t COMPREPLY < <(compgen -W 'ansi markers none' -- "$cur"); return ;;
    --stopwords) mapfile -t COMPREPLY < <(compgen -W 'snowball lucene none' -- "$cur"); return ;;
    --typo-lengths) mapfile -t COMPREPLY < <(compgen -W '5,9 4,8 5' -- "$cur"); return ;;
    --queries)
      compopt -o filenames 2>/dev/null || true
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return
      ;;
    -o | --output)
      compopt -o filenames 2>/dev/null || true
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      return
      ;;
  esac
  local option takes
  if [[ $prev == -* ]]; then
    while read -r option takes; do
      # Another option that takes a value (a number, a size, an id): no guess.
      [[ $option == "$prev" && $takes == 1 ]] && return
    done < <(_scry_options "$program")
  fi

  if [[ $cur == -* ]]; then
    local options=()
    while read -r option takes; do
      [[ $option == --* ]] && options+=("$option")
    done < <(_scry_options "$program")
    mapfile -t COMPREPLY < <(compgen -W "${options[*]}" -- "$cur")
    return
  fi

  compopt -o filenames 2>/dev/null || true
  if [[ $name == scry-search* ]]; then
    # Index folders (and folders on the way to them).
    mapfile -t COMPREPLY < <(compgen -d -- "$cur")
  else
    # Inputs: files and folders.
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}

complete -F _scry_complete scry-search scry-index
