// SearchPlan: a query whose words are analyzed into index terms and whose
// prefixes are expanded, ready to be evaluated (see searcher.h). The query
// language's parser and planner (searcher/) produce it.
//
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <optional>
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
  // kTerm: the term's document frequency in `field`, when the planner has it
  // from the statistics it planned with (a fuzzy term's expansion, with its
  // df from fuzzy_terms()), so that weighing does not look it up: the
  // expansions a top-k search drops are then never read from the
  // dictionary. Unset otherwise.
  std::optional<uint64_t> df;
};

// Whether `n` (a PlanNode or a Weight) is a title pair, what the planner
// makes of a text leaf with a title weight: the leaf required in the text
// field, the same leaf optional in the title field. Since a title's words
// are in the text field too, a pair matches what its text leaf matches,
// and its score is the text leaf's plus the title leaf's where that
// matches: in an optional position, exactly the two leaves side by side.
template <class Node>
bool is_title_pair(const Node& n) {
  if (n.kind != PlanNode::Kind::kBool || n.must.size() != 1 || n.should.size() != 1 ||
      !n.must_not.empty()) {
    return false;
  }
  const Node& text = n.must[0];
  const Node& title = n.should[0];
  const bool leaf = text.kind == PlanNode::Kind::kTerm || text.kind == PlanNode::Kind::kPhrase;
  return leaf && title.kind == text.kind && text.field == Field::kText &&
         title.field == Field::kTitle && title.terms == text.terms && title.offsets == text.offsets;
}

}  // namespace scry
