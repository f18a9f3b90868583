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
// (with transpositions, also what row i - 1 offers the next swap): equal
// rows are equal states of the Levenshtein DFA. The DFA is built lazily:
// a code point steps as its class (which of the word's distinct code points
// it is, or none of them), and a state's transition on a class is computed
// once, on first use, then read from a table, so a walk over a dictionary
// costs a table lookup a code point. A row whose entries all exceed N is
// dead: no term starting with those code points is within N edits, and
// Matcher::next_live() finds the next string that is not so, which lets a
// walk over a sorted dictionary skip all the terms between with one seek
// (IndexStatistics::fuzzy_terms).
//
// Thread safety: not thread-safe, even through const methods (the DFA's
// states are added on first use, and a Matcher keeps the states of the
// last term); separate automata may be used from separate threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

  // Reading a term a byte at a time, for walks over a trie of terms
  // (TermTrie::walk): the state after the bytes read so far, which may end
  // inside a code point. The bytes are read as decode_utf8 reads the whole
  // term (an invalid or truncated sequence as one U+FFFD a byte), so a term
  // gets the distance distance() gives it.
  struct ByteState {
    int32_t state = 0;           // After the complete code points read.
    uint32_t read = 0;           // How many complete code points were read.
    uint8_t pending[4] = {};     // The bytes of an incomplete code point.
    uint8_t pending_size = 0;    // 0 when none is.
    uint8_t pending_length = 0;  // The length its lead byte announces.
  };
  // Reads `byte`. False when no term continuing the bytes read can come
  // within max_edits (the state is then not to be used).
  bool step_byte(ByteState* s, uint8_t byte) const {
    if (byte < 0x80 && s->pending_size == 0) {
      s->state = next_state(s->state, ascii_class_[byte]);
      ++s->read;
      return s->state != kDead;
    }
    return step_byte_slow(s, byte);
  }
  // The distance of the term read when it ends here and is within
  // max_edits; nullopt when it is more.
  // When no code point outside the word's letters (nor an invalid byte)
  // keeps `s` alive: a table of 256 saying which bytes step_byte() may
  // accept next (the first bytes of the word's letters); else nullptr.
  const bool* live_first_bytes(const ByteState& s) const {
    if (s.pending_size > 0 || next_state(s.state, 0) != kDead ||
        next_state(s.state, replacement_class_) != kDead) {
      return nullptr;
    }
    return first_bytes_.data();
  }
  std::optional<int> end_distance(const ByteState& s) const {
    if (s.pending_size > 0) return end_distance_slow(s);
    const int d = final_distance(s.state);
    return d <= max_edits_ ? std::optional<int>(d) : std::nullopt;
  }
  // False when no term that continues the bytes read and has `shortest` to
  // `longest` code points in all (those read included) is within
  // max_edits; true when one may be. The bound: a term within max_edits
  // can only end where some cell of the row (or a transposition's entry)
  // plus the difference between the code points left in the word and in
  // the term stays within max_edits.
  bool may_reach(const ByteState& s, uint64_t shortest, uint64_t longest) const {
    if (longest < s.read) return false;
    const uint64_t least = shortest > s.read ? shortest - s.read : 0;
    const auto [lo, hi] = reach_[static_cast<size_t>(s.state)];
    return least <= hi && longest - s.read >= lo;
  }

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
    // The smallest code point above `c` keeping the automaton alive after
    // the first `i` code points read; nullopt when none does.
    std::optional<char32_t> next_live_char(size_t i, char32_t c) const;

    const LevenshteinAutomaton& a_;
    std::string term_;             // The previous term.
    std::vector<char32_t> chars_;  // Its code points read so far.
    std::vector<size_t> ends_;     // Byte end of each of them.
    std::vector<int32_t> states_;  // states_[i]: the state after i code points.
  };

 private:
  static constexpr int32_t kDead = -1;
  static constexpr int32_t kUnknown = -2;

  // The class of code point `c`: 1 + its index among the word's distinct
  // code points, 0 when the word does not hold it.
  uint32_t class_of(char32_t c) const;
  // The state after `state` reads a code point of class `cls`; kDead when
  // no string continuing it is within max_edits.
  int32_t step(int32_t state, uint32_t cls) const;
  // The state id of a row and its transposition entries (added when new).
  int32_t intern(std::string_view cells) const;
  // reach_ of a new state's cells.
  std::pair<uint32_t, uint32_t> reach_of(std::string_view cells) const;
  // step(), from the table when the transition is known.
  int32_t next_state(int32_t state, uint32_t cls) const {
    const int32_t to = next_[static_cast<size_t>(state) * (letters_.size() + 1) + cls];
    return to != kUnknown ? to : step(state, cls);
  }
  // step_byte() past a code point's first byte, or a byte that is not ASCII.
  bool step_byte_slow(ByteState* s, uint8_t byte) const;
  std::optional<int> end_distance_slow(const ByteState& s) const;
  // Steps one U+FFFD for each pending byte (an invalid or truncated
  // sequence): false when that kills the state.
  bool flush_pending(ByteState* s) const;
  // The distance at `state`, max_edits() + 1 when beyond.
  int final_distance(int32_t state) const {
    return cells_[static_cast<size_t>(state) * width_ + word_.size()];
  }

  std::vector<char32_t> word_;
  std::vector<char32_t> letters_;      // The word's distinct code points, sorted.
  std::vector<uint32_t> word_class_;   // class_of(word_[j]).
  std::vector<uint32_t> ascii_class_;  // class_of(c) for c < 128.
  // Whether some letter of the word is encoded with this first byte.
  std::array<bool, 256> lead_in_word_{};
  std::array<bool, 256> first_bytes_{};  // The first byte of each letter of the word.
  uint32_t replacement_class_ = 0;       // class_of(U+FFFD).
  int max_edits_;
  bool transpositions_;
  size_t width_;  // Cells a state: its row (m + 1), then the swap entries (m + 1).
  // The lazily built DFA: state s is cells_[s * width_, (s + 1) * width_):
  // row[j], then swap[j], the value a transposition ending at word
  // position j would give on the next code point (N + 1 when none can).
  mutable std::vector<uint8_t> cells_;
  // The states by their cells: an open-addressing table of ids (linear
  // probing on the cells' XXH3 hash; kNoState: empty), at most half full.
  static constexpr int32_t kNoState = -1;
  static constexpr size_t kInitialSlots = 64;
  mutable std::vector<int32_t> ids_;
  // reach_[s]: the fewest and most code points a term may have left to
  // read after state s and still end within max_edits (may_reach()).
  mutable std::vector<std::pair<uint32_t, uint32_t>> reach_;
  mutable std::vector<int32_t> next_;  // next_[s * classes + cls]: step(), or kUnknown.
  mutable std::string scratch_;        // step()'s new cells.
};

// The smallest byte string greater than every string starting with
// `prefix`; empty when there is none (`prefix` is all 0xFF bytes or empty).
std::string prefix_successor(std::string_view prefix);

}  // namespace scry
