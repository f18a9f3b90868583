#include <algorithm>
#include <numeric>
#include <vector>

#include "scry/snippet/snippet.h"
#include "snippet/passage.h"
#include "snippet/sentences.h"

namespace scry {
namespace {

using sentences::gap_ends_sentence;
using snippets::ItemMatch;
using snippets::kNoItem;
using snippets::QueryIndex;
using snippets::SnippetAtBuffers;
using snippets::TokenRecord;

// ---------------------------------------------------------------------------
// The window from the index's positions

// Every match of the query's terms and phrases (those that fit a window),
// given each term's sorted positions by id (b->positions), into b->matches
// in runs (one a term, one a phrase; b->run_ends: where each ends), each
// sorted by first and by last position. Returns whether any match spans
// several tokens.
bool item_matches(const QueryIndex& query, size_t window_tokens, SnippetAtBuffers* b) {
  const std::vector<std::vector<uint32_t>>& positions = b->positions;
  std::vector<ItemMatch>& matches = b->matches;
  matches.clear();
  b->run_ends.clear();
  bool phrases = false;
  for (size_t id = 0; id < positions.size(); ++id) {
    const uint32_t item = query.term_item(static_cast<int32_t>(id));
    if (item == kNoItem) continue;
    for (uint32_t p : positions[id]) matches.push_back({p, p, item, 1});
    b->run_ends.push_back(matches.size());
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
        phrases = true;
      }
    }
    b->run_ends.push_back(matches.size());
  }
  return phrases;
}

// The indexes of b->matches in increasing `key` (ties in any order), into
// `order`: the runs, each sorted already, merged one after another (a query
// has few).
template <typename Key>
void merged_order(Key key, SnippetAtBuffers* b, std::vector<uint32_t>* order) {
  const std::vector<ItemMatch>& all = b->matches;
  order->resize(all.size());
  std::iota(order->begin(), order->end(), 0u);
  b->merged.resize(all.size());
  const auto less = [&](uint32_t x, uint32_t y) { return key(all[x]) < key(all[y]); };
  for (size_t r = 1; r < b->run_ends.size(); ++r) {
    const auto middle = order->begin() + static_cast<std::ptrdiff_t>(b->run_ends[r - 1]);
    const auto end = order->begin() + static_cast<std::ptrdiff_t>(b->run_ends[r]);
    if (middle == end) continue;
    std::merge(order->begin(), middle, middle, end, b->merged.begin(), less);
    std::copy(b->merged.begin(), b->merged.begin() + (end - order->begin()), order->begin());
  }
}

// The first token of the window WindowScan chooses, from the matches alone.
// A window's value changes only where a match enters it (its last token
// becomes the window's last) or leaves it, and leaving only lowers it; so
// the best window is the first one or one whose last token ends a match,
// and those are tried in order, as WindowScan tries every window.
// The best window start offered so far: the highest value, then the most
// matched tokens; an earlier start keeps a tie.
class BestWindow {
 public:
  void offer(size_t start, uint64_t value, size_t matched_tokens) {
    if (has_ && (value < value_ || (value == value_ && matched_tokens <= matched_tokens_))) return;
    has_ = true;
    start_ = start;
    value_ = value;
    matched_tokens_ = matched_tokens;
  }
  size_t start() const { return start_; }

 private:
  bool has_ = false;
  size_t start_ = 0;
  uint64_t value_ = 0;
  size_t matched_tokens_ = 0;
};

// The matches are b->matches (item_matches'), some of them phrases'
// (best_term_window_first below serves the others).
size_t best_window_first(const QueryIndex& query, size_t window_tokens, SnippetAtBuffers* b) {
  const std::vector<ItemMatch>& matches = b->matches;
  // Ties are entered (or left) together below, so their order is free.
  merged_order([](const ItemMatch& x) { return x.last; }, b, &b->by_last);
  const std::vector<uint32_t>& by_last = b->by_last;
  merged_order([](const ItemMatch& x) { return x.first; }, b, &b->by_first);
  const std::vector<uint32_t>& by_first = b->by_first;
  std::vector<size_t>& candidates = b->candidates;
  candidates.assign(1, 0);
  for (uint32_t i : by_last) {
    if (matches[i].last >= window_tokens) candidates.push_back(matches[i].last - window_tokens + 1);
  }
  // A match is in the window once its last token has entered, until its
  // first leaves; one whose first leaves before its last enters never is.
  using State = SnippetAtBuffers::MatchState;
  std::vector<State>& state = b->state;
  state.assign(matches.size(), State::kPending);
  std::vector<uint32_t>& counts = b->counts;
  counts.assign(query.item_count(), 0);
  uint64_t value = 0;
  size_t matched_tokens = 0;
  size_t entered = 0;
  size_t left = 0;
  BestWindow best;
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
    best.offer(s, value, matched_tokens);
  }
  return best.start();
}

