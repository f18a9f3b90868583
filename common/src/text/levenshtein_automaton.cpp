#include "scry/text/levenshtein_automaton.h"

#include <xxhash.h>

#include <algorithm>

#include "scry/util/utf8.h"

namespace scry {

LevenshteinAutomaton::LevenshteinAutomaton(std::string_view word, int max_edits,
                                           bool transpositions)
    : word_(code_points(word)),
      max_edits_(std::clamp(max_edits, 0, kMaxFuzzyEdits)),
      transpositions_(transpositions) {
  letters_ = word_;
  std::sort(letters_.begin(), letters_.end());
  letters_.erase(std::unique(letters_.begin(), letters_.end()), letters_.end());
  ascii_class_.assign(128, 0);
  for (size_t k = 0; k < letters_.size(); ++k) {
    if (letters_[k] < 128) ascii_class_[letters_[k]] = static_cast<uint32_t>(k + 1);
  }
  for (char32_t c : word_) word_class_.push_back(class_of(c));
  for (char32_t c : letters_) {
    if (c < 0x80 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) continue;
    std::string bytes;
    append_utf8(c, &bytes);
    lead_in_word_[static_cast<uint8_t>(bytes[0])] = true;
  }
  first_bytes_ = lead_in_word_;
  for (char32_t c : letters_) {
    if (c < 0x80) first_bytes_[c] = true;
  }
  replacement_class_ = class_of(kReplacementChar);
  const size_t m = word_.size();
  width_ = 2 * (m + 1);
  const auto cap = static_cast<uint8_t>(max_edits_ + 1);
  ids_.assign(kInitialSlots, kNoState);
  std::string start(width_, static_cast<char>(cap));
  for (size_t j = 0; j <= m; ++j) start[j] = static_cast<char>(std::min<size_t>(j, cap));
  intern(start);
}

uint32_t LevenshteinAutomaton::class_of(char32_t c) const {
  if (c < 128) return ascii_class_[c];
  auto it = std::lower_bound(letters_.begin(), letters_.end(), c);
  if (it == letters_.end() || *it != c) return 0;
  return static_cast<uint32_t>(it - letters_.begin()) + 1;
}

int32_t LevenshteinAutomaton::intern(std::string_view cells) const {
  const auto cells_of = [&](int32_t id) {
    return std::string_view(
        reinterpret_cast<const char*>(cells_.data()) + static_cast<size_t>(id) * width_, width_);
  };
  const auto slot_of = [&](std::string_view key) {
    return static_cast<size_t>(XXH3_64bits(key.data(), key.size())) & (ids_.size() - 1);
  };
  size_t slot = slot_of(cells);
  for (; ids_[slot] != kNoState; slot = (slot + 1) & (ids_.size() - 1)) {
    if (cells_of(ids_[slot]) == cells) return ids_[slot];
  }
  const auto id = static_cast<int32_t>(reach_.size());
  cells_.insert(cells_.end(), cells.begin(), cells.end());
  next_.resize(next_.size() + letters_.size() + 1, kUnknown);
  reach_.push_back(reach_of(cells));
  ids_[slot] = id;
  if (2 * reach_.size() > ids_.size()) {
    // Half full: twice the slots, every state placed again.
    ids_.assign(2 * ids_.size(), kNoState);
    for (int32_t s = 0; s <= id; ++s) {
      size_t at = slot_of(cells_of(s));
      while (ids_[at] != kNoState) at = (at + 1) & (ids_.size() - 1);
      ids_[at] = s;
    }
  }
  return id;
}

std::pair<uint32_t, uint32_t> LevenshteinAutomaton::reach_of(std::string_view cells) const {
  // A term that ends after r more code points from row i: at least
  // row[j] + |(m - j) - r| edits through cell j, or, by a transposition
  // taking the next code point, swap[j] + |(m - j) - (r - 1)|.
  const auto m = static_cast<int64_t>(word_.size());
  int64_t lo = INT64_MAX;
  int64_t hi = -1;
  auto cover = [&](int64_t center, int slack) {
    lo = std::min(lo, std::max<int64_t>(center - slack, 0));
    hi = std::max(hi, center + slack);
  };
  for (int64_t j = 0; j <= m; ++j) {
    const int row = static_cast<uint8_t>(cells[static_cast<size_t>(j)]);
    if (row <= max_edits_) cover(m - j, max_edits_ - row);
    const int swap = static_cast<uint8_t>(cells[static_cast<size_t>(m + 1 + j)]);
    if (swap <= max_edits_) cover(m - j + 1, max_edits_ - swap);
  }
  // A live row has a cell within max_edits, so lo <= hi.
  return {static_cast<uint32_t>(lo), static_cast<uint32_t>(hi)};
}

int32_t LevenshteinAutomaton::step(int32_t state, uint32_t cls) const {
  const size_t slot = static_cast<size_t>(state) * (letters_.size() + 1) + cls;
  if (next_[slot] != kUnknown) return next_[slot];
  const size_t m = word_.size();
  const int cap = max_edits_ + 1;
  // The new state's cells are built in scratch_: cells_ is read before
  // intern() may grow it.
  const uint8_t* prev = cells_.data() + static_cast<size_t>(state) * width_;
  const uint8_t* swap = prev + m + 1;
  std::string& cells = scratch_;
  cells.assign(width_, static_cast<char>(cap));
  int best = std::min(prev[0] + 1, cap);
  cells[0] = static_cast<char>(best);
  int left = best;  // cells[j - 1]
  for (size_t j = 1; j <= m; ++j) {
    const bool same = word_class_[j - 1] == cls;
    int v = std::min({prev[j] + 1, left + 1, prev[j - 1] + (same ? 0 : 1)});
    if (transpositions_ && j >= 2 && word_class_[j - 2] == cls) v = std::min<int>(v, swap[j]);
    left = std::min(v, cap);
    cells[j] = static_cast<char>(left);
    best = std::min(best, v);
    // A swap of this code point with the next one, when the next is the
    // word's (j - 1)-th: from row i - 1 at j - 2, plus one.
    if (transpositions_ && j >= 2 && same) {
      cells[m + 1 + j] = static_cast<char>(std::min(prev[j - 2] + 1, cap));
    }
  }
  const int32_t to = best < cap ? intern(cells) : kDead;
  next_[slot] = to;
  return to;
}

std::optional<int> LevenshteinAutomaton::distance(std::string_view term) const {
  Matcher matcher(*this);
  return matcher.match(term).distance;
}

bool LevenshteinAutomaton::flush_pending(ByteState* s) const {
  for (uint8_t i = 0; i < s->pending_size; ++i) {
    s->state = next_state(s->state, replacement_class_);
    ++s->read;
    if (s->state == kDead) return false;
  }
  s->pending_size = 0;
  return true;
}

bool LevenshteinAutomaton::step_byte_slow(ByteState* s, uint8_t byte) const {
  if (s->pending_size > 0) {
    if ((byte & 0xC0) == 0x80) {
      s->pending[s->pending_size++] = byte;
      if (s->pending_size < s->pending_length) return true;
      // Complete: decoded as decode_utf8 does.
      char32_t code = s->pending[0] & (0x7Fu >> s->pending_length);
      for (uint8_t k = 1; k < s->pending_length; ++k) code = code << 6 | (s->pending[k] & 0x3Fu);
      const char32_t min = s->pending_length == 2 ? 0x80 : s->pending_length == 3 ? 0x800 : 0x10000;
      if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return flush_pending(s);  // Overlong, a surrogate or too big.
      }
      s->pending_size = 0;
      ++s->read;
      // No letter of the word starts with a lead byte outside lead_in_word_.
      s->state = next_state(s->state, lead_in_word_[s->pending[0]] ? class_of(code) : 0);
      return s->state != kDead;
    }
    // Not a continuation: the pending sequence was invalid, a U+FFFD a byte.
    if (!flush_pending(s)) return false;
  }
  if (byte < 0x80) {
    s->state = next_state(s->state, ascii_class_[byte]);
    ++s->read;
    return s->state != kDead;
  }
  const uint8_t length = (byte & 0xE0) == 0xC0   ? 2
                         : (byte & 0xF0) == 0xE0 ? 3
                         : (byte & 0xF8) == 0xF0 ? 4
                                                 : 0;
  if (length == 0) {
    s->state = next_state(s->state, replacement_class_);
    ++s->read;
    return s->state != kDead;
  }
  // A lead byte no letter of the word starts with: a valid code point it
  // begins steps as class 0, an invalid one as U+FFFD first, so when both
  // kill the state, every term continuing it is beyond max_edits, which
  // spares reading the rest of its bytes.
  if (!lead_in_word_[byte] && next_state(s->state, 0) == kDead &&
      next_state(s->state, replacement_class_) == kDead) {
    return false;
  }
  s->pending[0] = byte;
  s->pending_size = 1;
  s->pending_length = length;
  return true;
}

