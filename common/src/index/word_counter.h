// WordCounter: the surface words of a segment with their counts, kept while
// a segment is built and written as NAME.words when it is finished
// (docs/SPELLING.md, "The words of an index").
//
// The words sit in one arena, found through an open-addressing table of
// (hash, count, word) slots (an unordered_map's nodes cost a cache miss
// and an allocation a word).
//
// Thread safety: not thread-safe; the builder keeps one per analysis thread
// and writes their sum with write() (distinct counters are sorted on the
// pool's threads at once).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scry/util/status.h"
#include "util/thread_pool.h"

namespace scry {

class WordCounter {
 public:
  // Counts `count` occurrences of `word` (ignored when empty).
  void add(std::string_view word, uint64_t count = 1);
  size_t size() const { return size_; }
  // Bytes held, roughly.
  size_t memory_bytes() const { return arena_.capacity() + slots_.capacity() * sizeof(Slot); }

  // Writes the words of all `counters` in byte order, each with the sum of
  // its counts, to `path` (kind kKindWords): each counter is sorted on its
  // own (on the pool's threads when there is a pool), then the sorted
  // lists are merged. Sets *words to the number of distinct words and
  // *file_bytes to the file's size.
  static Status write(std::span<const WordCounter> counters, ThreadPool* pool,
                      const std::string& path, uint64_t* words, uint64_t* file_bytes);

 private:
  struct Slot {
    uint64_t hash;
    uint64_t count;
    uint32_t offset;  // The word's bytes in arena_.
    uint32_t len;     // 0: an empty slot.
  };
  std::string_view word_of(const Slot& s) const { return {arena_.data() + s.offset, s.len}; }
  void grow();

  std::string arena_;
  std::vector<Slot> slots_;  // A power of two, at least half empty.
  size_t size_ = 0;
};

}  // namespace scry
