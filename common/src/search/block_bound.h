// LeafContext and BlockBound: what a scoring leaf (a term or a phrase)
// needs to score in one segment, and its score bounds from the impacts
// stored in the index (docs/PRUNING.md).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "scry/codec/varint.h"
#include "scry/format/index_reader.h"
#include "scry/format/postings.h"
#include "scry/score/bm25.h"
#include "scry/search/weight.h"

namespace scry {

// A leaf's Weight, copied out for one segment.
struct LeafContext {
  LeafContext(const Weight& w, const SegmentReader& seg)
      : segment(&seg),
        lengths(seg.doc_lengths(w.field)),
        weight(w.bm25),
        field(w.field),
        boost(w.boost),
        idf(w.idf) {}

  // The score of a posting with `tf` occurrences in a document of `dl` tokens.
  double score(double tf, double dl) const { return boost * weight(idf, tf, dl); }
  // The length of `field` in `doc`.
  uint32_t length(uint32_t doc) const { return decode_fixed32(lengths + size_t{doc} * 4); }

  const SegmentReader* segment;
  const uint8_t* lengths;    // The segment's lengths of `field` (SegmentReader::doc_lengths).
  Bm25::FieldWeight weight;  // BM25 with the field's average length.
  Field field;
  double boost;
  double idf;
};

// A leaf's score bounds from one postings cursor's impacts: the score of a
// posting with (tf, dl) is at most boost * BM25(idf, tf, dl) maximised over
// the impacts of its block (of its list, `max_score`, for a short list).
// For a phrase, the cursor is its rarest term's: the phrase occurs at most
// as often as the term in each document.
class BlockBound {
 public:
  BlockBound(const LeafContext& ctx, double max_score) : ctx_(ctx), max_score_(max_score) {}
  double max_score() const { return max_score_; }
  void shallow_seek(PostingsCursor* cursor, uint32_t target) {
    cursor->shallow_seek(target);
    exhausted_before_ = cursor->doc() == PostingsCursor::kEnd || cursor->block_last_doc() < target;
  }
  uint32_t block_end(const PostingsCursor& cursor) const {
    return exhausted_before_ ? PostingsCursor::kEnd : cursor.block_last_doc();
  }
  double block_max(const PostingsCursor& cursor) const {
    if (exhausted_before_) return 0;
    const std::vector<Impact>& impacts = cursor.block_impacts();
    if (impacts.empty()) return max_score_;  // A short list: one block.
    if (cached_block_ != cursor.block_last_doc()) {
      cached_block_ = cursor.block_last_doc();
      cached_max_ = max_weight(ctx_, impacts);
    }
    return cached_max_;
  }
  // The largest score of the leaf over `impacts`.
  static double max_weight(const LeafContext& ctx, const std::vector<Impact>& impacts) {
    double max = 0;
    for (const Impact& i : impacts) max = std::max(max, ctx.score(i.tf, i.doc_len));
    return max;
  }

 private:
  LeafContext ctx_;
  double max_score_;
  bool exhausted_before_ = false;  // No posting at or after the shallow target.
  mutable uint32_t cached_block_ = PostingsCursor::kEnd;  // The block whose bound is cached_max_.
  mutable double cached_max_ = 0;
};

}  // namespace scry
