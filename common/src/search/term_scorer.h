// TermScorer: the documents of one term's postings in one segment, scored
// by BM25 (with the leaf's idf, field and boost).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "search/block_bound.h"
#include "search/scorer.h"

namespace scry {

class TermScorer final : public Scorer {
 public:
  // `info` is the term's entry in ctx.segment; `max_score` bounds the
  // term's score in the segment.
  TermScorer(const LeafContext& ctx, const TermInfo& info, double max_score, std::string label)
      : ctx_(ctx),
        cursor_(ctx.segment->postings(info)),
        bound_(ctx, max_score),
        label_(std::move(label)) {
    doc_ = cursor_.doc();
  }
  void next() override {
    cursor_.next();
    doc_ = cursor_.doc();
  }
  void seek(uint32_t target) override {
    cursor_.seek(target);
    doc_ = cursor_.doc();
  }
  double score() override { return ctx_.score(cursor_.freq(), ctx_.length(doc_)); }
  // score() and next() in one loop, without a virtual call per posting.
  uint32_t collect(uint32_t to, const WindowColumn& column) override {
    uint32_t added = 0;
    for (; doc_ <= to; ++added) {
      column.add(doc_, ctx_.score(cursor_.freq(), ctx_.length(doc_)));
      cursor_.next();
      doc_ = cursor_.doc();
    }
    return added;
  }
  double max_score() const override { return bound_.max_score(); }
  void shallow_seek(uint32_t target) override { bound_.shallow_seek(&cursor_, target); }
  uint32_t block_end() const override { return bound_.block_end(cursor_); }
  double block_max() const override { return bound_.block_max(cursor_); }
  void explain(std::vector<TermExplain>* out) override {
    out->push_back({label_, ctx_.field, ctx_.idf, cursor_.freq(), ctx_.length(doc_), score()});
  }
  Status status() const override { return cursor_.status(); }

 private:
  LeafContext ctx_;
  PostingsCursor cursor_;
  BlockBound bound_;
  std::string label_;
};

}  // namespace scry
