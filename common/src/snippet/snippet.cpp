#include "scry/snippet/snippet.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <unordered_map>
#include <utility>

#include "scry/util/utf8.h"
#include "snippet/sentences.h"

namespace scry {
namespace {

using sentences::gap_ends_sentence;
using sentences::is_blank;
using sentences::lead_in;
using sentences::lead_out;

// How many tokens the passage may reach beyond the chosen window on either
// side to start or end at a sentence boundary.
constexpr size_t kSentenceSlack = 8;
// Windows longer than any analyzable text (analyze() takes < 4 GiB).
constexpr size_t kMaxWindowTokens = size_t{1} << 32;

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
constexpr int32_t kNoTerm = -1;
constexpr uint32_t kNoItem = UINT32_MAX;

// ---------------------------------------------------------------------------
// The query

// The query as the scan needs it. Every distinct term of the query's terms
// and phrases gets an id; every distinct query term and phrase is an item,
// whose weight is turned into an integer (proportional to it) so that window
// values add and subtract exactly.
class QueryIndex {
 public:
  struct Phrase {
    std::vector<int32_t> ids;
    uint32_t item;
  };

  explicit QueryIndex(const SnippetQuery& query) {
    std::vector<double> weights;
    const auto add_term = [&](const std::string& term, double weight) {
      const int32_t id = intern(term);
      uint32_t& item = term_items_[static_cast<size_t>(id)];
      if (item == kNoItem) {
        item = static_cast<uint32_t>(weights.size());
        weights.push_back(weight);
      } else {
        weights[item] = std::max(weights[item], weight);
      }
    };
    for (const SnippetQuery::Term& term : query.terms) {
      if (!term.term.empty()) add_term(term.term, sanitize(term.weight));
    }
    std::map<std::vector<int32_t>, size_t> seen;
    for (const SnippetQuery::Phrase& phrase : query.phrases) {
      if (phrase.terms.empty()) continue;
      if (phrase.terms.size() == 1) {
        add_term(phrase.terms[0], sanitize(phrase.weight));
        continue;
      }
      std::vector<int32_t> ids;
      for (const std::string& term : phrase.terms) ids.push_back(intern(term));
      const auto [it, inserted] = seen.emplace(ids, phrases_.size());
      if (!inserted) {
        const uint32_t item = phrases_[it->second].item;
        weights[item] = std::max(weights[item], sanitize(phrase.weight));
        continue;
      }
      const auto index = static_cast<uint32_t>(phrases_.size());
      starting_[static_cast<size_t>(ids.front())].push_back(index);
      ending_[static_cast<size_t>(ids.back())].push_back(index);
      longest_phrase_ = std::max(longest_phrase_, ids.size());
      phrases_.push_back({std::move(ids), static_cast<uint32_t>(weights.size())});
      weights.push_back(sanitize(phrase.weight));
    }
    double total = 0;
    for (double weight : weights) total += weight;
    const double scale = total > 0 ? std::ldexp(1.0, 62) / total : 0;
    for (double weight : weights) {
      values_.push_back(static_cast<uint64_t>(std::llround(weight * scale)));
    }
  }

