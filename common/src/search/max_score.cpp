#include "search/max_score.h"

#include <algorithm>
#include <cstddef>
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

  MaxScore(ScorerList clauses, ScorerList excluded);
  Status run(const Deletions& deleted, uint64_t base, uint32_t segment, TopK* top,
             SearchResult* result, bool* complete, InterruptCheck* interrupt);

 private:
  // Scores `doc` on the essential clauses, then on the others while it may
  // still enter; offers it unless it is excluded. Returns false when it was
  // dropped unscored because it could not enter.
  bool score_candidate(uint32_t doc, size_t essential, double threshold, uint64_t base,
                       uint32_t segment, TopK* top, SearchResult* result);

  ScorerList clauses_;  // In plan order.
  ScorerList excluded_;
  std::vector<size_t> order_;           // Clause indexes by ascending window bound.
  std::vector<double> bound_;           // bound_[i]: sum of the bounds of order_[0..i].
  std::vector<double> window_max_;      // Each clause's bound in the current window.
  std::vector<double> scores_;          // The current candidate's clause scores.
  std::vector<bool> matched_;           // Which clauses match the current candidate.
  const Deletions* deleted_ = nullptr;  // The segment's, during run().
};

MaxScore::MaxScore(ScorerList clauses, ScorerList excluded)
    : clauses_(std::move(clauses)),
      excluded_(std::move(excluded)),
      order_(clauses_.size()),
      bound_(clauses_.size()),
      window_max_(clauses_.size()),
      scores_(clauses_.size()),
      matched_(clauses_.size()) {}

Status MaxScore::run(const Deletions& deleted, uint64_t base, uint32_t segment, TopK* top,
                     SearchResult* result, bool* complete, InterruptCheck* interrupt) {
  deleted_ = &deleted;
  const size_t n = clauses_.size();
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
    double threshold = 0;
    auto raise = [&] {
      threshold = top->threshold();
      while (essential < n && cannot_enter(bound_[essential], threshold)) ++essential;
      if (essential > 0) *complete = false;
    };
    raise();
    for (size_t i = essential; i < n; ++i) clauses_[order_[i]]->seek(target);
    for (;;) {
      uint32_t doc = kEnd;
      for (size_t i = essential; i < n; ++i) doc = std::min(doc, clauses_[order_[i]]->doc());
      if (doc == kEnd || doc > end) break;
      if (!interrupt->tick()) return interrupt->status();
      if (score_candidate(doc, essential, threshold, base, segment, top, result)) {
        raise();
      } else {
        *complete = false;
      }
      for (size_t i = essential; i < n; ++i) {
        Scorer& c = *clauses_[order_[i]];
        if (c.doc() == doc) c.next();
      }
    }
    if (end == kEnd) break;
    target = end + 1;
  }
  for (const auto* list : {&clauses_, &excluded_}) {
    for (const auto& c : *list) SCRY_RETURN_IF_ERROR(c->status());
  }
  return Status::ok();
}

bool MaxScore::score_candidate(uint32_t doc, size_t essential, double threshold, uint64_t base,
                               uint32_t segment, TopK* top, SearchResult* result) {
  if (deleted_->contains(doc)) return true;
  std::fill(matched_.begin(), matched_.end(), false);
  double partial = 0;
  auto add = [&](size_t clause) {
    scores_[clause] = clauses_[clause]->score();
    matched_[clause] = true;
    partial += scores_[clause];
  };
  for (size_t i = essential; i < order_.size(); ++i) {
    if (clauses_[order_[i]]->doc() == doc) add(order_[i]);
  }
  for (size_t i = essential; i-- > 0;) {
    if (cannot_enter(partial + bound_[i], threshold)) return false;
    Scorer& c = *clauses_[order_[i]];
    c.seek(doc);
    if (c.doc() == doc) add(order_[i]);
  }
  if (any_at(excluded_, doc)) return true;
  ++result->total_hits;
  double score = 0;
  for (size_t i = 0; i < clauses_.size(); ++i) {
    if (matched_[i]) score += scores_[i];
  }
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
