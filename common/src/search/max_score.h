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
// threshold. A window is worked through window-at-a-time, in inner windows
// of at most 2,048 documents: each essential clause scores all its
// documents of the inner window into a column of cells, one clause after
// the other, then the collected documents are finished in doc-id order.
// Scores are added in the plan's clause order, so they equal the
// exhaustive ones bit for bit. docs/PRUNING.md has the details.
#pragma once

#include <cmath>
#include <cstdint>

#include "scry/format/deletions.h"
#include "scry/search/interrupt.h"
#include "scry/search/searcher.h"
#include "search/scorer.h"
#include "search/top_k.h"

namespace scry {

// Runs MaxScore over one segment: offers its live candidates matching any
// of `clauses` (scored in this order) and none of `excluded` to `top`, their
// global doc ids from `base`; counts the matches offered in
// result->total_hits; sets *complete to false when some matching documents
// were not counted. Ticks `interrupt` once per collected posting and once
// per clause of each window. Errors: the scorers' (Corruption naming the
// file); Cancelled from `interrupt`.
Status max_score_search(ScorerList clauses, ScorerList excluded, const Deletions& deleted,
                        uint64_t base, uint32_t segment, TopK* top, SearchResult* result,
                        bool* complete, InterruptCheck* interrupt);

// Whether a score bounded by `bound` cannot exceed `threshold`. Bounds and
// scores are sums of the same terms in different orders, so the bound is
// widened by far more than their rounding differences.
inline bool cannot_enter(double bound, double threshold) {
  return bound + std::abs(bound) * 1e-9 < threshold;
}

}  // namespace scry