std::optional<int> LevenshteinAutomaton::end_distance_slow(const ByteState& s) const {
  ByteState end = s;
  if (!flush_pending(&end)) return std::nullopt;
  const int d = final_distance(end.state);
  if (d > max_edits_) return std::nullopt;
  return d;
}

LevenshteinAutomaton::Matcher::Matcher(const LevenshteinAutomaton& automaton) : a_(automaton) {
  states_.push_back(0);
}

std::optional<char32_t> LevenshteinAutomaton::Matcher::next_live_char(size_t i, char32_t c) const {
  constexpr char32_t kMax = 0x10FFFF;
  const int32_t state = states_[i];
  const std::vector<char32_t>& letters = a_.letters_;
  std::optional<char32_t> best;
  // Code points outside the word all step alike: the smallest one above c.
  if (c < kMax && a_.step(state, 0) != kDead) {
    char32_t x = c + 1;
    for (;;) {
      if (x >= 0xD800 && x <= 0xDFFF) x = 0xE000;  // Surrogates are not code points.
      if (!std::binary_search(letters.begin(), letters.end(), x)) break;
      ++x;
    }
    if (x <= kMax) best = x;
  }
  for (auto it = std::upper_bound(letters.begin(), letters.end(), c);
       it != letters.end() && (!best || *it < *best); ++it) {
    if (a_.step(state, static_cast<uint32_t>(it - letters.begin()) + 1) != kDead) return *it;
  }
  return best;
}

