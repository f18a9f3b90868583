#include "search/max_score.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace scry {

namespace {

// The state of one MaxScore run (max_score.h). Internal, so that the
// compiler may inline the candidate scoring into the traversal loop.
class MaxScore {
 public:
  // The least width of a window, per clause: the partitioning of a window
  // (n log n) stays a small share of the work when there are many clauses.
  static constexpr uint64_t kWindowDocsPerClause = 64;
  // A window is collected in inner windows of at most kInnerDocs documents
  // and kInnerCells (document, essential clause) score cells, so that the
  // cells stay in the first levels of the cache.
  static constexpr uint32_t kInnerDocs = 2048;
  static constexpr uint32_t kInnerCells = 8192;
  static constexpr uint32_t kFirstInnerDocs = 128;

  MaxScore(ScorerList clauses, ScorerList excluded);
  Status run(const Deletions& deleted, uint64_t base, uint32_t segment, TopK* top,
             SearchResult* result, bool* complete, InterruptCheck* interrupt);

 private:
  // Collects the essential clauses' (order_[essential..n)) postings in
  // [from, to] into the cells, then scores each collected document.
  Status inner_window(uint32_t from, uint32_t to, size_t essential, uint64_t base, uint32_t segment,
                      TopK* top, SearchResult* result, bool* complete, InterruptCheck* interrupt);
  // Scores the collected document `doc` (cells from `slot`) on the
  // non-essential clauses while it may still enter; offers it unless it is
  // excluded. Returns false when it was dropped because it could not enter.
  bool score_candidate(uint32_t doc, size_t slot, size_t essential, uint64_t base, uint32_t segment,
                       TopK* top, SearchResult* result);

