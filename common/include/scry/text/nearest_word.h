// The nearest of a few known words to a word typed wrong, for "did you
// mean" hints on a command line (an option name such as --fromat).
//
// Thread safety: a pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scry {

// The candidate nearest `word` within `max_edits` edits (insertions,
// deletions, replacements and swaps of adjacent code points, as
// LevenshteinAutomaton counts them); the first of those at the least
// distance; nullopt when none is that near. A candidate equal to `word`
// is at distance 0.
// REQUIRES: 0 <= max_edits <= kMaxFuzzyEdits (levenshtein_automaton.h).
std::optional<std::string> nearest_word(std::string_view word,
                                        const std::vector<std::string>& candidates, int max_edits);

}  // namespace scry
