// WordCounter: the surface words of a segment with their counts, kept while
// a segment is built and written as NAME.words when it is finished
// (docs/SPELLING.md, "The words of an index").
//
// The words sit in one arena, found through an open-addressing table of
// 16-byte (count, word, hash tag) slots (an unordered_map's nodes cost a
// cache miss and an allocation a word, and more memory).
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
  // REQUIRES: word.size() <= kMaxWordBytes.
  void add(std::string_view word, uint64_t count = 1);
  static constexpr size_t kMaxWordBytes = 255;
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
    uint64_t count;
    // The word's offset in arena_ (40 bits), its length (8 bits, 0: an
    // empty slot) and 16 bits of its hash, to skip most other words.
    uint64_t where;
  };
  static constexpr uint64_t kOffsetBits = 40;
  static uint64_t tag_of(uint64_t hash) { return hash >> 48 << 48; }
  std::string_view word_of(const Slot& s) const {
    return {arena_.data() + (s.where & ((uint64_t{1} << kOffsetBits) - 1)),
            static_cast<size_t>(s.where >> kOffsetBits & 0xff)};
  }
  static bool empty(const Slot& s) { return (s.where >> kOffsetBits & 0xff) == 0; }
  void grow();

  std::string arena_;
  std::vector<Slot> slots_;  // A power of two, at least half empty.
  size_t size_ = 0;
};

}  // namespace scry
