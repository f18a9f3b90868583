// Weight: a search plan with the collection's statistics applied, computed
// once per query before any segment is searched (Lucene's and tantivy's
// Weight). Each scoring leaf gets its idf (a phrase: the sum of its terms')
// and its field's BM25 with the collection's average length. The terms a
// prefix expanded to (PlanNode::blend) share one idf per field: that of
// the most frequent of them, the one with the largest df (as Lucene's
// TopTermsBlendedFreqScoringRewrite blends their document frequencies), so
// that a rare expansion ("prick" for "pric*") does not outscore the common
// ones (docs/QUERY.md). Scorers are
// then built from the Weight for each segment (searcher.h), so every
// segment, and every shard given the same statistics, scores a document
// alike.
//
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scry/format/format.h"
#include "scry/score/bm25.h"
#include "scry/search/collection_statistics.h"
#include "scry/search/search_plan.h"
#include "scry/util/status.h"

namespace scry {

struct Weight {
  using Kind = PlanNode::Kind;
  Kind kind = Kind::kBool;
  Field field = Field::kText;
  // kTerm: the term; kPhrase: its terms, at `offsets` (one per term, the
  // first 0, increasing).
  std::vector<std::string> terms;
  std::vector<uint32_t> offsets;
  // kTerm, kPhrase: what --explain shows (the term, or the phrase's terms
  // in quotes), the idf, the boost, and BM25 in the field.
  std::string label;
  double idf = 0;
  double boost = 1.0;
  uint32_t blend = 0;  // kTerm: the plan's (PlanNode::blend).
  Bm25::FieldWeight bm25{Bm25{}, 1.0};
  // kBool: the clauses, as the plan's.
  std::vector<Weight> must;
  std::vector<Weight> should;
  std::vector<Weight> must_not;
};

// The Weight of `plan` with BM25 parameters `bm25` and statistics `stats`.
// Errors: InvalidArgument for a malformed plan (a phrase whose offsets are
// not one per term); those of `stats` (Corruption naming the file).
Result<Weight> make_weight(const PlanNode& plan, const Bm25& bm25,
                           const CollectionStatistics& stats);

}  // namespace scry