std::string LevenshteinAutomaton::Matcher::next_live(std::string_view term) {
  size_t depth = chars_.size();
  size_t start = depth == 0 ? 0 : ends_.back();
  const Utf8Char dead = decode_utf8(term, start);
  // An invalid byte does not sort as the U+FFFD it reads as: skip just the
  // prefix ending with it.
  if (dead.code == 0xFFFD && dead.length == 1) return prefix_successor(term.substr(0, start + 1));
  char32_t c = dead.code;
  for (;;) {
    if (auto x = next_live_char(depth, c)) {
      std::string out(term.substr(0, start));
      append_utf8(*x, &out);
      return out;
    }
    if (depth == 0) return {};
    // No code point after `c` here: move on from the one before it.
    --depth;
    c = chars_[depth];
    chars_.pop_back();
    ends_.pop_back();
    states_.pop_back();
    start = depth == 0 ? 0 : ends_.back();
  }
}

LevenshteinAutomaton::Matcher::Result LevenshteinAutomaton::Matcher::match(std::string_view term) {
  // Keep the code points wholly inside the bytes shared with the last term.
  const size_t limit = std::min(term.size(), term_.size());
  size_t shared = 0;
  while (shared < limit && term[shared] == term_[shared]) ++shared;
  size_t keep = 0;
  while (keep < ends_.size() && ends_[keep] <= shared) ++keep;
  chars_.resize(keep);
  ends_.resize(keep);
  states_.resize(keep + 1);
  term_.assign(term);
  Result result;
  // A kept state is live: a dead one ends the reading of its term.
  size_t pos = keep == 0 ? 0 : ends_.back();
  int32_t state = states_.back();
  while (pos < term.size()) {
    const auto byte = static_cast<unsigned char>(term[pos]);
    Utf8Char c{byte, 1};
    if (byte >= 0x80) c = decode_utf8(term, pos);
    pos += c.length;
    state = a_.step(state, a_.class_of(c.code));
    if (state == kDead) {
      // The dead code point is not kept, so that the next term, sharing
      // this prefix or not, is read from a live state.
      result.dead_prefix = pos;
      return result;
    }
    chars_.push_back(c.code);
    ends_.push_back(pos);
    states_.push_back(state);
  }
  const int d = a_.final_distance(state);
  if (d <= a_.max_edits_) result.distance = d;
  return result;
}

std::string prefix_successor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty() && static_cast<unsigned char>(out.back()) == 0xFF) out.pop_back();
  if (!out.empty()) out.back() = static_cast<char>(static_cast<unsigned char>(out.back()) + 1);
  return out;
}

}  // namespace scry
