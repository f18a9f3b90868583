// TopK: the best k candidates of a search, by score, ties by ascending
// global doc id (segment order, then doc id within the segment), so that
// results are deterministic.
//
// Thread safety: one search on one thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace scry {

// A candidate of the top-k.
struct Candidate {
  double score;
  uint64_t global_doc;  // The segment's first global doc id plus doc.
  uint32_t segment;
  uint32_t doc;
};

// Whether `a` ranks before `b`: higher score, then lower global doc id.
inline bool better(const Candidate& a, const Candidate& b) {
  return a.score != b.score ? a.score > b.score : a.global_doc < b.global_doc;
}

// The best `keep` candidates offered so far. Candidates are offered in
// ascending global doc order, so a later one that ties the worst kept one
// does not enter. With `by_document`, a document may be offered more than
// once (a search clause by clause, dis_max_search.h): it is held once, as
// the best of its offers.
class TopK {
 public:
  explicit TopK(size_t keep, bool by_document = false) : keep_(keep), by_document_(by_document) {}
  // A score a new candidate must exceed to enter: -infinity until `keep`
  // candidates are held, +infinity when keep is 0.
  double threshold() const {
    if (keep_ == 0) return std::numeric_limits<double>::infinity();
    return heap_.size() < keep_ ? -std::numeric_limits<double>::infinity() : heap_.front().score;
  }
  void offer(const Candidate& c) {
    if (heap_.size() < keep_) {
      if (by_document_ && raise(c)) return;
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (keep_ > 0 && better(c, heap_.front())) {
      if (by_document_ && raise(c)) return;
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  // The number of candidates held.
  size_t size() const { return heap_.size(); }
  // The candidates, best first. Leaves the TopK empty.
  std::vector<Candidate> take() {
    std::sort(heap_.begin(), heap_.end(), better);
    return std::move(heap_);
  }

 private:
  // When a candidate of c's document is held: keeps the better of the two
  // and returns true. A candidate that would not enter need not be looked
  // for: one held for its document ranks above the worst held, so above it.
  bool raise(const Candidate& c) {
    for (Candidate& held : heap_) {
      if (held.global_doc != c.global_doc) continue;
      if (better(c, held)) {
        held = c;
        std::make_heap(heap_.begin(), heap_.end(), better);
      }
      return true;
    }
    return false;
  }

  size_t keep_;
  bool by_document_;
  std::vector<Candidate> heap_;  // Worst candidate on top.
};

}  // namespace scry
