// WordCache: what the analyzer has learnt of the words it has seen, so that
// a word seen before costs one probe: whether it is a stop word, its term
// (the stem, or the word itself when it is a stop word or not stemmed), the
// term's hash (xxh3-64, what the index builder finds terms by) and how many
// times it was counted since its counts were last given to the counter
// (the index's words, docs/SPELLING.md).
//
// Open addressing over 64-byte cells, one cache line each, that hold the
// word and its term inline when they fit (kInlineBytes together), so that
// finding a word and reading its term touch one line (a table of slots,
// entries and an arena took three dependent cache misses a word). Longer
// words and terms go to an arena. At most `max_words` words: when full, the
// table keeps the words found again since they were added or last kept (at
// most half of max_words) and forgets the others, giving their counts to
// the counter first, so no count is lost and the frequent words need not
// be stemmed again. Memory: 64-byte cells, at least half of them empty:
// the table doubles from 1,024 cells to 32,768 (2 MiB), then takes at once
// the most it can need (max_words at half full: 16 MiB by default); and the
// arena.
//
// Thread safety: none; one per analyzer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "util/huge_pages.h"
#include "util/short_bytes.h"

namespace scry {

class WordCache {
 public:
  static constexpr size_t kInlineBytes = 39;
  struct alignas(64) Cell {
    uint32_t tag;      // The high half of the word's hash.
    uint8_t word_len;  // 0: an empty cell.
    uint8_t term_len;
    bool stop;      // A stop word.
    bool in_arena;  // The word and its term are at arena_[offset], not in `bytes`.
    uint32_t offset;
    uint32_t count;            // Occurrences counted since the last drain.
    uint64_t term_hash;        // XXH3-64 of the term.
    bool found;                // Found again since added or last kept (see the top).
    char bytes[kInlineBytes];  // The word, then its term, unless in_arena.
  };
  static_assert(sizeof(Cell) == 64);
  static constexpr size_t kDefaultMaxWords = size_t{1} << 17;
  // The longest word or term the table takes.
  static constexpr size_t kMaxBytes = 255;
  using Counter = std::function<void(std::string_view word, uint64_t count)>;

  explicit WordCache(size_t max_words = kDefaultMaxWords) : max_words_(max_words) {}

  // The hash find() and add() take: XXH3-64 of the word's bytes.
  static uint64_t word_hash(std::string_view word);

  // The cell of `word`, or nullptr; marks it found. The pointer, and the
  // views word_of() and term_of() return, stay valid until the next add().
  // REQUIRES: hash == word_hash(word).
  Cell* find(std::string_view word, uint64_t hash) {
    if (cells_ == nullptr) return nullptr;
    const auto tag = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Cell& c = cells_[i];
      if (c.word_len == 0) return nullptr;
      if (c.tag == tag && c.word_len == word.size() &&
          bytes_equal(c.in_arena ? arena_.data() + c.offset : c.bytes, word.data(), word.size())) {
        c.found = true;
        return &c;
      }
    }
  }
  // Hints that find(word, hash) comes soon: loads the cell where it starts.
  void prefetch(uint64_t hash) const {
    if (cells_ != nullptr) __builtin_prefetch(&cells_[hash & mask_]);
  }
  // Adds `word` (not present) with its term and a count of 0, and returns
  // its cell. When the table holds max_words words, first forgets some (see
  // the top). REQUIRES: hash == word_hash(word); 1 <= word.size(),
  // term.size() <= kMaxBytes.
  Cell* add(std::string_view word, uint64_t hash, bool stop, std::string_view term);

  // Counts one occurrence of the word of `c` (a cell of this table).
  // REQUIRES: a counter is set.
  void count(Cell* c) {
    if (++c->count == UINT32_MAX) give(c);
  }
  // Sets the function counts are given to (each word's count, possibly
  // several times), draining the counts not yet given to the previous one.
  void set_counter(Counter counter);
  bool counting() const { return static_cast<bool>(counter_); }
  // Gives the counter every count it has not been given yet.
  void drain();

  std::string_view word_of(const Cell& c) const {
    return {c.in_arena ? arena_.data() + c.offset : c.bytes, c.word_len};
  }
  std::string_view term_of(const Cell& c) const {
    return {(c.in_arena ? arena_.data() + c.offset : c.bytes) + c.word_len, c.term_len};
  }
  size_t size() const { return size_; }

 private:
  void give(Cell* c);
  // Keeps the words found again (at most max_words / 2) and forgets the
  // others, giving their counts to the counter.
  void forget();
  // Puts cell `c` (not in the table, with room for it) in its place.
  void place(const Cell& c);
  void grow();

  size_t max_words_;
  size_t size_ = 0;
  size_t capacity_ = 0;  // Cells, a power of two.
  size_t mask_ = 0;
  HugePageArray<Cell> cells_;  // Zeroed: empty.
  std::string arena_;
  Counter counter_;
};

}  // namespace scry