  // The id of `term`, or kNoTerm when no query term or phrase holds it.
  int32_t find(std::string_view term) const {
    const auto it = ids_.find(term);
    return it == ids_.end() ? kNoTerm : it->second;
  }
  // The item of the query term with this id, or kNoItem (also for kNoTerm).
  uint32_t term_item(int32_t id) const {
    return id == kNoTerm ? kNoItem : term_items_[static_cast<size_t>(id)];
  }
  // Indexes into phrases() of the phrases whose first (last) term is `id`.
  const std::vector<uint32_t>& starting(int32_t id) const {
    return id == kNoTerm ? none_ : starting_[static_cast<size_t>(id)];
  }
  const std::vector<uint32_t>& ending(int32_t id) const {
    return id == kNoTerm ? none_ : ending_[static_cast<size_t>(id)];
  }
  const std::vector<Phrase>& phrases() const { return phrases_; }
  size_t longest_phrase() const { return longest_phrase_; }
  size_t item_count() const { return values_.size(); }
  uint64_t value(uint32_t item) const { return values_[item]; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // Weights that are not finite and positive count as 0.
  static double sanitize(double weight) { return std::isfinite(weight) && weight > 0 ? weight : 0; }

  int32_t intern(const std::string& term) {
    const auto [it, inserted] = ids_.emplace(term, static_cast<int32_t>(term_items_.size()));
    if (inserted) {
      term_items_.push_back(kNoItem);
      starting_.emplace_back();
      ending_.emplace_back();
    }
    return it->second;
  }

  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ids_;
  std::vector<uint32_t> term_items_;             // By id.
  std::vector<std::vector<uint32_t>> starting_;  // By id.
  std::vector<std::vector<uint32_t>> ending_;    // By id.
  std::vector<Phrase> phrases_;
  std::vector<uint64_t> values_;  // By item.
  size_t longest_phrase_ = 0;
  std::vector<uint32_t> none_;
};

// ---------------------------------------------------------------------------
// The scan

// One token of the text, as the snippet needs it.
struct TokenRecord {
  uint32_t gap_start;  // Byte offset of the gap before it (the previous token's end, or 0).
  uint32_t start;      // Byte offsets of the token.
  uint32_t end;
  int32_t term;         // The QueryIndex id of its term, or kNoTerm.
  bool sentence_start;  // It is the first token, or a sentence ends in the gap before it.
};

// True when the phrase's terms are the terms of the tokens from `first` on;
// `at(i)` returns the record of token i.
template <typename At>
bool phrase_matches(const QueryIndex::Phrase& phrase, size_t first, const At& at) {
  for (size_t k = 0; k < phrase.ids.size(); ++k) {
    if (at(first + k).term != phrase.ids[k]) return false;
  }
  return true;
}

// Slides a window of `window_tokens` tokens over the token stream and keeps
// the best one (the earliest of the equally good), in one pass and
// O(window) memory: the last tokens are kept in a ring buffer, and the
// tokens around the best window that the passage may use are copied out
// before the ring overwrites them. The ring is twice that span, so each
// copy is paid for by as many new tokens: the scan is linear in the number
// of tokens.
class WindowScan {
 public:
  WindowScan(const QueryIndex& query, size_t window_tokens)
      : query_(query),
        window_(window_tokens),
        capacity_(2 * (2 * window_tokens + 2 * kSentenceSlack + 2) + query.longest_phrase()),
        counts_(query.item_count(), 0) {}

  void add(const TokenRecord& record) {
    const size_t index = size_;
    if (pending_ && index >= capacity_ && capture_first_ <= index - capacity_) capture();
    if (ring_.size() < capacity_) {
      ring_.push_back(record);
    } else {
      ring_[index % capacity_] = record;
    }
    ++size_;

    const auto at = [this](size_t i) -> const TokenRecord& { return ring_[i % capacity_]; };
    const uint32_t item = query_.term_item(record.term);
    if (item != kNoItem) enter(item, 1);
    for (uint32_t p : query_.ending(record.term)) {
      const QueryIndex::Phrase& phrase = query_.phrases()[p];
      const size_t length = phrase.ids.size();
      if (length <= window_ && length <= size_ && phrase_matches(phrase, size_ - length, at)) {
        enter(phrase.item, length);
      }
    }
    if (size_ > window_) {
      const size_t leaving = size_ - 1 - window_;
      const int32_t term = at(leaving).term;
      const uint32_t leaving_item = query_.term_item(term);
      if (leaving_item != kNoItem) leave(leaving_item, 1);
      for (uint32_t p : query_.starting(term)) {
        const QueryIndex::Phrase& phrase = query_.phrases()[p];
        if (phrase.ids.size() <= window_ && phrase_matches(phrase, leaving, at)) {
          leave(phrase.item, phrase.ids.size());
        }
      }
    }
    if (size_ >= window_) consider(size_ - window_);
  }

  // Ends the stream: a text shorter than the window is its only window.
  void finish() {
    if (size_ == 0) return;
    if (size_ < window_) consider(0);
    if (pending_) capture();
  }

  size_t size() const { return size_; }
  size_t best_first() const { return best_first_; }
  size_t best_last() const { return best_last_; }
  // Tokens [captured_first(), captured_first() + captured().size()): the best
  // window with up to kSentenceSlack tokens before it and a window and
  // kSentenceSlack + 1 tokens after it. Valid after finish().
  size_t captured_first() const { return captured_first_; }
  const std::vector<TokenRecord>& captured() const { return captured_; }

 private:
  void enter(uint32_t item, size_t tokens) {
    if (counts_[item]++ == 0) value_ += query_.value(item);
    matched_tokens_ += tokens;
  }
  void leave(uint32_t item, size_t tokens) {
    if (--counts_[item] == 0) value_ -= query_.value(item);
    matched_tokens_ -= tokens;
  }

  // The window [first, size_) becomes the best when it is strictly better.
  void consider(size_t first) {
    if (has_best_ && (value_ < best_value_ ||
                      (value_ == best_value_ && matched_tokens_ <= best_matched_tokens_))) {
      return;
    }
    has_best_ = true;
    best_first_ = first;
    best_last_ = size_ - 1;
    best_value_ = value_;
    best_matched_tokens_ = matched_tokens_;
    pending_ = true;
    capture_first_ = first - std::min(first, kSentenceSlack);
  }

