// MergingIterator: the k-way merge of sorted child iterators, giving the
// entries of all the children in key order, as leveldb's table/merger.h
// does. Entries with equal keys come in child order (the first child's
// first), and one child's entries in its own order: the result is that of
// concatenating the children's entries in child order and sorting them by
// key with a stable sort (tests/common/merging_iterator_test.cpp checks
// this). Callers that combine the entries of one key (the build's final
// merge of its runs, the segment merger) rely on that order: the postings
// of one key arrive in doc-id order.
//
// A child is any type with
//   bool valid() const;  // On an entry.
//   key() const;         // The entry's key, a string or string_view whose
//                        // bytes stay put until the child's next().
//   void next();         // To the next entry.
//   status() const;      // A Status: non-OK when an error stopped it.
// given positioned on its first entry (invalid when it has none); a child
// that meets an error becomes invalid with a non-OK status. The builder's
// run and memory sources and TermDictionaryReader::Iterator are children.
//
// It keeps the children's current keys in a binary heap: next() costs
// O(log k) key comparisons for k children. Keys compare bytewise.
//
// Thread safety: single-threaded, as the children are.
#pragma once

#include <cassert>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/util/status.h"

namespace scry {

template <typename Child>
class MergingIterator {
 public:
  // Merges `children` (not owned; they must outlive the iterator, and only
  // the iterator may move them while it is in use). A child whose status is
  // not OK ends the merge at once (see status()); the children after it are
  // not looked at.
  // REQUIRES: each child's keys in non-decreasing order.
  explicit MergingIterator(std::vector<Child*> children) : children_(std::move(children)) {
    heap_.reserve(children_.size());
    for (size_t i = 0; i < children_.size(); ++i) {
      const Child& c = *children_[i];
      if (!c.status().is_ok()) {
        fail(c.status());
        return;
      }
      if (c.valid()) heap_.push_back({std::string_view(c.key()), i});
    }
    for (size_t i = heap_.size() / 2; i-- > 0;) sift_down(i);
  }

  // True while on an entry: false at the end, and after an error.
  bool valid() const { return !heap_.empty(); }
  // The current entry's key, valid until next(). REQUIRES: valid().
  std::string_view key() const {
    assert(valid());
    return heap_.front().key;
  }
  // Index in `children` of the child on the current entry (its other parts,
  // a value, are read from that child). REQUIRES: valid().
  size_t child() const {
    assert(valid());
    return heap_.front().child;
  }
  // Moves to the next entry: advances the current child. If that child
  // meets an error, the iterator becomes invalid and status() returns it.
  // REQUIRES: valid().
  void next() {
    assert(valid());
    Child& c = *children_[heap_.front().child];
    c.next();
    if (c.valid()) {
      heap_.front().key = std::string_view(c.key());
    } else if (!c.status().is_ok()) {
      fail(c.status());
      return;
    } else {
      heap_.front() = heap_.back();
      heap_.pop_back();
      if (heap_.empty()) return;
    }
    sift_down(0);
  }
  // OK, or the error of the child that ended the merge.
  const Status& status() const { return status_; }

 private:
  struct Head {
    std::string_view key;
    size_t child;
  };
  // Smallest key first, equal keys in child order.
  static bool before(const Head& a, const Head& b) {
    const int c = a.key.compare(b.key);
    return c < 0 || (c == 0 && a.child < b.child);
  }
  void sift_down(size_t i) {
    const size_t n = heap_.size();
    const Head head = heap_[i];
    for (;;) {
      size_t first = 2 * i + 1;
      if (first >= n) break;
      if (first + 1 < n && before(heap_[first + 1], heap_[first])) ++first;
      if (!before(heap_[first], head)) break;
      heap_[i] = heap_[first];
      i = first;
    }
    heap_[i] = head;
  }
  void fail(const Status& status) {
    status_ = status;
    heap_.clear();
  }

  std::vector<Child*> children_;
  std::vector<Head> heap_;  // A min-heap by before().
  Status status_;
};

}  // namespace scry
