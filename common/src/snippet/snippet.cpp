#include "scry/snippet/snippet.h"

#include <algorithm>
#include <vector>

#include "snippet/passage.h"
#include "snippet/sentences.h"

namespace scry {
namespace {

using sentences::gap_ends_sentence;
using snippets::kMaxWindowTokens;
using snippets::kNoItem;
using snippets::kNoTerm;
using snippets::kSentenceSlack;
using snippets::phrase_matches;
using snippets::QueryIndex;
using snippets::TokenRecord;

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
  snippets::PassageBuffers buffers;
  return snippets::build_snippet(
      text, index,
      {scan.size(), scan.best_first(), scan.best_last(), scan.captured_first(), &scan.captured()},
      window, &buffers);
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