// best_window_first when no phrase matched: every match is one token, so it
// enters the window (at its own candidate, or the first) before any later
// window leaves it behind, and one order (by position) serves both ends of
// the window; the sweep needs no per-match state. The runs are merged into
// b->keys (a match's position, then its item: matches at one position enter
// and leave together, so their order is free).
size_t best_term_window_first(const QueryIndex& query, size_t window_tokens, SnippetAtBuffers* b) {
  std::vector<uint64_t>& keys = b->keys;
  keys.resize(b->matches.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    keys[i] = uint64_t{b->matches[i].first} << 32 | b->matches[i].item;
  }
  std::vector<uint64_t>& merged = b->keys_merged;
  merged.resize(keys.size());
  for (size_t r = 1; r < b->run_ends.size(); ++r) {
    const auto middle = keys.begin() + static_cast<std::ptrdiff_t>(b->run_ends[r - 1]);
    const auto end = keys.begin() + static_cast<std::ptrdiff_t>(b->run_ends[r]);
    if (middle == end) continue;
    const auto out = std::merge(keys.begin(), middle, middle, end, merged.begin());
    std::copy(merged.begin(), out, keys.begin());
  }
  std::vector<uint32_t>& counts = b->counts;
  counts.assign(query.item_count(), 0);
  uint64_t value = 0;
  const size_t n = keys.size();
  size_t entered = 0;
  size_t left = 0;
  // Every match in the window is one matched token: entered - left of them.
  // `last` is a position (at most UINT32_MAX): the largest key at it bounds
  // the matches through it.
  const auto enter_through = [&](uint64_t last) {
    const uint64_t bound = last << 32 | UINT32_MAX;
    for (; entered < n && keys[entered] <= bound; ++entered) {
      const auto item = static_cast<uint32_t>(keys[entered]);
      if (counts[item]++ == 0) value += query.value(item);
    }
  };
  BestWindow best;
  enter_through(std::min<uint64_t>(window_tokens - 1, UINT32_MAX));
  best.offer(0, value, entered);
  // Each later window ends at a match: the matches at its position enter
  // (those tied with it offer the same window, which adds nothing), those
  // before its start leave (never past it).
  while (entered < n) {
    const uint64_t last = keys[entered] >> 32;
    enter_through(last);
    const uint64_t start = last - window_tokens + 1;
    for (; keys[left] < start << 32; ++left) {
      const auto item = static_cast<uint32_t>(keys[left]);
      if (--counts[item] == 0) value -= query.value(item);
    }
    best.offer(start, value, entered - left);
  }
  return best.start();
}

}  // namespace

Result<Snippet> make_snippet_at(Analyzer* analyzer, const TextLayout& layout,
                                const SnippetQuery& query, size_t window_tokens,
                                const TermPositions& positions, const ReadBody& read) {
  SnippetAtBuffers buffers;
  return snippets::snippet_at(
      analyzer,
      [&](uint64_t, TextLayout* out) {
        *out = layout;
        return Status::ok();
      },
      QueryIndex(query), window_tokens, positions, read, &buffers);
}

