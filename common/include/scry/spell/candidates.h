// The candidate corrections of a word (docs/SPELLING.md, "Candidates"): the
// table's candidate words within N edits, insertions, deletions,
// substitutions and adjacent transpositions of code points each counting
// one (the optimal string alignment distance).
//
// Thread safety: a pure function of its arguments.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "scry/spell/word_table.h"

namespace scry {

struct SpellCandidate {
  uint32_t index;  // The word's index in the table.
  int distance;    // Edits from the typed word (0: the word itself).
};

// Every word of table.candidates() within `max_edits` edits of `word`, in
// byte order. Walks the word's LevenshteinAutomaton over the sorted
// candidates, seeking past the words after every dead prefix.
// REQUIRES: 0 <= max_edits <= kMaxFuzzyEdits.
std::vector<SpellCandidate> spell_candidates(const WordTable& table, std::string_view word,
                                             int max_edits);

// The same as spell_candidates(table, word, 1), found through the table's
// index of deletions (WordTable::with_deletion_hash): the word and its
// deletions of one code point looked up, the words found checked with the
// automaton. A few lookups instead of a walk: what makes most suggestions
// fast (docs/SPELLING.md, "Candidates").
std::vector<SpellCandidate> spell_candidates_near(const WordTable& table, std::string_view word);

}  // namespace scry
