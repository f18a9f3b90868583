#include "scry/search/fuzzy_trie_walk.h"

#include <algorithm>

#include "scry/format/term_dictionary.h"
#include "scry/util/utf8.h"

namespace scry {

namespace {

// Each half of the word within this many edits, for a word within two.
constexpr int kHalfEdits = 1;
// The split needs halves of two code points at least: a half of one is
// within one edit of every prefix, and the walk of the keys would be the
// whole walk.
constexpr size_t kSplitMinLength = 4;

std::string utf8_of(std::vector<char32_t>::const_iterator begin,
                    std::vector<char32_t>::const_iterator end) {
  std::string out;
  for (auto it = begin; it != end; ++it) append_utf8(*it, &out);
  return out;
}

// The keys' lengths count the field byte.
uint64_t term_length(uint64_t key_length) { return key_length > 0 ? key_length - 1 : 0; }

}  // namespace

FuzzyTrieWalk::FuzzyTrieWalk(std::string_view word, int max_edits) : automaton_(word, max_edits) {
  if (automaton_.max_edits() != 2) return;
  std::vector<char32_t> code = code_points(word);
  if (code.size() >= kSplitMinLength) split_ = std::move(code);
}

Status FuzzyTrieWalk::walk(const TermTrie& forward, const TermTrie* reversed, std::string_view base,
                           std::vector<std::pair<std::string, uint64_t>>* out) const {
  if (reversed == nullptr || split_.empty()) return walk_all(forward, base, base, out);
  if (!reversed_) {
    const auto half = split_.begin() + static_cast<std::ptrdiff_t>(split_.size() / 2);
    first_half_.emplace(utf8_of(split_.begin(), half), kHalfEdits);
    const std::vector<char32_t> backwards(split_.rbegin(), split_.rend());
    const auto back_half = backwards.begin() + (split_.end() - half);
    last_half_reversed_.emplace(utf8_of(backwards.begin(), back_half), kHalfEdits);
    reversed_.emplace(utf8_of(backwards.begin(), backwards.end()), automaton_.max_edits());
  }
  std::vector<std::pair<std::string, uint64_t>> found;
  Status status = walk_half(forward, base, automaton_, *first_half_, false, &found);
  if (status.is_ok()) {
    status = walk_half(*reversed, base, *reversed_, *last_half_reversed_, true, &found);
  }
  // The terms that are not valid UTF-8, kept apart in the reversed trie.
  const std::string invalid = std::string(base) + kInvalidReversedMark;
  if (status.is_ok()) status = walk_all(*reversed, invalid, invalid, &found);
  if (!status.is_ok()) return status;
  // A term with both a prefix and a suffix near the halves is found twice.
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  for (auto& term : found) out->push_back(std::move(term));
  return Status::ok();
}

Status FuzzyTrieWalk::walk_all(const TermTrie& trie, std::string_view prefix, std::string_view base,
                               std::vector<std::pair<std::string, uint64_t>>* out) const {
  using State = LevenshteinAutomaton::ByteState;
  const LevenshteinAutomaton& a = automaton_;
  return trie.walk(
      prefix, State{}, [&](State* s, uint8_t b) { return a.step_byte(s, b); },
      [&](std::string_view key, const State& s, uint32_t df) {
        if (a.end_distance(s)) out->emplace_back(key.substr(base.size()), df);
      },
      [&](const State& s) { return a.live_first_bytes(s); },
      [&](const State& s, uint64_t shortest, uint64_t longest) {
        return a.may_reach(s, term_length(shortest), term_length(longest));
      });
}

Status FuzzyTrieWalk::walk_half(const TermTrie& trie, std::string_view base,
                                const LevenshteinAutomaton& word, const LevenshteinAutomaton& half,
                                bool reversed,
                                std::vector<std::pair<std::string, uint64_t>>* out) const {
  struct State {
    LevenshteinAutomaton::ByteState word;
    LevenshteinAutomaton::ByteState half;
    bool near = false;  // Some prefix read is within the half's edits.
  };
  State start;
  start.near = half.end_distance(start.half).has_value();
  std::string key;
  return trie.walk(
      base, start,
      [&](State* s, uint8_t b) {
        // Reversed keys of valid UTF-8 never hold the mark of the others.
        if (reversed && static_cast<char>(b) == kInvalidReversedMark) return false;
        // The half, within fewer edits, usually dies first.
        if (!s->near) {
          const uint32_t read = s->half.read;
          if (!half.step_byte(&s->half, b)) return false;
          if (s->half.read != read && s->half.pending_size == 0) {
            s->near = half.end_distance(s->half).has_value();
          }
        }
        return word.step_byte(&s->word, b);
      },
      [&](std::string_view found, const State& s, uint32_t df) {
        if (!s.near || !word.end_distance(s.word)) return;
        if (!reversed) {
          out->emplace_back(found.substr(base.size()), df);
          return;
        }
        key = reversed_key(found);
        out->emplace_back(std::string_view(key).substr(base.size()), df);
      },
      [&](const State& s) -> const bool* {
        // The half's letters are some of the word's: its table, when it has
        // one, allows fewer bytes.
        const bool* only = s.near ? nullptr : half.live_first_bytes(s.half);
        if (only == nullptr) only = word.live_first_bytes(s.word);
        return only;
      },
      [&](const State& s, uint64_t shortest, uint64_t longest) {
        return word.may_reach(s.word, term_length(shortest), term_length(longest));
      });
}

}  // namespace scry
