// BoolScorer: must / should / must_not clauses of one segment. A document
// matches when it matches every must clause (or, without any, at least one
// should clause) and no must_not clause; it scores the sum of the scores
// of the must and should clauses it matches. With must clauses, the should
// clauses only add to the score: they are moved to the current doc when it
// is scored (or explained), not at every step of the must clauses' search.
//
// In a top-k search (set_min_competitive), a Bool with must clauses whose
// required clauses hold most of its lead's documents (the lead: the
// required leaf of the largest bound) skips the documents that cannot
// enter before the must clauses agree on them: the lead is scored on each
// document it stands on, then the optional clauses (a required word's
// title pair, short lists) one by one while that could still drop it,
// each score taking the place of its block bound; the other required
// clauses seek to the document only when those scores and the others'
// block bounds may reach the threshold (after Lucene's
// BlockMaxConjunctionScorer; docs/PRUNING.md, "Required clauses"). Where
// they hold few, the leapfrog's own jumps skip more, and it runs as before.
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
  // With must clauses: skips, from now on, documents that cannot score
  // `threshold` - `others`, and returns true; without, returns false.
  bool set_min_competitive(double others, double threshold) override;
  void explain(std::vector<TermExplain>* out) override;
  Status status() const override;

 private:
  // Finds the first doc >= target that matches and positions the must
  // clauses (without must clauses, the should clauses) on it.
  void settle(uint32_t target);
  // The first doc >= target on which the required leaves agree and whose
  // score may reach the threshold, all of them left there; kEnd when none.
  uint32_t competitive_leapfrog(uint32_t target);
  // Bounds the clauses other than the lead from `doc` on, up to
  // others_end_: the sum of their block bounds in others_max_, each
  // optional clause's in optional_.
  void bound_others(uint32_t doc);
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
  // Pruning (set_min_competitive): required_[0] is then the lead; the
  // others' bounds hold for docs in [their shallow target, others_end_].
  bool pruning_ = false;
  double others_ = 0;     // The bound of the clauses outside this Bool.
  double threshold_ = 0;  // The top k's threshold.
  uint32_t others_end_ = 0;
  double others_max_ = 0;
  bool others_bounded_ = false;
  struct Optional {
    Scorer* scorer;
    double block_max;
    double rest;  // The block bounds of this clause and those after it.
  };
  std::vector<Optional> optional_;  // This Bool's and the nested Bools' should clauses.
  // The lead's documents the required clauses were sought to, and how many
  // of them they all held: documents are bounded while more than half did.
  uint32_t sought_ = 0;
  uint32_t held_ = 0;
};

}  // namespace scry
