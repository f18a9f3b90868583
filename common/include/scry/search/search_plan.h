// SearchPlan: a query whose words are analyzed into index terms and whose
// prefixes are expanded, ready to be evaluated (see searcher.h). The query
// language's parser and planner (searcher/) produce it.
//
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scry/format/format.h"

namespace scry {

struct PlanNode {
  enum class Kind {
    kTerm,    // terms[0] in `field`.
    kPhrase,  // terms at the positions `offsets` apart in `field` (at least two).
    kBool,    // must / should / must_not, semantics as Query's kBool.
    // The best of `should` (no must or must_not): a document matching any of
    // them scores the largest of their scores, not their sum (Lucene's
    // DisjunctionMaxQuery, tie-breaker 0). What a fuzzy or typo-tolerant
    // word plans: one word, scored as its best expansion in the document.
    kDisMax,
    kNothing,  // Matches no document (e.g. a word that analyzes to nothing).
  };
  Kind kind = Kind::kBool;
  Field field = Field::kText;
  std::vector<std::string> terms;
  std::vector<PlanNode> must;
  std::vector<PlanNode> should;
  std::vector<PlanNode> must_not;
  // kPhrase: each term's position relative to the first term's, increasing
  // (0, 1, 2, ... unless stop words were left out between them). Empty means
  // consecutive.
  std::vector<uint32_t> offsets;
  // kTerm, kPhrase: the leaf's BM25 score is multiplied by it (> 0).
  double boost = 1.0;
  // kTerm: 0, or the number of the prefix whose expansion the term is. The
  // terms of one prefix in one field are scored with one idf, that of the
  // most frequent of them (weight.h; docs/QUERY.md).
  uint32_t blend = 0;
};

}  // namespace scry
