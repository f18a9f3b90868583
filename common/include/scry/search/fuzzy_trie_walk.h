// The terms of a segment within N edits of a word, found by walking the
// tries of its term dictionary (docs/QUERY.md, "Fuzzy terms"): the trie of
// the keys, stepping the word's Levenshtein automaton a byte at a time, or,
// in a dictionary of format version 7, which also holds the trie of the
// reversed keys, a forward-backward split at a boundary b of the word's m
// code points (for two edits ceil(m / 2), one more from six code points;
// for one, floor(m / 2)).
// Within two edits: a term has a prefix within one edit of the first half
// (those prefixes are listed by descending the trie of the keys along the
// half and its one-edit variants, and the keys below them walked with the
// word's automaton), or it ends with the word's last m - b code points
// exactly, or with code point b, then b - 1, then the last m - b - 1 (the
// walks of the reversed keys below those suffixes, with the reversed
// word's automaton). Within one edit: it starts with the first b code
// points, or with the first b - 1 then code point b, then b - 1, or it
// ends with the last m - b (a walk below each exact piece). Terms that are
// not valid UTF-8 lie apart in the reversed trie and are walked with the
// word's automaton alone; the finds are merged.
//
// Thread safety: not thread-safe (the automata grow on first use); one
// per thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/format/term_trie.h"
#include "scry/text/levenshtein_automaton.h"
#include "scry/util/status.h"

namespace scry {

class FuzzyTrieWalk {
 public:
  // REQUIRES: 0 <= max_edits <= kMaxFuzzyEdits; `word` is UTF-8.
  FuzzyTrieWalk(std::string_view word, int max_edits);

  // Appends (term, df) once for each term within max_edits of the word whose
  // key, `base` then the term, is in `forward`; `reversed` is the trie of the
  // reversed keys (reversed_key()) or nullptr.
  // REQUIRES: `base` is one byte below 0x80 (a field byte).
  // Errors: Corruption naming the file (a damaged trie).
  Status walk(const TermTrie& forward, const TermTrie* reversed, std::string_view base,
              std::vector<std::pair<std::string, uint64_t>>* out) const;

 private:
  // The keys of `trie` starting with `base` then `exact` whose bytes after
  // `base` `a` accepts (`exact` stepped first); each term found is the key
  // after `base`, reversed back when `reversed` (the trie of reversed keys).
  Status walk_exact(const TermTrie& trie, std::string_view base, std::string_view exact,
                    const LevenshteinAutomaton& a, bool reversed,
                    std::vector<std::pair<std::string, uint64_t>>* out) const;
  // The same below `at`, the place after `base` then `exact`.
  Status walk_from(const TermTrie& trie, const TermTrie::Cursor& at, std::string_view base,
                   std::string_view exact, const LevenshteinAutomaton& a, bool reversed,
                   std::vector<std::pair<std::string, uint64_t>>* out) const;
  // A prefix of keys: its bytes after the field byte, and the place after
  // them.
  struct NearPrefix {
    std::string bytes;
    TermTrie::Cursor at;
  };
  // The forward part of the split for two edits: appends to *out prefixes
  // of keys after `base` (their bytes after `base`), each within one edit of
  // the word's first b code points, the half, such that every key of the
  // lengths the word's edits allow with a prefix of valid UTF-8 within one
  // edit of the half starts with one of them (some maybe more than once,
  // or below another). Found by descending the trie along the half exactly
  // and, at each of its first b - 1 code points, along the half with that
  // code point deleted, swapped with the next, replaced by each code point
  // the trie holds there or with one inserted before it; the half's first
  // b - 1 code points are the last (every edit of its last code point but
  // the swap continues them). No automaton is stepped.
  Status near_prefixes(const TermTrie& trie, std::string_view base, size_t b,
                       std::vector<NearPrefix>* out) const;

  LevenshteinAutomaton automaton_;
  // The word's code points when the split applies (two edits and four code
  // points or more, or one edit and three or more); else empty.
  std::vector<char32_t> split_;
  // For the split, built on first use: the word reversed within
  // max_edits.
  mutable std::optional<LevenshteinAutomaton> reversed_;
};

}  // namespace scry
