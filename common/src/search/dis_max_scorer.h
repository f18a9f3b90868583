// DisMaxScorer: the best of its clauses (PlanNode::Kind::kDisMax): a
// document matches when any clause matches and scores the largest of their
// scores, as Lucene's DisjunctionMaxQuery with a tie-breaker of 0. What a
// fuzzy or typo-tolerant word's expansions are scored by: the word counts
// once, as its best expansion in the document, however many of its
// variants the document also has.
//
// In a top-k search MaxScore tells it the threshold (set_min_competitive):
// a clause whose bound cannot lift a document in is dropped for the rest
// of the search. Since a document's score is one clause's, a dropped
// clause could only have given a score under the threshold, so the top k
// is exactly the exhaustive search's; the dropped clauses' documents go
// uncounted. A word's variants (boosted 1/2, 1/3) are dropped as soon as
// the top k is full of documents with the word itself.
#pragma once

#include <cstdint>
#include <vector>

#include "search/scorer.h"

namespace scry {

class DisMaxScorer final : public Scorer {
 public:
  explicit DisMaxScorer(ScorerList clauses);

  void next() override;
  void seek(uint32_t target) override;
  double score() override;
  // The largest bound of the clauses not dropped.
  double max_score() const override;
  // Block-max bounds over the clauses not dropped: a document's score is
  // one clause's, so up to the first block end of any of them it is at
  // most the largest of their block maxima (what lets MaxScore skip the
  // blocks of a fuzzy word's expansions as it skips an exact word's).
  void shallow_seek(uint32_t target) override;
  uint32_t block_end() const override;
  double block_max() const override;
  bool set_min_competitive(double others, double threshold) override;
  // The shares of the clause that gives the current doc its score.
  void explain(std::vector<TermExplain>* out) override;
  Status status() const override;

 private:
  // doc_: the least doc of the active clauses.
  void settle();

  ScorerList clauses_;
  std::vector<Scorer*> active_;  // The clauses not dropped.
};

}  // namespace scry
