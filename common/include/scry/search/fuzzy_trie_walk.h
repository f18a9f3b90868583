// The terms of a segment within N edits of a word, found by walking the
// tries of its term dictionary (docs/QUERY.md, "Fuzzy terms"): the trie of
// the keys, stepping the word's Levenshtein automaton a byte at a time, or,
// for two edits in a dictionary of format version 7, which also holds the
// trie of the reversed keys, Mihov and Schulz's forward-backward split. A
// term within two edits of the word has a prefix within one edit of the
// word's first half or a suffix within one edit of its second half: the
// two edits fall one in each half, or both in one half and none in the
// other, and a transposition across the halves costs each side one
// substitution. So the walk of the keys descends only while the word's
// automaton lives and, until some prefix is within one edit of the first
// half, the first half's automaton too; the walk of the reversed keys
// likewise with the reversed word and its reversed second half (terms
// that are not valid UTF-8 lie apart in that trie, and are walked with the
// word's automaton alone); the finds are merged. Within two edits every prefix of two code points
// is live; within one edit of half the word, few are.
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
  // Every key of `trie` after `prefix` within max_edits, in one walk; each
  // term found is the key after `base`.
  Status walk_all(const TermTrie& trie, std::string_view prefix, std::string_view base,
                  std::vector<std::pair<std::string, uint64_t>>* out) const;
  // One walk of the split: the keys after `base` within `word`'s edits
  // that have a prefix within `half`'s. `reversed`: the trie holds
  // reversed keys, whose terms are reversed back when found.
  Status walk_half(const TermTrie& trie, std::string_view base, const LevenshteinAutomaton& word,
                   const LevenshteinAutomaton& half, bool reversed,
                   std::vector<std::pair<std::string, uint64_t>>* out) const;

  LevenshteinAutomaton automaton_;
  // The word's code points when the split applies (two edits, four code
  // points or more); else empty.
  std::vector<char32_t> split_;
  // For the split, built on first use: the word's first half and its
  // second half reversed, each within one edit, and the word reversed
  // within max_edits.
  mutable std::optional<LevenshteinAutomaton> first_half_;
  mutable std::optional<LevenshteinAutomaton> last_half_reversed_;
  mutable std::optional<LevenshteinAutomaton> reversed_;
};

}  // namespace scry
