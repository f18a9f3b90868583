#include "scry/search/fuzzy_trie_walk.h"

#include <algorithm>

#include "scry/format/term_dictionary.h"
#include "scry/util/utf8.h"

namespace scry {

namespace {

// The split needs halves of two code points at least: a half of one is
// within one edit of every prefix, and the walk of the keys would be the
// whole walk.
constexpr size_t kSplitMinLength = 4;
// Within one edit, a word of three code points splits into an exact
// prefix of one and a suffix of two.
constexpr size_t kExactSplitMinLength = 3;

// The boundary b of a word of m code points. For two edits the first half
// is [0, b): ceil(m / 2), and one code point more from six code points on
// (the walks below its near prefixes, which may still spend two edits, get
// narrower, and the prefixes one edit deeper cost little to list, while
// the exact suffixes lose one code point: on the 30 words of
// bench/e2e/fuzzy_words.txt, 4.7% fewer instructions a `~2` query). For
// one edit the exact prefix is [0, b) and the exact suffix [b, m), with b
// = floor(m / 2) (3.3% fewer than ceil(m / 2) a `~1` query).
size_t boundary(size_t m, bool two) { return two ? (m + 1) / 2 + (m >= 6 ? 1 : 0) : m / 2; }

template <class It>
std::string utf8_of(It begin, It end) {
  std::string out;
  for (auto it = begin; it != end; ++it) append_utf8(*it, &out);
  return out;
}

// The keys' lengths count the field byte.
uint64_t term_length(uint64_t key_length) { return key_length > 0 ? key_length - 1 : 0; }

// Calls f(bytes, place after them) for each code point of valid UTF-8 that
// some key of `trie` continues the bytes of `at` with and whose keys may
// have `shortest` to `longest` code points.
template <class F>
Status for_each_code_point(const TermTrie& trie, const TermTrie::Cursor& at, uint64_t shortest,
                           uint64_t longest, F f) {
  uint8_t bytes[4] = {};
  size_t size = 0;
  Status status = Status::ok();
  const auto from = [&](const auto& self, const TermTrie::Cursor& place) -> void {
    const Status read = trie.for_each_child(place, [&](uint8_t byte, const TermTrie::Cursor& next) {
      if (!status.is_ok()) return;
      const size_t length = utf8_sequence_length(size == 0 ? byte : bytes[0]);
      if (length == 0 || (size == 1 && !utf8_valid_second(bytes[0], byte)) ||
          (size > 1 && (byte & 0xC0) != 0x80) || !trie.may_hold_lengths(next, shortest, longest)) {
        return;
      }
      bytes[size++] = byte;
      if (size < length) {
        self(self, next);
      } else {
        f(std::string_view(reinterpret_cast<const char*>(bytes), size), next);
      }
      --size;
    });
    if (status.is_ok()) status = read;
  };
  from(from, at);
  return status;
}

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
  // For two edits, the exact suffixes are [b, m) and, after a swap across
  // the boundary, [b + 1, m).
  const size_t b = boundary(m, two);
  const auto at = [&](size_t i) { return split_.begin() + static_cast<std::ptrdiff_t>(i); };
  if (!reversed_) {
    reversed_.emplace(utf8_of(split_.rbegin(), split_.rend()), automaton_.max_edits());
  }
  std::vector<std::pair<std::string, uint64_t>> found;
  Status status = Status::ok();
  if (two) {
    // The keys below each prefix within one edit of the first half, but
    // those below another such prefix already.
    std::vector<NearPrefix> near;
    status = near_prefixes(forward, base, b, &near);
    std::sort(near.begin(), near.end(),
              [](const NearPrefix& x, const NearPrefix& y) { return x.bytes < y.bytes; });
    const std::string* below = nullptr;
    for (const NearPrefix& prefix : near) {
      if (!status.is_ok()) break;
      if (below != nullptr && prefix.bytes.starts_with(*below)) continue;
      below = &prefix.bytes;
      status = walk_from(forward, prefix.at, base, prefix.bytes, automaton_, false, &found);
    }
  } else {
    // The edit touches the last m - b code points alone, or it swaps code
    // points b - 1 and b.
    status = walk_exact(forward, base, utf8_of(split_.begin(), at(b)), automaton_, false, &found);
    if (status.is_ok() && split_[b - 1] != split_[b]) {
      std::string swapped = utf8_of(split_.begin(), at(b - 1));
      append_utf8(split_[b], &swapped);
      append_utf8(split_[b - 1], &swapped);
      status = walk_exact(forward, base, swapped, automaton_, false, &found);
    }
  }
  // The reversed word's first code points: the word's last `count`,
  // reversed.
  const auto last = [&](size_t count) {
    return utf8_of(split_.rbegin(), split_.rbegin() + static_cast<std::ptrdiff_t>(count));
  };
  // For two edits, the terms no prefix within one edit of the first half
  // starts: both edits touch the half and the term ends with the rest
  // exactly, or one edit touches the half's first b - 1 code points and
  // code points b - 1 and b are swapped, the term ending with them swapped
  // then the last m - b - 1.
  if (status.is_ok()) status = walk_exact(*reversed, base, last(m - b), *reversed_, true, &found);
  if (status.is_ok() && two && split_[b - 1] != split_[b]) {
    std::string swapped = last(m - b - 1);
    append_utf8(split_[b - 1], &swapped);
    append_utf8(split_[b], &swapped);
    status = walk_exact(*reversed, base, swapped, *reversed_, true, &found);
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
  TermTrie::Cursor at;
  SCRY_RETURN_IF_ERROR(trie.root(&at));
  for (std::string_view bytes : {base, exact}) {
    for (char byte : bytes) {
      bool found = false;
      SCRY_RETURN_IF_ERROR(trie.child(at, static_cast<uint8_t>(byte), &at, &found));
      if (!found) return Status::ok();
    }
  }
  return walk_from(trie, at, base, exact, a, reversed, out);
}

Status FuzzyTrieWalk::walk_from(const TermTrie& trie, const TermTrie::Cursor& at,
                                std::string_view base, std::string_view exact,
                                const LevenshteinAutomaton& a, bool reversed,
                                std::vector<std::pair<std::string, uint64_t>>* out) const {
  using State = LevenshteinAutomaton::ByteState;
  State start;
  for (char c : exact) {
    if (!a.step_byte(&start, static_cast<uint8_t>(c))) return Status::ok();
  }
  const std::string prefix = std::string(base).append(exact);
  std::string key;
  return trie.walk_below(
      at, prefix, start, [&](State* s, uint8_t b) { return a.step_byte(s, b); },
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

Status FuzzyTrieWalk::near_prefixes(const TermTrie& trie, std::string_view base, size_t b,
                                    std::vector<NearPrefix>* out) const {
  // piece[i]: code point i of the half; rest[i]: code points i to b.
  std::vector<std::string> piece(b);
  std::vector<std::string> rest(b + 2);
  for (size_t i = b; i-- > 0;) {
    append_utf8(split_[i], &piece[i]);
    rest[i] = piece[i] + rest[i + 1];
  }
  // A key within the word's edits has m - N to m + N code points, the
  // field byte besides.
  const size_t m = split_.size();
  const auto edits = static_cast<size_t>(automaton_.max_edits());
  const uint64_t shortest = 1 + (m > edits ? m - edits : 0);
  const uint64_t longest = 1 + m + edits;
  Status failed = Status::ok();
  // The place after `bytes` below `from`, when some key of those lengths
  // continues it.
  const auto down = [&](TermTrie::Cursor from, std::string_view bytes,
                        TermTrie::Cursor* to) -> bool {
    for (char byte : bytes) {
      bool found = false;
      const Status read = trie.child(from, static_cast<uint8_t>(byte), &from, &found);
      if (!read.is_ok()) failed = read;
      if (!read.is_ok() || !found || !trie.may_hold_lengths(from, shortest, longest)) return false;
    }
    *to = from;
    return true;
  };
  TermTrie::Cursor at;
  TermTrie::Cursor end;
  SCRY_RETURN_IF_ERROR(trie.root(&at));
  if (!down(at, base, &at)) return failed;
  // at: the place after the half's first i code points, `prefix`. Every
  // edit of the half's last code point but a swap with the one before
  // (its deletion, replacement, an insertion before or after it) and the
  // half itself continue the first b - 1 code points: they are the last
  // prefix found.
  std::string prefix;
  for (size_t i = 0; i + 1 < b; ++i) {
    // Code point i deleted; i and i + 1 swapped.
    if (down(at, rest[i + 1], &end)) out->push_back({prefix + rest[i + 1], end});
    if (split_[i] != split_[i + 1]) {
      const std::string swapped = piece[i + 1] + piece[i] + rest[i + 2];
      if (down(at, swapped, &end)) out->push_back({prefix + swapped, end});
    }
    // Code point i replaced by c, or c inserted before it (each prefix
    // read on only when the trie holds its next byte).
    const auto replaced = static_cast<uint8_t>(rest[i + 1][0]);
    const auto kept = static_cast<uint8_t>(rest[i][0]);
    SCRY_RETURN_IF_ERROR(for_each_code_point(
        trie, at, shortest, longest, [&](std::string_view c, const TermTrie::Cursor& after) {
          if (c != piece[i] && trie.may_continue(after, replaced) &&
              down(after, rest[i + 1], &end)) {
            out->push_back({prefix + std::string(c) + rest[i + 1], end});
          }
          if (trie.may_continue(after, kept) && down(after, rest[i], &end)) {
            out->push_back({prefix + std::string(c) + rest[i], end});
          }
        }));
    SCRY_RETURN_IF_ERROR(failed);
    if (!down(at, piece[i], &at)) return failed;
    prefix += piece[i];
  }
  out->push_back({prefix, at});
  return Status::ok();
}

}  // namespace scry
