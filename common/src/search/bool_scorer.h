// BoolScorer: must / should / must_not clauses of one segment. A document
// matches when it matches every must clause (or, without any, at least one
// should clause) and no must_not clause; it scores the sum of the scores
// of the must and should clauses it matches. With must clauses, the should
// clauses only add to the score: they are moved to the current doc when it
// is scored (or explained), not at every step of the must clauses' search.
#pragma once

#include <cstdint>
#include <vector>

#include "search/scorer.h"

namespace scry {

class BoolScorer final : public Scorer {
 public:
  BoolScorer(ScorerList must, ScorerList should, ScorerList must_not);

  void next() override;
  void seek(uint32_t target) override;
  double score() override;
  double max_score() const override;
  // The scoring clauses' blocks: bounded up to where the first one ends.
  void shallow_seek(uint32_t target) override;
  uint32_t block_end() const override;
  double block_max() const override;
  void explain(std::vector<TermExplain>* out) override;
  Status status() const override;

 private:
  // Finds the first doc >= target that matches and positions the must
  // clauses (without must clauses, the should clauses) on it.
  void settle(uint32_t target);
  uint32_t min_should() const;
  // Whether this Bool's documents are those of its required leaves: it has
  // must clauses and no must_not clause.
  bool conjunction() const { return !must_.empty() && must_not_.empty(); }

  ScorerList must_;
  ScorerList should_;
  ScorerList must_not_;
  // The conjunction searched for the must clauses: a must clause that is
  // itself a conjunction() Bool (a required word's text and title pair)
  // gives its required leaves, so that the leapfrog runs over the leaves
  // without a virtual seek and settle per nested Bool; `nested` are those
  // Bools, put on each doc found.
  std::vector<Scorer*> required_;
  std::vector<BoolScorer*> nested_;
};

}  // namespace scry