  ScorerList clauses_;  // In plan order.
  ScorerList excluded_;
  std::vector<size_t> order_;       // Clause indexes by ascending window bound.
  std::vector<double> bound_;       // bound_[i]: sum of the bounds of order_[0..i].
  std::vector<double> window_max_;  // Each clause's bound in the current window.
  std::vector<double> others_;      // others_[i]: the sum of every other clause's global bound.
  std::vector<double> scores_;      // The current candidate's clause scores.
  std::vector<uint32_t> matched_;   // The clauses matching the current candidate.
  // The inner window's columns (Scorer::collect), one per essential clause
  // order_[essential + k]: cell_score_[k * 64 * words_ + slot], valid when
  // bit slot of cell_hit_[k * words_..] is set; collected_ has the bits of
  // all the columns. words_: the inner window's width in 64-doc words. The
  // scores are left uninitialised (up to 64 KiB a query that zeroing cost;
  // a cell is read only once its hit bit is set).
  std::unique_ptr<double[]> cell_score_;
  size_t cell_capacity_ = 0;
  std::vector<uint64_t> cell_hit_;
  std::vector<uint64_t> collected_;
  size_t words_ = 0;
  const Deletions* deleted_ = nullptr;  // The segment's, during run().
};

MaxScore::MaxScore(ScorerList clauses, ScorerList excluded)
    : clauses_(std::move(clauses)),
      excluded_(std::move(excluded)),
      order_(clauses_.size()),
      bound_(clauses_.size()),
      window_max_(clauses_.size()),
      others_(clauses_.size()),
      scores_(clauses_.size()),
      collected_(kInnerDocs / 64) {
  matched_.reserve(clauses_.size());
}

Status MaxScore::run(const Deletions& deleted, uint64_t base, uint32_t segment, TopK* top,
                     SearchResult* result, bool* complete, InterruptCheck* interrupt) {
  deleted_ = &deleted;
  const size_t n = clauses_.size();
  double total = 0;
  for (const auto& c : clauses_) total += c->max_score();
  for (size_t i = 0; i < n; ++i) others_[i] = total - clauses_[i]->max_score();
  double told = 0;  // The threshold the clauses were last told (Scorer::set_min_competitive).
  for (uint32_t target = 0;;) {
    if (!interrupt->tick(n)) return interrupt->status();
    // The window [target, end]: up to where the first clause's block ends,
    // but at least kWindowDocsPerClause docs per clause wide. A clause whose
    // block ends inside the window is bounded by its global bound.
    uint32_t end = kEnd;
    for (size_t i = 0; i < n; ++i) {
      clauses_[i]->shallow_seek(target);
      end = std::min(end, clauses_[i]->block_end());
    }
    const uint64_t narrowest = uint64_t{target} + kWindowDocsPerClause * n - 1;
    if (end < narrowest) end = static_cast<uint32_t>(std::min<uint64_t>(narrowest, kEnd - 1));
    for (size_t i = 0; i < n; ++i) {
      const Scorer& c = *clauses_[i];
      window_max_[i] = c.block_end() >= end ? c.block_max() : c.max_score();
      order_[i] = i;
    }
    std::sort(order_.begin(), order_.end(),
              [&](size_t a, size_t b) { return window_max_[a] < window_max_[b]; });
    double sum = 0;
    for (size_t i = 0; i < n; ++i) bound_[i] = sum += window_max_[order_[i]];

    size_t essential = 0;  // order_[essential..n) are the essential clauses.
    bool sought = false;
    for (uint32_t from = target;;) {
      // The clauses that cannot lift a document in by themselves are left
      // out of the collection; θ only rises, so essential only grows.
      const double threshold = top->threshold();
      while (essential < n && cannot_enter(bound_[essential], threshold)) ++essential;
      if (essential > 0) *complete = false;
      if (threshold > told) {
        told = threshold;
        for (size_t i = essential; i < n; ++i) {
          if (clauses_[order_[i]]->set_min_competitive(others_[order_[i]], threshold)) {
            *complete = false;
          }
        }
      }
      if (!sought) {
        for (size_t i = essential; i < n; ++i) clauses_[order_[i]]->seek(target);
        sought = true;
      }
      // The inner window starts at the first essential document.
      uint32_t first = kEnd;
      for (size_t i = essential; i < n; ++i) first = std::min(first, clauses_[order_[i]]->doc());
      from = std::max(from, first);
      if (from == kEnd || from > end) break;
      // Until k documents are found there is no θ to prune with: inner
      // windows stay narrow, so that θ is known after the first few dozen
      // matches rather than after 2,048 documents of every clause.
      const uint32_t widest =
          threshold == -std::numeric_limits<double>::infinity() ? kFirstInnerDocs : kInnerDocs;
      const uint32_t width =
          std::clamp<uint32_t>(kInnerCells / static_cast<uint32_t>(n - essential), 64, widest);
      const auto to = static_cast<uint32_t>(
          std::min<uint64_t>({end, uint64_t{from} + width - 1, uint64_t{kEnd} - 1}));
      SCRY_RETURN_IF_ERROR(
          inner_window(from, to, essential, base, segment, top, result, complete, interrupt));
      if (to == end) break;
      from = to + 1;
    }
    if (end == kEnd) break;
    target = end + 1;
  }
  for (const auto* list : {&clauses_, &excluded_}) {
    for (const auto& c : *list) SCRY_RETURN_IF_ERROR(c->status());
  }
  return Status::ok();
}

Status MaxScore::inner_window(uint32_t from, uint32_t to, size_t essential, uint64_t base,
                              uint32_t segment, TopK* top, SearchResult* result, bool* complete,
                              InterruptCheck* interrupt) {
  const size_t ne = clauses_.size() - essential;
  words_ = (size_t{to} - from) / 64 + 1;
  if (cell_hit_.size() < ne * words_) cell_hit_.resize(ne * words_);
  if (cell_capacity_ < ne * words_ * 64) {
    cell_capacity_ = ne * words_ * 64;
    cell_score_ = std::make_unique_for_overwrite<double[]>(cell_capacity_);
  }
  uint64_t postings = 0;
  for (size_t k = 0; k < ne; ++k) {
    const WindowColumn column{from, &cell_score_[k * words_ * 64], &cell_hit_[k * words_],
                              collected_.data()};
    postings += clauses_[order_[essential + k]]->collect(to, column);
  }
  if (!interrupt->tick(postings)) return interrupt->status();
  for (size_t w = 0; w < words_; ++w) {
    for (uint64_t bits = collected_[w]; bits != 0; bits &= bits - 1) {
      const size_t slot = w * 64 + static_cast<size_t>(std::countr_zero(bits));
      if (!score_candidate(from + static_cast<uint32_t>(slot), slot, essential, base, segment, top,
                           result)) {
        *complete = false;
      }
    }
    collected_[w] = 0;
  }
  return Status::ok();
}

bool MaxScore::score_candidate(uint32_t doc, size_t slot, size_t essential, uint64_t base,
                               uint32_t segment, TopK* top, SearchResult* result) {
  const size_t ne = clauses_.size() - essential;
  matched_.clear();
  double partial = 0;
  const uint64_t bit = uint64_t{1} << (slot % 64);
  for (size_t k = 0; k < ne; ++k) {
    uint64_t& hits = cell_hit_[k * words_ + slot / 64];
    if ((hits & bit) == 0) continue;
    hits &= ~bit;
    const size_t clause = order_[essential + k];
    scores_[clause] = cell_score_[k * words_ * 64 + slot];
    matched_.push_back(static_cast<uint32_t>(clause));
    partial += scores_[clause];
  }
  if (deleted_->contains(doc)) return true;
  const double threshold = top->threshold();
  for (size_t i = essential; i-- > 0;) {
    if (cannot_enter(partial + bound_[i], threshold)) return false;
    Scorer& c = *clauses_[order_[i]];
    c.seek(doc);
    if (c.doc() == doc) {
      scores_[order_[i]] = c.score();
      matched_.push_back(static_cast<uint32_t>(order_[i]));
      partial += scores_[order_[i]];
    }
  }
  if (any_at(excluded_, doc)) return true;
  ++result->total_hits;
  // The clause scores in plan order, as the exhaustive BoolScorer adds them.
  std::sort(matched_.begin(), matched_.end());
  double score = 0;
  for (uint32_t clause : matched_) score += scores_[clause];
  top->offer({score, base + doc, segment, doc});
  return true;
}

}  // namespace

Status max_score_search(ScorerList clauses, ScorerList excluded, const Deletions& deleted,
                        uint64_t base, uint32_t segment, TopK* top, SearchResult* result,
                        bool* complete, InterruptCheck* interrupt) {
  MaxScore max_score(std::move(clauses), std::move(excluded));
  return max_score.run(deleted, base, segment, top, result, complete, interrupt);
}

}  // namespace scry
