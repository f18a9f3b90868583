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
    std::vector<uint32_t> offsets;  // Of each term from the first (0, increasing).
    uint32_t item;
    size_t span() const { return offsets.back() + 1; }
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
      std::vector<uint32_t> offsets = phrase_offsets(phrase);
      std::vector<int32_t> key = ids;
      for (uint32_t offset : offsets) key.push_back(static_cast<int32_t>(offset));
      const auto [it, inserted] = seen.emplace(std::move(key), phrases_.size());
      if (!inserted) {
        const uint32_t item = phrases_[it->second].item;
        weights[item] = std::max(weights[item], sanitize(phrase.weight));
        continue;
      }
      const auto index = static_cast<uint32_t>(phrases_.size());
      starting_[static_cast<size_t>(ids.front())].push_back(index);
      ending_[static_cast<size_t>(ids.back())].push_back(index);
      longest_phrase_ = std::max<size_t>(longest_phrase_, offsets.back() + 1);
      phrases_.push_back(
          {std::move(ids), std::move(offsets), static_cast<uint32_t>(weights.size())});
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
  // The distinct terms of the query's terms and phrases, by id.
  const std::vector<std::string>& terms() const { return terms_; }
  // The item of the query term with this id, or kNoItem (also for kNoTerm).
  uint32_t term_item(int32_t id) const {
    return id == kNoTerm ? kNoItem : term_items_[static_cast<size_t>(id)];
  }
  // Indexes into phrases() of the phrases whose first (last) term is `id`.
  // A phrase's span is its first term's position to its last's.
  const std::vector<uint32_t>& starting(int32_t id) const {
    return id == kNoTerm ? none_ : starting_[static_cast<size_t>(id)];
  }
  const std::vector<uint32_t>& ending(int32_t id) const {
    return id == kNoTerm ? none_ : ending_[static_cast<size_t>(id)];
  }
  const std::vector<Phrase>& phrases() const { return phrases_; }
  size_t longest_phrase() const { return longest_phrase_; }  // The longest span.
  size_t item_count() const { return values_.size(); }
  uint64_t value(uint32_t item) const { return values_[item]; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // The phrase's offsets: as given when they are valid (one a term, the
  // first 0, increasing), else consecutive.
  static std::vector<uint32_t> phrase_offsets(const SnippetQuery::Phrase& phrase) {
    const std::vector<uint32_t>& given = phrase.offsets;
    bool valid = given.size() == phrase.terms.size() && given.front() == 0;
    for (size_t k = 1; valid && k < given.size(); ++k) valid = given[k] > given[k - 1];
    if (valid) return given;
    std::vector<uint32_t> consecutive(phrase.terms.size());
    for (size_t k = 0; k < consecutive.size(); ++k) consecutive[k] = static_cast<uint32_t>(k);
    return consecutive;
  }

  // Weights that are not finite and positive count as 0.
  static double sanitize(double weight) { return std::isfinite(weight) && weight > 0 ? weight : 0; }

  int32_t intern(const std::string& term) {
    const auto [it, inserted] = ids_.emplace(term, static_cast<int32_t>(term_items_.size()));
    if (inserted) {
      terms_.push_back(term);
      term_items_.push_back(kNoItem);
      starting_.emplace_back();
      ending_.emplace_back();
    }
    return it->second;
  }

  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ids_;
  std::vector<std::string> terms_;               // By id.
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

// True when the phrase's terms are the terms of the tokens at its offsets
// from `first`; `at(i)` returns the record of token i.
template <typename At>
bool phrase_matches(const QueryIndex::Phrase& phrase, size_t first, const At& at) {
  for (size_t k = 0; k < phrase.ids.size(); ++k) {
    if (at(first + phrase.offsets[k]).term != phrase.ids[k]) return false;
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
      const size_t span = phrase.span();
      if (span <= window_ && span <= size_ && phrase_matches(phrase, size_ - span, at)) {
        enter(phrase.item, phrase.ids.size());
      }
    }
    if (size_ > window_) {
      const size_t leaving = size_ - 1 - window_;
      const int32_t term = at(leaving).term;
      const uint32_t leaving_item = query_.term_item(term);
      if (leaving_item != kNoItem) leave(leaving_item, 1);
      for (uint32_t p : query_.starting(term)) {
        const QueryIndex::Phrase& phrase = query_.phrases()[p];
        if (phrase.span() <= window_ && phrase_matches(phrase, leaving, at)) {
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

// The chosen window and the tokens around it that the passage may use.
struct Window {
  size_t n;      // Tokens in the text.
  size_t first;  // The best window's first and last tokens.
  size_t last;
  // Tokens [captured_first, captured_first + captured.size()): the window
  // with up to kSentenceSlack tokens before it and a window and
  // kSentenceSlack + 1 tokens after it (as far as the text goes).
  size_t captured_first;
  const std::vector<TokenRecord>* captured;
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
    const auto byte = static_cast<unsigned char>(text[pos]);
    const Utf8Char c = byte > 0x20 && byte < 0x7F ? Utf8Char{byte, 1} : decode_utf8(text, pos);
    if (is_blank(c.code)) {
      pending_space = true;
    } else {
      if (pending_space) out->push_back(' ');
      pending_space = false;
      if (!open && next < spans.size() && spans[next].first <= pos) {
        mapped.emplace_back(here(), here());
        open = true;
      }
      if (c.length == 1 && c.code < 0x80) {
        // A run of printable ASCII up to the next span boundary, at once.
        size_t limit = end;
        if (next < spans.size())
          limit = std::min(limit, open ? spans[next].second : spans[next].first);
        size_t run = pos + 1;
        while (run<limit&& static_cast<unsigned char>(text[run])> 0x20 &&
               static_cast<unsigned char>(text[run]) < 0x7F) {
          ++run;
        }
        out->append(text.data() + pos, run - pos);
        pos = run;
        continue;
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

// The snippet of `window` over `text` (the captured tokens' offsets point
// into it; when they reach the text's last token, so does `text`).
Snippet build_snippet(std::string_view text, const QueryIndex& query, const Window& window,
                      size_t window_tokens) {
  const size_t n = window.n;
  const size_t first = window.captured_first;
  const std::vector<TokenRecord>& tokens = *window.captured;
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
      const size_t last = i + phrase.span() - 1;
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
  size_t s = window.first;
  size_t e = window.last;
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
  snippet.text.reserve(end - begin + 2 * (kEllipsis.size() + 1));
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

// ---------------------------------------------------------------------------
// The window from the index's positions

// A match of a query item in the body, from the positions of its terms.
struct ItemMatch {
  uint32_t first;  // Positions, inclusive.
  uint32_t last;
  uint32_t item;
  uint32_t tokens;  // What it adds to the window's matched tokens.
};

// Every match of the query's terms and phrases (those that fit a window),
// given each term's sorted positions by id.
std::vector<ItemMatch> item_matches(const QueryIndex& query,
                                    const std::vector<std::vector<uint32_t>>& positions,
                                    size_t window_tokens) {
  std::vector<ItemMatch> matches;
  for (size_t id = 0; id < positions.size(); ++id) {
    const uint32_t item = query.term_item(static_cast<int32_t>(id));
    if (item == kNoItem) continue;
    for (uint32_t p : positions[id]) matches.push_back({p, p, item, 1});
  }
  const auto has = [&](int32_t id, uint64_t position) {
    const std::vector<uint32_t>& list = positions[static_cast<size_t>(id)];
    return position <= UINT32_MAX && std::binary_search(list.begin(), list.end(), position);
  };
  for (const QueryIndex::Phrase& phrase : query.phrases()) {
    if (phrase.span() > window_tokens) continue;
    for (uint32_t p : positions[static_cast<size_t>(phrase.ids[0])]) {
      bool all = true;
      for (size_t k = 1; all && k < phrase.ids.size(); ++k) {
        all = has(phrase.ids[k], uint64_t{p} + phrase.offsets[k]);
      }
      if (all) {
        matches.push_back({p, static_cast<uint32_t>(p + phrase.span() - 1), phrase.item,
                           static_cast<uint32_t>(phrase.ids.size())});
      }
    }
  }
  return matches;
}

// The first token of the window WindowScan chooses, from the matches alone.
// A window's value changes only where a match enters it (its last token
// becomes the window's last) or leaves it, and leaving only lowers it; so
// the best window is the first one or one whose last token ends a match,
// and those are tried in order, as WindowScan tries every window.
size_t best_window_first(const QueryIndex& query, const std::vector<ItemMatch>& matches,
                         size_t window_tokens) {
  std::vector<uint32_t> by_last(matches.size());
  for (size_t i = 0; i < by_last.size(); ++i) by_last[i] = static_cast<uint32_t>(i);
  std::vector<uint32_t> by_first = by_last;
  std::sort(by_last.begin(), by_last.end(),
            [&](uint32_t a, uint32_t b) { return matches[a].last < matches[b].last; });
  std::sort(by_first.begin(), by_first.end(),
            [&](uint32_t a, uint32_t b) { return matches[a].first < matches[b].first; });
  std::vector<size_t> candidates = {0};
  for (uint32_t i : by_last) {
    if (matches[i].last >= window_tokens) candidates.push_back(matches[i].last - window_tokens + 1);
  }
  // A match is in the window once its last token has entered, until its
  // first leaves; one whose first leaves before its last enters never is.
  enum class State : uint8_t { kPending, kIn, kGone };
  std::vector<State> state(matches.size(), State::kPending);
  std::vector<uint32_t> counts(query.item_count(), 0);
  uint64_t value = 0;
  size_t matched_tokens = 0;
  size_t entered = 0;
  size_t left = 0;
  bool has_best = false;
  size_t best = 0;
  uint64_t best_value = 0;
  size_t best_matched_tokens = 0;
  for (size_t s : candidates) {
    for (; left < by_first.size() && matches[by_first[left]].first < s; ++left) {
      const uint32_t i = by_first[left];
      if (state[i] == State::kIn) {
        if (--counts[matches[i].item] == 0) value -= query.value(matches[i].item);
        matched_tokens -= matches[i].tokens;
      }
      state[i] = State::kGone;
    }
    for (; entered < by_last.size() && matches[by_last[entered]].last < s + window_tokens;
         ++entered) {
      const uint32_t i = by_last[entered];
      if (state[i] != State::kPending) continue;
      state[i] = State::kIn;
      if (counts[matches[i].item]++ == 0) value += query.value(matches[i].item);
      matched_tokens += matches[i].tokens;
    }
    if (has_best &&
        (value < best_value || (value == best_value && matched_tokens <= best_matched_tokens))) {
      continue;
    }
    has_best = true;
    best = s;
    best_value = value;
    best_matched_tokens = matched_tokens;
  }
  return best;
}

}  // namespace

Snippet make_snippet(Analyzer* analyzer, std::string_view text, const SnippetQuery& query,
                     size_t window_tokens) {
  const size_t window = std::clamp<size_t>(window_tokens, 1, kMaxWindowTokens);
  const QueryIndex index(query);
  WindowScan scan(index, window);
  uint32_t previous_end = 0;
  bool first = true;
  analyzer->analyze_words(text, [&](const Token& token) {
    const bool sentence_start = first || gap_ends_sentence(text, previous_end, token.start);
    const int32_t term = token.stop_word ? kNoTerm : index.find(token.term);
    scan.add({previous_end, token.start, token.end, term, sentence_start});
    previous_end = token.end;
    first = false;
  });
  scan.finish();
  if (scan.size() == 0) return {};
  return build_snippet(
      text, index,
      {scan.size(), scan.best_first(), scan.best_last(), scan.captured_first(), &scan.captured()},
      window);
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

Result<Snippet> make_snippet_at(Analyzer* analyzer, const TextLayout& layout,
                                const SnippetQuery& query, size_t window_tokens,
                                const TermPositions& positions, const ReadBody& read) {
  const size_t window = std::clamp<size_t>(window_tokens, 1, kMaxWindowTokens);
  const QueryIndex index(query);
  std::vector<std::vector<uint32_t>> by_id(index.terms().size());
  for (size_t id = 0; id < by_id.size(); ++id) {
    SCRY_RETURN_IF_ERROR(positions(index.terms()[id], &by_id[id]));
  }
  const std::vector<ItemMatch> matches = item_matches(index, by_id, window);
  const size_t best_first = best_window_first(index, matches, window);
  // build_snippet may move the window forward up to its first match, then
  // look kSentenceSlack + 1 tokens past its end: no token after these is
  // read (WindowScan captures more).
  size_t reach = best_first;
  size_t first_match = SIZE_MAX;
  for (const ItemMatch& m : matches) {
    if (m.first >= best_first && m.last < best_first + window) {
      first_match = std::min<size_t>(first_match, m.first);
    }
  }
  if (first_match != SIZE_MAX) reach = first_match;

  // Analyze from the last checkpoint before the token preceding the
  // captured ones (its end is the first one's gap start) to the first
  // checkpoint well after the last one (or the text's ends).
  const size_t captured_first = best_first - std::min(best_first, kSentenceSlack);
  const uint64_t needed_last = uint64_t{reach} + window + kSentenceSlack + 2;
  const std::vector<TextCheckpoint>& checkpoints = layout.checkpoints;
  TextCheckpoint from{0, 0};
  if (captured_first > 0) {
    auto it = std::upper_bound(
        checkpoints.begin(), checkpoints.end(), captured_first - 1,
        [](size_t position, const TextCheckpoint& c) { return position < c.position; });
    if (it != checkpoints.begin()) from = *std::prev(it);
  }
  const auto after = std::upper_bound(
      checkpoints.begin(), checkpoints.end(), needed_last,
      [](uint64_t position, const TextCheckpoint& c) { return position < c.position; });
  const bool to_end = after == checkpoints.end();
  const uint32_t end_offset = to_end ? layout.body_bytes : after->offset;
  if (from.offset > end_offset || end_offset > layout.body_bytes) {
    return Status::corruption("its checkpoints are out of its text's bounds");
  }
  auto text = read(from.offset, end_offset);
  if (!text) return text.status();

  // The query's terms at the captured positions, from their positions (the
  // tokens' own terms are not needed, so they are not stemmed).
  const size_t captured_span = needed_last - captured_first + 1;
  std::vector<int32_t> terms(captured_span, kNoTerm);
  for (size_t id = 0; id < by_id.size(); ++id) {
    const auto begin = std::lower_bound(by_id[id].begin(), by_id[id].end(), captured_first);
    for (auto p = begin; p != by_id[id].end() && *p - captured_first < captured_span; ++p) {
      terms[*p - captured_first] = static_cast<int32_t>(id);
    }
  }
  std::vector<TokenRecord> tokens;
  tokens.reserve(captured_span);
  uint32_t previous_end = 0;
  size_t count = from.position;
  analyzer->token_spans(*text, [&](const Token& token) {
    const size_t position = from.position + token.position;
    count = position + 1;
    if (position >= captured_first && position - captured_first < captured_span) {
      const bool sentence_start =
          position == 0 || gap_ends_sentence(*text, previous_end, token.start);
      tokens.push_back(
          {previous_end, token.start, token.end, terms[position - captured_first], sentence_start});
    }
    previous_end = token.end;
  });
  if (count == 0) return Snippet{};
  // Past the region, the text goes on beyond every token the passage may use.
  const size_t n = to_end ? count : after->position;
  if (best_first >= n) return Status::corruption("its positions are past its text's end");
  const size_t best_last = std::min(best_first + window, n) - 1;
  const size_t captured_last = std::min<uint64_t>(n - 1, reach + window + kSentenceSlack + 1);
  if (count <= captured_last || captured_first > captured_last ||
      tokens.size() < captured_last - captured_first + 1) {
    return Status::corruption("its positions and checkpoints do not fit its text");
  }
  tokens.resize(captured_last - captured_first + 1);
  return build_snippet(*text, index, {n, best_first, best_last, captured_first, &tokens}, window);
}

}  // namespace scry