  void capture() {
    const size_t last = std::min(size_ - 1, best_last_ + window_ + kSentenceSlack + 1);
    captured_.clear();
    for (size_t i = capture_first_; i <= last; ++i) captured_.push_back(ring_[i % capacity_]);
    captured_first_ = capture_first_;
    pending_ = false;
  }

  const QueryIndex& query_;
  const size_t window_;
  const size_t capacity_;
  std::vector<TokenRecord> ring_;
  size_t size_ = 0;  // Tokens seen.

  std::vector<uint32_t> counts_;  // Occurrences of each item in the window.
  uint64_t value_ = 0;            // Sum of the values of the items present.
  size_t matched_tokens_ = 0;

  bool has_best_ = false;
  size_t best_first_ = 0;
  size_t best_last_ = 0;
  uint64_t best_value_ = 0;
  size_t best_matched_tokens_ = 0;
  bool pending_ = false;  // The best window's tokens are still to be captured.
  size_t capture_first_ = 0;

  std::vector<TokenRecord> captured_;
  size_t captured_first_ = 0;
};

// ---------------------------------------------------------------------------
// The passage

struct Match {
  size_t first;  // Token indices, inclusive.
  size_t last;
};

// Copies text[begin, end) into `out`, collapsing each run of blanks to one
// space (none at either end) and replacing invalid bytes with U+FFFD, and
// returns the byte ranges of `out` that the source ranges `spans` (sorted,
// disjoint, not adjacent, within [begin, end), starting and ending at code
// point boundaries) became.
std::vector<std::pair<uint32_t, uint32_t>> copy_passage(
    std::string_view text, size_t begin, size_t end,
    const std::vector<std::pair<size_t, size_t>>& spans, std::string* out) {
  std::vector<std::pair<uint32_t, uint32_t>> mapped;
  const auto here = [out] { return static_cast<uint32_t>(out->size()); };
  size_t next = 0;
  bool open = false;
  bool pending_space = false;
  for (size_t pos = begin; pos < end;) {
    if (open && spans[next].second <= pos) {
      mapped.back().second = here();
      open = false;
      ++next;
    }
    const Utf8Char c = decode_utf8(text, pos);
    if (is_blank(c.code)) {
      pending_space = true;
    } else {
      if (pending_space) out->push_back(' ');
      pending_space = false;
      if (!open && next < spans.size() && spans[next].first <= pos) {
        mapped.emplace_back(here(), here());
        open = true;
      }
      if (c.code == kReplacementChar && c.length == 1) {
        out->append(kReplacementUtf8);
      } else {
        out->append(text.substr(pos, c.length));
      }
    }
    pos += c.length;
  }
  if (open) mapped.back().second = here();
  return mapped;
}

Snippet build_snippet(std::string_view text, const QueryIndex& query, const WindowScan& scan,
                      size_t window_tokens) {
  const size_t n = scan.size();
  const size_t first = scan.captured_first();
  const std::vector<TokenRecord>& tokens = scan.captured();
  const size_t captured_last = first + tokens.size() - 1;
  const auto at = [&](size_t i) -> const TokenRecord& { return tokens[i - first]; };
  const auto ends_sentence = [&](size_t i) { return i + 1 == n || at(i + 1).sentence_start; };

  // Every match among the captured tokens, by first token.
  std::vector<Match> matches;
  for (size_t i = first; i <= captured_last; ++i) {
    const int32_t term = at(i).term;
    if (query.term_item(term) != kNoItem) matches.push_back({i, i});
    for (uint32_t p : query.starting(term)) {
      const QueryIndex::Phrase& phrase = query.phrases()[p];
      const size_t last = i + phrase.ids.size() - 1;
      if (last <= captured_last && phrase_matches(phrase, i, at)) matches.push_back({i, last});
    }
  }

  // Every window holding the tokens from the best window's first match to
  // its last is as good. Take the one starting at the sentence of the first
  // match, else the one with the matches in its middle.
  const size_t w = window_tokens;
  const auto in_window = [w](const Match& m, size_t from, size_t to) {
    return m.first >= from && m.last <= to && m.last - m.first < w;
  };
  size_t s = scan.best_first();
  size_t e = scan.best_last();
  size_t first_match = SIZE_MAX;
  size_t last_match = 0;
  for (const Match& m : matches) {
    if (in_window(m, s, e)) {
      first_match = std::min(first_match, m.first);
      last_match = std::max(last_match, m.last);
    }
  }
  if (first_match != SIZE_MAX && n > w) {
    const size_t latest = std::min(first_match, n - w);
    size_t moved = latest + 1;
    for (size_t i = latest + 1; i-- > s;) {
      if (at(i).sentence_start) {
        moved = i;
        break;
      }
    }
    if (moved > latest) {
      const size_t centre_offset = (w - (last_match - first_match + 1)) / 2;
      moved = std::clamp(first_match - std::min(first_match, centre_offset), s, latest);
    }
    s = moved;
    e = s + w - 1;
  }

  // Start at a sentence start up to kSentenceSlack tokens before the window,
  // else move forward to one, but never past the window's first match.
  size_t a = s;
  bool found = false;
  for (size_t i = s + 1; i-- > s - std::min(s, kSentenceSlack);) {
    if (at(i).sentence_start) {
      a = i;
      found = true;
      break;
    }
  }
  if (!found) {
    size_t limit = std::min(e, s + kSentenceSlack);
    for (const Match& m : matches) {
      if (in_window(m, s, e)) limit = std::min(limit, m.first);
    }
    for (size_t i = s + 1; i <= limit; ++i) {
      if (at(i).sentence_start) {
        a = i;
        break;
      }
    }
  }
  // End at a sentence end up to kSentenceSlack tokens after the window,
  // else back at one, but never before the window's last match.
  size_t b = e;
  found = false;
  for (size_t i = e; i <= std::min(n - 1, e + kSentenceSlack); ++i) {
    if (ends_sentence(i)) {
      b = i;
      found = true;
      break;
    }
  }
  if (!found) {
    size_t limit = std::max(a, e - std::min(e, kSentenceSlack));
    for (const Match& m : matches) {
      if (in_window(m, s, e)) limit = std::max(limit, m.last);
    }
    for (size_t i = e; i-- > limit;) {
      if (ends_sentence(i)) {
        b = i;
        break;
      }
    }
  }

  const size_t begin =
      at(a).sentence_start ? lead_in(text, at(a).gap_start, at(a).start) : at(a).start;
  const size_t end =
      ends_sentence(b)
          ? lead_out(text, at(b).end, b + 1 < n ? at(b + 1).start : text.size(), b + 1 == n)
          : at(b).end;

  std::vector<std::pair<size_t, size_t>> spans;
  for (const Match& m : matches) {
    if (m.first >= a && m.last <= b) spans.emplace_back(at(m.first).start, at(m.last).end);
  }
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<size_t, size_t>> merged;
  for (const auto& span : spans) {
    if (!merged.empty() && span.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, span.second);
    } else {
      merged.push_back(span);
    }
  }

