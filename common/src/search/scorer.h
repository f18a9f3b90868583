// Scorer: a document-at-a-time iterator over the documents of one segment
// that match a query node, with their scores and score bounds. Scorers are
// built for each segment from the query's Weight (scorer_builder.h); the
// searcher walks them exhaustively or with MaxScore (max_score.h).
//
// Thread safety: a Scorer belongs to one search on one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "scry/format/postings.h"
#include "scry/search/searcher.h"
#include "scry/util/status.h"

namespace scry {

// The doc id past the last document: an exhausted scorer's doc().
inline constexpr uint32_t kEnd = PostingsCursor::kEnd;

// One clause's column of an inner window of MaxScore (max_score.cpp): the
// scores of its documents in [from, from + 64 * words) by slot (doc - from),
// with a bit per slot in `hit` (this clause matches) and in `any` (some
// clause does). Written by Scorer::collect.
struct WindowColumn {
  uint32_t from;
  double* score;
  uint64_t* hit;
  uint64_t* any;
  void add(uint32_t doc, double s) const {
    const uint32_t slot = doc - from;
    const uint64_t bit = uint64_t{1} << (slot % 64);
    score[slot] = s;
    hit[slot / 64] |= bit;
    any[slot / 64] |= bit;
  }
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  // The current matching doc, or kEnd.
  uint32_t doc() const { return doc_; }
  virtual void next() = 0;
  // Moves to the first matching doc >= target (never backwards).
  virtual void seek(uint32_t target) = 0;
  // The current doc's score. REQUIRES: doc() != kEnd.
  virtual double score() = 0;
  // An upper bound of score() over every document (for dynamic pruning).
  virtual double max_score() const = 0;
  // Block-max bounds: after shallow_seek(target), block_max() bounds the
  // score of every doc in [target, block_end()]. Only seek(t >= target) may
  // follow (doc() may be stale until then). By default one block spans
  // everything, bounded by max_score().
  virtual void shallow_seek(uint32_t) {}
  virtual uint32_t block_end() const { return kEnd; }
  virtual double block_max() const { return max_score(); }
  // Adds every matching doc up to `to` with its score to `column`, in
  // order, and moves past them; returns how many. The same as score() and
  // next() while doc() <= to, which is what it does unless overridden.
  // REQUIRES: `column` covers [doc(), to].
  virtual uint32_t collect(uint32_t to, const WindowColumn& column) {
    uint32_t added = 0;
    for (; doc_ <= to; next(), ++added) column.add(doc_, score());
    return added;
  }
  // In a top-k search: a document of this scorer can enter only if its
  // score plus `others` (a bound of every other clause's score) reaches
  // `threshold`, which only rises. The scorer may stop matching documents
  // that could only score less, moving forward to its next document that
  // still can; returns true when it did (the count of matches is then a
  // lower bound). By default it keeps matching everything.
  virtual bool set_min_competitive(double /*others*/, double /*threshold*/) { return false; }
  // Appends the scoring leaves' shares at the current doc.
  virtual void explain(std::vector<TermExplain>* out) = 0;
  // The first corruption met, if any.
  virtual Status status() const = 0;

 protected:
  uint32_t doc_ = kEnd;
};

using ScorerList = std::vector<std::unique_ptr<Scorer>>;

// Matches no document (a term absent from the segment, an empty Bool).
class NothingScorer final : public Scorer {
 public:
  void next() override {}
  void seek(uint32_t) override {}
  double score() override { return 0; }
  double max_score() const override { return 0; }
  void explain(std::vector<TermExplain>*) override {}
  Status status() const override { return Status::ok(); }
};

// Whether any of `scorers` matches `doc` (seeking them to it): the
// exclusion test of must_not clauses.
inline bool any_at(const ScorerList& scorers, uint32_t doc) {
  for (const auto& s : scorers) {
    s->seek(doc);
    if (s->doc() == doc) return true;
  }
  return false;
}

}  // namespace scry
