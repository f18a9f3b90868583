#include "scry/text/levenshtein_automaton.h"

#include <algorithm>

#include "scry/util/utf8.h"

namespace scry {

LevenshteinAutomaton::LevenshteinAutomaton(std::string_view word, int max_edits,
                                           bool transpositions)
    : max_edits_(std::clamp(max_edits, 0, kMaxFuzzyEdits)), transpositions_(transpositions) {
  for (size_t i = 0; i < word.size();) {
    const Utf8Char c = decode_utf8(word, i);
    word_.push_back(c.code);
    i += c.length;
  }
  letters_ = word_;
  std::sort(letters_.begin(), letters_.end());
  letters_.erase(std::unique(letters_.begin(), letters_.end()), letters_.end());
}

std::optional<int> LevenshteinAutomaton::distance(std::string_view term) const {
  Matcher matcher(*this);
  return matcher.match(term).distance;
}

LevenshteinAutomaton::Matcher::Matcher(const LevenshteinAutomaton& automaton) : a_(automaton) {
  const size_t m = a_.word_.size();
  std::vector<uint8_t> first(m + 1);
  for (size_t j = 0; j <= m; ++j) {
    first[j] = static_cast<uint8_t>(std::min(j, static_cast<size_t>(a_.max_edits_) + 1));
  }
  rows_.push_back(std::move(first));
}

bool LevenshteinAutomaton::Matcher::step(size_t i, char32_t c, std::vector<uint8_t>* row) const {
  const std::vector<char32_t>& w = a_.word_;
  const size_t m = w.size();
  const int cap = a_.max_edits_ + 1;
  const std::vector<uint8_t>& prev = rows_[i];
  row->resize(m + 1);
  std::vector<uint8_t>& r = *row;
  int best = r[0] = static_cast<uint8_t>(std::min(prev[0] + 1, cap));
  for (size_t j = 1; j <= m; ++j) {
    int v = std::min({prev[j] + 1, r[j - 1] + 1, prev[j - 1] + (c == w[j - 1] ? 0 : 1)});
    if (a_.transpositions_ && i >= 1 && j >= 2 && c == w[j - 2] && chars_[i - 1] == w[j - 1]) {
      v = std::min(v, rows_[i - 1][j - 2] + 1);
    }
    r[j] = static_cast<uint8_t>(std::min(v, cap));
    best = std::min(best, v);
  }
  return best < cap;
}

bool LevenshteinAutomaton::Matcher::push(char32_t c) {
  std::vector<uint8_t> row;
  const bool live = step(rows_.size() - 1, c, &row);
  rows_.push_back(std::move(row));
  chars_.push_back(c);
  return live;
}

std::optional<char32_t> LevenshteinAutomaton::Matcher::next_live_char(size_t i, char32_t c) const {
  constexpr char32_t kMax = 0x10FFFF;
  std::vector<uint8_t> row;
  // Code points outside the word all step alike: U+0000 stands for them
  // unless the word holds it.
  const bool others_live =
      !std::binary_search(a_.letters_.begin(), a_.letters_.end(), 0) && step(i, 0, &row);
  for (char32_t x = c + 1; x <= kMax; ++x) {
    if (x >= 0xD800 && x <= 0xDFFF) x = 0xE000;  // Surrogates are not code points.
    const bool in_word = std::binary_search(a_.letters_.begin(), a_.letters_.end(), x);
    if (!in_word) {
      if (others_live) return x;
      // Only the word's code points can keep it alive: jump to the next.
      auto next = std::upper_bound(a_.letters_.begin(), a_.letters_.end(), x);
      if (next == a_.letters_.end()) return std::nullopt;
      x = *next;
    }
    if (step(i, x, &row)) return x;
  }
  return std::nullopt;
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
    rows_.pop_back();
    start = depth == 0 ? 0 : ends_.back();
  }
}

LevenshteinAutomaton::Matcher::Result LevenshteinAutomaton::Matcher::match(std::string_view term) {
  // Keep the code points wholly inside the bytes shared with the last term.
  size_t shared = 0;
  while (shared < term.size() && shared < term_.size() && term[shared] == term_[shared]) ++shared;
  size_t keep = 0;
  while (keep < ends_.size() && ends_[keep] <= shared) ++keep;
  chars_.resize(keep);
  ends_.resize(keep);
  rows_.resize(keep + 1);
  term_.assign(term);
  Result result;
  // A kept row is live: a dead one ends the reading of its term.
  size_t pos = keep == 0 ? 0 : ends_.back();
  while (pos < term.size()) {
    const Utf8Char c = decode_utf8(term, pos);
    pos += c.length;
    ends_.push_back(pos);
    if (!push(c.code)) {
      result.dead_prefix = pos;
      // Forget the dead row, so that the next term, sharing this prefix
      // or not, is read from a live state.
      rows_.pop_back();
      chars_.pop_back();
      ends_.pop_back();
      return result;
    }
  }
  const int d = rows_.back()[a_.word_.size()];
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
