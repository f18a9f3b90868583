// LevenshteinAutomaton: the terms within N edits of a word, for fuzzy
// queries (`word~N`, docs/QUERY.md "Fuzzy terms").
//
// An edit is the insertion, deletion or substitution of one code point
// (not byte) and, with `transpositions` (the default, as Lucene's
// FuzzyQuery), the swap of two adjacent code points: the distance is then
// the optimal string alignment distance (restricted Damerau-Levenshtein),
// else Levenshtein's.
//
// The automaton's state after reading a term's first i code points is row i
// of the Wagner-Fischer matrix against the word, each entry capped at N + 1
// (with transpositions, also row i - 1): equal rows are equal states of the
// Levenshtein DFA, computed on demand instead of compiled ahead. A row
// whose entries all exceed N is dead: no term starting with those code
// points is within N edits, and Matcher::next_live() finds the next string
// that is not so, which lets a walk over a sorted dictionary skip all the
// terms between with one seek (IndexStatistics::fuzzy_terms).
//
// Thread safety: not thread-safe (a Matcher keeps the rows of the last
// term); separate objects may be used from separate threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scry {

// The most edits a fuzzy term allows (Lucene's limit too: beyond 2, most
// of a dictionary is within reach of a short word).
inline constexpr int kMaxFuzzyEdits = 2;

class LevenshteinAutomaton {
 public:
  // REQUIRES: 0 <= max_edits <= kMaxFuzzyEdits. `word` is UTF-8 (invalid
  // bytes read as U+FFFD, as decode_utf8 does).
  LevenshteinAutomaton(std::string_view word, int max_edits, bool transpositions = true);

  int max_edits() const { return max_edits_; }

  // The distance from the word to `term` when it is at most max_edits();
  // nullopt when it is more.
  std::optional<int> distance(std::string_view term) const;

  // Reads terms given in increasing byte order, reusing the rows of the
  // code points a term shares with the previous one.
  class Matcher {
   public:
    explicit Matcher(const LevenshteinAutomaton& automaton);

    struct Result {
      std::optional<int> distance;  // Set when the term is within max_edits.
      // When the term's first `dead_prefix` bytes (whole code points)
      // already exceed max_edits, so does every term starting with them;
      // 0 when no prefix of the term is dead.
      size_t dead_prefix = 0;
    };
    // REQUIRES: terms in increasing byte order (any order is correct, but
    // shares less).
    Result match(std::string_view term);

    // After match(term) found a dead prefix: the smallest string greater
    // than every string starting with that prefix that can still lead to a
    // term within max_edits (a live prefix: the term's live code points
    // before the dead one, then the smallest code point above it, or above
    // an earlier one, that keeps the automaton alive); empty when no later
    // string can. Every term between `term` and it is beyond max_edits, so
    // a sorted walk may seek there (Lucene's AutomatonTermsEnum).
    // Exact for valid UTF-8 terms (byte order is then code point order);
    // after an invalid byte it skips only the prefix ending with it.
    // REQUIRES: the last match() returned a dead prefix.
    std::string next_live(std::string_view term);

   private:
    // The row after the first `i` code points read and then `c` in *row;
    // false when it is dead.
    bool step(size_t i, char32_t c, std::vector<uint8_t>* row) const;
    // Appends the row of code point `c` after the current ones; false when
    // it is dead.
    bool push(char32_t c);
    // The smallest code point above `c` keeping the automaton alive after
    // the first `i` code points read; nullopt when none does.
    std::optional<char32_t> next_live_char(size_t i, char32_t c) const;

    const LevenshteinAutomaton& a_;
    std::string term_;                        // The previous term.
    std::vector<char32_t> chars_;             // Its code points read so far.
    std::vector<size_t> ends_;                // Byte end of each of them.
    std::vector<std::vector<uint8_t>> rows_;  // rows_[i]: after i code points.
  };

 private:
  std::vector<char32_t> word_;
  std::vector<char32_t> letters_;  // The word's distinct code points, sorted.
  int max_edits_;
  bool transpositions_;
};

// The smallest byte string greater than every string starting with
// `prefix`; empty when there is none (`prefix` is all 0xFF bytes or empty).
std::string prefix_successor(std::string_view prefix);

}  // namespace scry
