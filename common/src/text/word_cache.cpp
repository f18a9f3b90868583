#include "text/word_cache.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <utility>
#include <vector>

namespace scry {

namespace {
constexpr size_t kFirstCells = 1024;
// From this many cells (2 MiB, a huge page) the table grows straight to the
// most it can need. Memory touched for the first time is dear (a huge page
// zeroed, and on a virtual machine often backed by the host then): the
// tables of 4 and 8 MiB a Wikipedia build went through on its way to 16 MiB
// cost each analysis thread 12 MiB of such pages.
constexpr size_t kLastDoublingCells = size_t{1} << 15;
}  // namespace

uint64_t WordCache::word_hash(std::string_view word) {
  return XXH3_64bits(word.data(), word.size());
}

WordCache::Cell* WordCache::add(std::string_view word, uint64_t hash, bool stop,
                                std::string_view term) {
  if (size_ >= max_words_) forget();
  if ((size_ + 1) * 2 > capacity_) grow();
  size_t i = hash & mask_;
  while (cells_[i].word_len != 0) i = (i + 1) & mask_;
  Cell& c = cells_[i];
  c.found = false;
  c.tag = static_cast<uint32_t>(hash >> 32);
  c.word_len = static_cast<uint8_t>(word.size());
  c.term_len = static_cast<uint8_t>(term.size());
  c.stop = stop;
  c.count = 0;
  c.term_hash = XXH3_64bits(term.data(), term.size());
  c.in_arena = word.size() + term.size() > kInlineBytes;
  char* bytes = c.bytes;
  if (c.in_arena) {
    c.offset = static_cast<uint32_t>(arena_.size());
    arena_.resize(arena_.size() + word.size() + term.size());
    bytes = arena_.data() + c.offset;
  }
  std::memcpy(bytes, word.data(), word.size());
  std::memcpy(bytes + word.size(), term.data(), term.size());
  ++size_;
  return &c;
}

void WordCache::give(Cell* c) {
  counter_(word_of(*c), c->count);
  c->count = 0;
}

void WordCache::set_counter(Counter counter) {
  drain();
  counter_ = std::move(counter);
}

void WordCache::drain() {
  if (!counter_) return;
  for (size_t i = 0; i < capacity_; ++i) {
    if (cells_[i].word_len != 0 && cells_[i].count != 0) give(&cells_[i]);
  }
}

void WordCache::forget() {
  std::vector<Cell> kept;
  std::string arena;
  for (size_t i = 0; i < capacity_; ++i) {
    Cell& c = cells_[i];
    if (c.word_len == 0) continue;
    if (c.found && kept.size() < max_words_ / 2) {
      kept.push_back(c);
      Cell& k = kept.back();
      k.found = false;
      if (k.in_arena) {
        k.offset = static_cast<uint32_t>(arena.size());
        arena.append(arena_, c.offset, size_t{c.word_len} + c.term_len);
      }
    } else if (c.count != 0) {
      give(&c);
    }
  }
  std::fill_n(cells_.get(), capacity_, Cell{});
  arena_ = std::move(arena);
  for (const Cell& c : kept) place(c);
  size_ = kept.size();
}

void WordCache::place(const Cell& c) {
  size_t i = word_hash(word_of(c)) & mask_;
  while (cells_[i].word_len != 0) i = (i + 1) & mask_;
  cells_[i] = c;
}

void WordCache::grow() {
  HugePageArray<Cell> old = std::move(cells_);
  const size_t old_capacity = capacity_;
  if (capacity_ == 0) {
    capacity_ = kFirstCells;
  } else if (capacity_ < kLastDoublingCells) {
    capacity_ *= 2;
  } else {
    // Room for max_words at most half full (see add()).
    capacity_ = std::max(capacity_ * 2, std::bit_ceil(max_words_ * 2));
  }
  mask_ = capacity_ - 1;
  cells_ = make_zeroed_table<Cell>(capacity_);
  for (size_t n = 0; n < old_capacity; ++n) {
    if (old[n].word_len != 0) place(old[n]);
  }
}

}  // namespace scry
