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
// Within one edit, a word of three code points splits into an exact
// prefix and suffix of one each.
constexpr size_t kExactSplitMinLength = 3;

template <class It>
std::string utf8_of(It begin, It end) {
  std::string out;
  for (auto it = begin; it != end; ++it) append_utf8(*it, &out);
  return out;
}

// The keys' lengths count the field byte.
uint64_t term_length(uint64_t key_length) { return key_length > 0 ? key_length - 1 : 0; }

}  // namespace

FuzzyTrieWalk::FuzzyTrieWalk(std::string_view word, int max_edits) : automaton_(word, max_edits) {
  const int edits = automaton_.max_edits();
  std::vector<char32_t> code = code_points(word);
  if (edits > 0 && code.size() >= (edits == 2 ? kSplitMinLength : kExactSplitMinLength)) {
    split_ = std::move(code);
  }
}

Status FuzzyTrieWalk::walk(const TermTrie& forward, const TermTrie* reversed, std::string_view base,
                           std::vector<std::pair<std::string, uint64_t>>* out) const {
  if (reversed == nullptr || split_.empty()) {
    return walk_exact(forward, base, "", automaton_, false, out);
  }
  const bool two = automaton_.max_edits() == 2;
  const size_t m = split_.size();
  // The boundary b (the longer half first): for two edits, the first half
  // is [0, b) and the exact suffix [b + 1, m); for one, the exact prefix
  // [0, b - 1) and the exact suffix [b, m).
  const size_t b = (m + 1) / 2;
  const auto at = [&](size_t i) { return split_.begin() + static_cast<std::ptrdiff_t>(i); };
  if (!reversed_) {
    reversed_.emplace(utf8_of(split_.rbegin(), split_.rend()), automaton_.max_edits());
    if (two) first_half_.emplace(utf8_of(split_.begin(), at(b)), kHalfEdits);
  }
  std::vector<std::pair<std::string, uint64_t>> found;
  Status status = two ? walk_half(forward, base, automaton_, *first_half_, &found)
                      : walk_exact(forward, base, utf8_of(split_.begin(), at(b - 1)), automaton_,
                                   false, &found);
  if (status.is_ok()) {
    const size_t suffix = two ? b + 1 : b;
    status = walk_exact(
        *reversed, base,
        utf8_of(split_.rbegin(), split_.rbegin() + static_cast<std::ptrdiff_t>(m - suffix)),
        *reversed_, true, &found);
  }
  // The terms that are not valid UTF-8, kept apart in the reversed trie.
  const std::string invalid = std::string(base) + kInvalidReversedMark;
  if (status.is_ok()) status = walk_exact(*reversed, invalid, "", automaton_, false, &found);
  if (!status.is_ok()) return status;
  // A term found by both walks is found twice.
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  for (auto& term : found) out->push_back(std::move(term));
  return Status::ok();
}

Status FuzzyTrieWalk::walk_exact(const TermTrie& trie, std::string_view base,
                                 std::string_view exact, const LevenshteinAutomaton& a,
                                 bool reversed,
                                 std::vector<std::pair<std::string, uint64_t>>* out) const {
  using State = LevenshteinAutomaton::ByteState;
  State start;
  for (char c : exact) {
    if (!a.step_byte(&start, static_cast<uint8_t>(c))) return Status::ok();
  }
  const std::string prefix = std::string(base).append(exact);
  std::string key;
  return trie.walk(
      prefix, start, [&](State* s, uint8_t b) { return a.step_byte(s, b); },
      [&](std::string_view found, const State& s, uint32_t df) {
        if (!a.end_distance(s)) return;
        if (!reversed) {
          out->emplace_back(found.substr(base.size()), df);
          return;
        }
        key = reversed_key(found);
        out->emplace_back(std::string_view(key).substr(base.size()), df);
      },
      [&](const State& s) { return a.live_first_bytes(s); },
      [&](const State& s, uint64_t shortest, uint64_t longest) {
        return a.may_reach(s, term_length(shortest), term_length(longest));
      });
}

Status FuzzyTrieWalk::walk_half(const TermTrie& trie, std::string_view base,
                                const LevenshteinAutomaton& word, const LevenshteinAutomaton& half,
                                std::vector<std::pair<std::string, uint64_t>>* out) const {
  struct State {
    LevenshteinAutomaton::ByteState word;
    LevenshteinAutomaton::ByteState half;
    bool near = false;  // Some prefix read is within the half's edits.
  };
  State start;
  start.near = half.end_distance(start.half).has_value();
  return trie.walk(
      base, start,
      [&](State* s, uint8_t b) {
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
        if (s.near && word.end_distance(s.word)) out->emplace_back(found.substr(base.size()), df);
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
