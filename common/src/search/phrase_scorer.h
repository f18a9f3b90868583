// PhraseScorer: the documents of one segment where a phrase's terms occur
// at their offsets from the first term, scored by BM25 as one term whose tf
// is the number of places the phrase occurs and whose idf is the sum of its
// terms' (the leaf's Weight).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "search/block_bound.h"
#include "search/scorer.h"

namespace scry {

class PhraseScorer final : public Scorer {
 public:
  // `infos` are the terms' entries in ctx.segment, `offsets` their
  // positions relative to the first term's (one each, the first 0);
  // `rarest` indexes the term with the fewest postings; `max_score` bounds
  // the phrase's score in the segment.
  PhraseScorer(const LeafContext& ctx, const std::vector<TermInfo>& infos,
               std::vector<uint32_t> offsets, size_t rarest, double max_score, std::string label);

  void next() override {
    if (doc_ != kEnd) advance(doc_ + 1);
  }
  void seek(uint32_t target) override {
    if (doc_ != kEnd && doc_ < target) advance(target);
  }
  double score() override { return ctx_.score(phrase_tf_, ctx_.length(doc_)); }
  double max_score() const override { return bound_.max_score(); }
  void shallow_seek(uint32_t target) override { bound_.shallow_seek(&cursors_[rarest_], target); }
  uint32_t block_end() const override { return bound_.block_end(cursors_[rarest_]); }
  double block_max() const override { return bound_.block_max(cursors_[rarest_]); }
  void explain(std::vector<TermExplain>* out) override;
  Status status() const override;

 private:
  // Moves to the first doc >= target where all terms occur and the phrase
  // does.
  void advance(uint32_t target);
  // Occurrences of the phrase in the current doc of every cursor.
  uint32_t count_phrases();

  LeafContext ctx_;
  std::vector<PostingsCursor> cursors_;
  std::vector<uint32_t> offsets_;  // One per cursor, from 0.
  size_t rarest_;
  std::vector<std::vector<uint32_t>> positions_;
  std::vector<size_t> at_;  // count_phrases(): each cursor's place in its positions.
  BlockBound bound_;
  std::string label_;
  uint32_t phrase_tf_ = 0;
  Status status_;
};

}  // namespace scry
