// WordCounter: the surface words of a segment with their counts, kept while
// a segment is built and written as NAME.words when it is finished
// (docs/SPELLING.md, "The words of an index").
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
#include <unordered_map>

#include "scry/util/status.h"
#include "util/thread_pool.h"

namespace scry {

class WordCounter {
 public:
  // Counts `count` occurrences of `word` (ignored when empty).
  void add(std::string_view word, uint64_t count = 1);
  size_t size() const { return counts_.size(); }
  // Bytes held, roughly.
  size_t memory_bytes() const { return bytes_; }

  // Writes the words of all `counters` in byte order, each with the sum of
  // its counts, to `path` (kind kKindWords): each counter is sorted on its
  // own (on the pool's threads when there is a pool), then the sorted
  // lists are merged. Sets *words to the number of distinct words and
  // *file_bytes to the file's size.
  static Status write(std::span<const WordCounter> counters, ThreadPool* pool,
                      const std::string& path, uint64_t* words, uint64_t* file_bytes);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint64_t, Hash, std::equal_to<>> counts_;
  size_t bytes_ = 0;
};

}  // namespace scry