  Snippet snippet;
  if (a > 0) {
    snippet.text.append(kEllipsis);
    snippet.text.push_back(' ');
  }
  for (const auto& range : copy_passage(text, begin, end, merged, &snippet.text)) {
    if (!snippet.highlights.empty() && range.first <= snippet.highlights.back().second) {
      snippet.highlights.back().second = range.second;
    } else {
      snippet.highlights.push_back(range);
    }
  }
  if (b + 1 < n) {
    snippet.text.push_back(' ');
    snippet.text.append(kEllipsis);
  }
  return snippet;
}

}  // namespace

Snippet make_snippet(Analyzer* analyzer, std::string_view text, const SnippetQuery& query,
                     size_t window_tokens) {
  const size_t window = std::clamp<size_t>(window_tokens, 1, kMaxWindowTokens);
  const QueryIndex index(query);
  WindowScan scan(index, window);
  uint32_t previous_end = 0;
  bool first = true;
  analyzer->analyze(text, [&](const Token& token) {
    const bool sentence_start = first || gap_ends_sentence(text, previous_end, token.start);
    scan.add({previous_end, token.start, token.end, index.find(token.term), sentence_start});
    previous_end = token.end;
    first = false;
  });
  scan.finish();
  if (scan.size() == 0) return {};
  return build_snippet(text, index, scan, window);
}

std::string render(const Snippet& snippet, Highlight mode) {
  std::string_view open;
  std::string_view close;
  switch (mode) {
    case Highlight::kAnsi:
      open = "\x1b[1;31m";
      close = "\x1b[0m";
      break;
    case Highlight::kMarkers:
      open = "**";
      close = "**";
      break;
    case Highlight::kNone:
      return snippet.text;
  }
  const std::string_view text = snippet.text;
  std::string out;
  out.reserve(text.size() + snippet.highlights.size() * (open.size() + close.size()));
  size_t pos = 0;
  for (const auto& [start, end] : snippet.highlights) {
    if (start < pos || start >= end || end > text.size()) continue;
    out.append(text.substr(pos, start - pos));
    out.append(open);
    out.append(text.substr(start, end - start));
    out.append(close);
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace scry
