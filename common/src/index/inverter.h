// Inverter: the in-memory postings of the documents added since the last
// flush, keyed by term key (field byte + term).
//
// Each term's postings are one byte string in the "posting stream" encoding
// shared with run files (docs/FORMAT.md, "Build-time runs"): per document
// varint(doc - previous doc) (the previous doc starts at -1), varint tf,
// then tf varints of position gaps (the first from 0).
//
// Entries are found through a hash of the term (term_hash()) mixed with the
// field; callers that know the term's hash already (the parallel build
// computes it while analyzing, to pick the shard that owns the term) pass it
// in instead of having it computed again.
//
// Thread safety: single-threaded; distinct Inverters may be used by distinct
// threads at the same time (the parallel build has one per shard).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/format/format.h"
#include "util/huge_pages.h"

namespace scry {

class Inverter {
 public:
  // 128 bytes, aligned: two cache lines (not three). A token touches only
  // the first (the key and the current document's count); end_document()
  // the second too (the stream).
  struct alignas(64) Entry {
    std::string key;        // Field byte + term.
    int64_t last_doc = -1;  // Last doc appended.
    uint64_t cf = 0;
    uint32_t df = 0;
    // The current document's occurrences, flushed by end_document().
    uint32_t pending_tf = 0;
    // end_document(): where the entry's positions start among the
    // document's positions grouped by entry.
    uint32_t pending_at = 0;
    std::string stream;  // Posting stream (see above).
  };
  static_assert(sizeof(Entry) == 128);

  // Starts collecting the tokens of document `doc`.
  // REQUIRES: doc greater than every doc added before.
  void begin_document(uint32_t doc);
  // Records one token of the current document.
  // REQUIRES: positions of one term are added in increasing order.
  void add_token(Field field, std::string_view term, uint32_t position) {
    add_token(field, term, term_hash(term), position);
  }
  // The same with the term's hash given. REQUIRES: hash == term_hash(term).
  void add_token(Field field, std::string_view term, uint64_t hash, uint32_t position);
  // The hash add_token() uses (xxh3-64 of the term's bytes).
  static uint64_t term_hash(std::string_view term);
  // Hints that add_token(field, term, hash, ...) comes soon, to hide the
  // cache misses of a large table: prefetch_slot() loads the slot where its
  // search starts; prefetch_entry(), once that slot is loaded, the entry it
  // points at. They change nothing else, however far ahead they are called.
  void prefetch_slot(Field field, uint64_t hash) const {
    if (slot_count_ == 0) return;
    __builtin_prefetch(&slots_[key_hash(field, hash) & (slot_count_ - 1)]);
  }
  void prefetch_entry(Field field, uint64_t hash) const {
    if (slot_count_ == 0) return;
    const uint64_t slot = slots_[key_hash(field, hash) & (slot_count_ - 1)];
    if (slot == 0) return;
    __builtin_prefetch(&entry(static_cast<uint32_t>(slot) - 1));
  }
  // Appends the current document's postings to the term streams.
  void end_document();

  // Estimated heap bytes held (keys, streams and table overhead).
  size_t memory_bytes() const { return memory_; }
  bool empty() const { return size_ == 0; }

  // The entries sorted by key. Pointers stay valid until clear().
  std::vector<std::pair<std::string_view, const Entry*>> sorted() const;
  // Drops every entry and releases the memory.
  void clear();

 private:
  // Returns the index of the entry of key (field, term) and the entry,
  // adding it when new; `hash` is key_hash(field, term_hash(term)).
  std::pair<uint32_t, Entry*> find_or_add(Field field, std::string_view term, uint64_t hash);
  void grow();
  static uint64_t key_hash(Field field, uint64_t term_hash) {
    // Different per field in both halves (slot index and tag), so that a
    // title key and the text key of the same term do not collide.
    return term_hash ^ (uint64_t{static_cast<uint8_t>(field)} + 1) * 0x9E3779B97F4A7C15ull;
  }

  // Open addressing: a slot is (high 32 bits of the key's hash) << 32 |
  // (entry index + 1), 0 when empty. Comparing the stored hash first means
  // a probe touches the entry (and its key) almost only on a real match;
  // the slots stay small enough to sit in cache (and in huge pages, see
  // util/huge_pages.h).
  HugePageArray<uint64_t> slots_;
  size_t slot_count_ = 0;  // A power of two, or 0.
  // Entries in chunks that never move: 64, 128, ..., 4096 entries, then
  // 4096 each. Growing never copies them, so memory never briefly doubles
  // (a vector's reallocation did, past the budget), and a small Inverter
  // (a shard's, or under a small budget) stays small.
  static constexpr uint32_t kFirstChunkBits = 6;
  static constexpr uint32_t kChunkBits = 12;
  static constexpr uint32_t kGrowingChunks = kChunkBits - kFirstChunkBits + 1;
  static constexpr uint32_t kGrowingEntries = (2u << kChunkBits) - (1u << kFirstChunkBits);
  // (chunk, index in the chunk) of entry `index`.
  static std::pair<uint32_t, uint32_t> locate(uint32_t index) {
    if (index < kGrowingEntries) {
      uint32_t j = index + (1u << kFirstChunkBits);
      uint32_t chunk = static_cast<uint32_t>(std::bit_width(j)) - 1 - kFirstChunkBits;
      return {chunk, j - (1u << (chunk + kFirstChunkBits))};
    }
    uint32_t rest = index - kGrowingEntries;
    return {kGrowingChunks + (rest >> kChunkBits), rest & ((1u << kChunkBits) - 1)};
  }
  static size_t chunk_entries(size_t chunk) {
    return size_t{1} << (chunk < kGrowingChunks ? chunk + kFirstChunkBits : kChunkBits);
  }
  Entry& entry(uint32_t index) {
    auto [chunk, i] = locate(index);
    return chunks_[chunk][i];
  }
  const Entry& entry(uint32_t index) const {
    auto [chunk, i] = locate(index);
    return chunks_[chunk][i];
  }
  std::vector<std::unique_ptr<Entry[]>> chunks_;
  uint32_t size_ = 0;
  // The current document: its entries in the order of their first
  // occurrence, and its tokens in the order added (end_document() groups
  // their positions by entry into grouped_, in that order). Outside the
  // budget, like the analyzer's buffers: bounded by the document's size.
  struct Occurrence {
    uint32_t entry;  // Its index.
    uint32_t position;
  };
  std::vector<Entry*> touched_;
  std::vector<Occurrence> occurrences_;
  std::vector<uint32_t> grouped_;
  std::string scratch_;  // end_document(): one entry's posting, then appended.
  uint32_t doc_ = 0;
  size_t memory_ = 0;
};

}  // namespace scry
