// The parts of a snippet that make_snippet (the whole text analysed) and
// make_snippet_at (the window from the index's positions) share: the query
// as the scan needs it, a token's record, the chosen window, and the
// passage built from it (scry/snippet/snippet.h says what a snippet is).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "scry/snippet/snippet.h"

namespace scry::snippets {

// How many tokens the passage may reach beyond the chosen window on either
// side to start or end at a sentence boundary.
inline constexpr size_t kSentenceSlack = 8;
// Windows longer than any analyzable text (analyze() takes < 4 GiB).
inline constexpr size_t kMaxWindowTokens = size_t{1} << 32;

inline constexpr int32_t kNoTerm = -1;
inline constexpr uint32_t kNoItem = UINT32_MAX;

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

// A match of a query term or phrase among the captured tokens.
struct TokenMatch {
  size_t first;  // Token indices, inclusive.
  size_t last;
};

// The buffers build_snippet works in, kept by a caller that builds many
// passages so that their memory is reused; what they hold between calls
// means nothing.
struct PassageBuffers {
  std::vector<TokenMatch> matches;
  std::vector<std::pair<size_t, size_t>> spans, merged;  // Byte ranges in the text.
  std::vector<std::pair<uint32_t, uint32_t>> mapped;     // Byte ranges in the snippet.
};

// The snippet of `window` over `text` (the captured tokens' offsets point
// into it; when they reach the text's last token, so does `text`).
Snippet build_snippet(std::string_view text, const QueryIndex& query, const Window& window,
                      size_t window_tokens, PassageBuffers* buffers);

// A match of a query item in the body, from the positions of its terms.
struct ItemMatch {
  uint32_t first;  // Positions, inclusive.
  uint32_t last;
  uint32_t item;
  uint32_t tokens;  // What it adds to the window's matched tokens.
};

// The buffers snippet_at works in, kept by a caller that makes many
// snippets (the hits of a query) so that their memory is reused rather
// than allocated anew for each; what they hold between calls means nothing.
struct SnippetAtBuffers {
  // Where a match is as the window slides: not entered yet, in, left.
  enum class MatchState : uint8_t { kPending, kIn, kGone };
  std::vector<std::vector<uint32_t>> positions;  // By term id.
  std::vector<ItemMatch> matches;
  std::vector<size_t> run_ends;
  std::vector<uint32_t> by_last, by_first, merged;
  std::vector<uint64_t> keys, keys_merged;  // When no phrase matched.
  std::vector<size_t> candidates;
  std::vector<MatchState> state;
  std::vector<uint32_t> counts;
  std::vector<int32_t> terms;
  std::vector<TokenSpan> spans;
  std::vector<TokenRecord> tokens;
  TextLayout layout;
  std::string text;
  PassageBuffers passage;
};

// Gives the body's layout with its checkpoints up to and including the
// first past position `through` (DocStoreReader::layout's) in `out`.
using LoadLayout = std::function<Status(uint64_t through, TextLayout* out)>;

// make_snippet_at with the query already indexed (a caller making the
// snippets of many hits of one query builds its QueryIndex once, and keeps
// `buffers`) and the layout loaded once the positions say which checkpoints
// are needed.
Result<Snippet> snippet_at(Analyzer* analyzer, const LoadLayout& load_layout,
                           const QueryIndex& index, size_t window_tokens,
                           const TermPositions& positions, const ReadBody& read,
                           SnippetAtBuffers* buffers);

}  // namespace scry::snippets
