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
// does not enter.
class TopK {
 public:
  explicit TopK(size_t keep) : keep_(keep) {}
  // A score a new candidate must exceed to enter: -infinity until `keep`
  // candidates are held, +infinity when keep is 0.
  double threshold() const {
    if (keep_ == 0) return std::numeric_limits<double>::infinity();
    return heap_.size() < keep_ ? -std::numeric_limits<double>::infinity() : heap_.front().score;
  }
  void offer(const Candidate& c) {
    if (heap_.size() < keep_) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (keep_ > 0 && better(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  // The candidates, best first. Leaves the TopK empty.
  std::vector<Candidate> take() {
    std::sort(heap_.begin(), heap_.end(), better);
    return std::move(heap_);
  }

 private:
  size_t keep_;
  std::vector<Candidate> heap_;  // Worst candidate on top.
};

}  // namespace scry