Result<Snippet> snippets::snippet_at(Analyzer* analyzer, const LoadLayout& load_layout,
                                     const QueryIndex& index, size_t window_tokens,
                                     const TermPositions& positions, const ReadBody& read,
                                     SnippetAtBuffers* buffers) {
  const size_t window = std::clamp<size_t>(window_tokens, 1, kMaxWindowTokens);
  std::vector<std::vector<uint32_t>>& by_id = buffers->positions;
  by_id.resize(index.terms().size());
  for (size_t id = 0; id < by_id.size(); ++id) {
    by_id[id].clear();  // Its capacity is what is reused.
    SCRY_RETURN_IF_ERROR(positions(index.terms()[id], &by_id[id]));
  }
  const bool phrases = item_matches(index, window, buffers);
  const std::vector<ItemMatch>& matches = buffers->matches;
  const size_t best_first = phrases ? best_window_first(index, window, buffers)
                                    : best_term_window_first(index, window, buffers);
  // build_snippet may move the window forward up to its first match, then
  // look kSentenceSlack + 1 tokens past its end: no token after these is
  // read (WindowScan captures more).
  size_t reach = best_first;
  size_t first_match = SIZE_MAX;
  if (phrases) {
    for (const ItemMatch& m : matches) {
      if (m.first >= best_first && m.last < best_first + window) {
        first_match = std::min<size_t>(first_match, m.first);
      }
    }
  } else {
    // The one-token matches, by position: the window's first is the first
    // at or after its start.
    const std::vector<uint64_t>& keys = buffers->keys;
    const auto it = std::lower_bound(keys.begin(), keys.end(), uint64_t{best_first} << 32);
    if (it != keys.end() && (*it >> 32) < best_first + window) first_match = *it >> 32;
  }
  if (first_match != SIZE_MAX) reach = first_match;

  // Analyze from the last checkpoint before the token preceding the
  // captured ones (its end is the first one's gap start) to the first
  // checkpoint well after the last one (or the text's ends).
  const size_t captured_first = best_first - std::min(best_first, kSentenceSlack);
  const uint64_t needed_last = uint64_t{reach} + window + kSentenceSlack + 2;
  TextLayout& layout = buffers->layout;
  SCRY_RETURN_IF_ERROR(load_layout(needed_last, &layout));
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
  std::string& text = buffers->text;
  SCRY_RETURN_IF_ERROR(read(layout, from.offset, end_offset, &text));

  // The query's terms at the captured positions, from their positions (the
  // tokens' own terms are not needed, so they are not stemmed).
  const size_t captured_span = needed_last - captured_first + 1;
  std::vector<int32_t>& terms = buffers->terms;
  terms.assign(captured_span, kNoTerm);
  for (size_t id = 0; id < by_id.size(); ++id) {
    const auto begin = std::lower_bound(by_id[id].begin(), by_id[id].end(), captured_first);
    for (auto p = begin; p != by_id[id].end() && *p - captured_first < captured_span; ++p) {
      terms[*p - captured_first] = static_cast<int32_t>(id);
    }
  }
  // Before the text's end, no token past needed_last is used (the region
  // ends at a checkpoint past it): analysis stops there.
  std::vector<TokenSpan>& spans = buffers->spans;
  const uint64_t wanted = needed_last - from.position + 1;
  analyzer->token_spans(
      text, &spans,
      to_end ? UINT32_MAX : static_cast<uint32_t>(std::min<uint64_t>(wanted, UINT32_MAX)));
  const size_t count = from.position + spans.size();
  std::vector<TokenRecord>& tokens = buffers->tokens;
  // Spans [first_k, end_k) are the captured tokens. Each record is written
  // field by field: one built whole and copied in was stored in pieces and
  // loaded as one, which the store buffer cannot forward (a stall a token).
  const size_t first_k = captured_first - std::min<size_t>(captured_first, from.position);
  const size_t end_k = std::min<size_t>(
      spans.size(), captured_first + captured_span -
                        std::min<size_t>(captured_first + captured_span, from.position));
  tokens.resize(end_k > first_k ? end_k - first_k : 0);
  for (size_t k = first_k; k < end_k; ++k) {
    const size_t position = from.position + k;
    TokenRecord& token = tokens[k - first_k];
    token.gap_start = k == 0 ? 0 : spans[k - 1].end;
    token.start = spans[k].start;
    token.end = spans[k].end;
    token.term = terms[position - captured_first];
    token.sentence_start =
        position == 0 || gap_ends_sentence(text, token.gap_start, spans[k].start);
  }
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
  return snippets::build_snippet(text, index, {n, best_first, best_last, captured_first, &tokens},
                                 window, &buffers->passage);
}

}  // namespace scry
