// MaxScore: rank-safe dynamic pruning over the optional clauses of a query
// without required ones, in one segment.
//
// Block-max MaxScore (Turtle and Flood, 1995; with block bounds as in
// Lucene's MaxScoreBulkScorer and PISA's block_max_maxscore). Doc ids are
// walked in windows that end where the first clause's current block ends;
// in each window every clause is bounded by its block's bound. Clauses are
// ordered by that bound; the lowest ones whose bounds add up to no more
// than the top-k threshold are "non-essential": a document matching only
// them cannot enter, so only the essential clauses' documents are
// candidates (a window with no essential clause is skipped whole, its
// blocks undecoded), and a candidate stops being scored as soon as its
// score so far plus the bounds of the clauses left cannot exceed the
// threshold. Scores are added in the plan's clause order, so they equal
// the exhaustive ones bit for bit. docs/PRUNING.md has the details.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "scry/format/deletions.h"
#include "scry/search/searcher.h"
#include "search/scorer.h"
#include "search/top_k.h"

namespace scry {

class MaxScore {
 public:
  // The least width of a window, per clause: the partitioning of a window
  // (n log n) stays a small share of the work when there are many clauses.
  static constexpr uint64_t kWindowDocsPerClause = 64;

  // `clauses` are scored (in this order) and `excluded` never match.
  MaxScore(ScorerList clauses, ScorerList excluded);

  // Offers the segment's live candidates to `top`, their global doc ids
  // from `base`; counts the matches offered in result->total_hits; sets
  // *complete to false when some matching documents were not counted.
  // Errors: the scorers' (Corruption naming the file).
  Status run(const Deletions& deleted, uint64_t base, uint32_t segment, TopK* top,
             SearchResult* result, bool* complete);

 private:
  // Scores `doc` on the essential clauses, then on the others while it may
  // still enter; offers it unless it is excluded. Returns false when it was
  // dropped unscored because it could not enter.
  bool score_candidate(uint32_t doc, size_t essential, double threshold, uint64_t base,
                       uint32_t segment, TopK* top, SearchResult* result);

  ScorerList clauses_;  // In plan order.
  ScorerList excluded_;
  std::vector<size_t> order_;       // Clause indexes by ascending window bound.
  std::vector<double> bound_;       // bound_[i]: sum of the bounds of order_[0..i].
  std::vector<double> window_max_;  // Each clause's bound in the current window.
  std::vector<double> scores_;      // The current candidate's clause scores.
  std::vector<bool> matched_;       // Which clauses match the current candidate.
  const Deletions* deleted_ = nullptr;  // The segment's, during run().
};

// Whether a score bounded by `bound` cannot exceed `threshold`. Bounds and
// scores are sums of the same terms in different orders, so the bound is
// widened by far more than their rounding differences.
inline bool cannot_enter(double bound, double threshold) {
  return bound + std::abs(bound) * 1e-9 < threshold;
}

}  // namespace scry
