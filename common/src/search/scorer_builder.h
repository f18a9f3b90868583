// From a query's Weight to the scorers of one segment: the terms are looked
// up in the segment's dictionary (a leaf with a term absent from it matches
// nothing there), and each leaf's score bound in the segment is computed
// from the stored impacts.
#pragma once

#include <memory>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/search/term_lookups.h"
#include "scry/search/weight.h"
#include "scry/util/status.h"
#include "search/scorer.h"

namespace scry {

// The scorer of `weight` in `segment`. With `bounds` false, leaves do not
// read their impacts and bound their scores by +infinity (for evaluations
// that do not prune). The terms' entries are taken from `lookups` where it
// holds them (term_lookups.h), else looked up. Errors: Corruption naming
// the file.
Result<std::unique_ptr<Scorer>> build_scorer(const Weight& weight, const SegmentReader& segment,
                                             bool bounds, const TermLookups* lookups = nullptr);

// The scorers of `weights`, in order.
Result<ScorerList> build_scorers(const std::vector<Weight>& weights, const SegmentReader& segment,
                                 bool bounds, const TermLookups* lookups = nullptr);

}  // namespace scry
