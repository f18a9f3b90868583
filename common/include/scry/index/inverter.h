// Inverter: the in-memory postings of the documents added since the last
// flush, keyed by term key (field byte + term).
//
// Each term's postings are one byte string in the "posting stream" encoding
// shared with run files (docs/FORMAT.md, "Build-time runs"): per document
// varint(doc - previous doc) (the previous doc starts at -1), varint tf,
// then tf varints of position gaps (the first from 0).
//
// Thread safety: single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/format/format.h"

namespace scry {

class Inverter {
 public:
  struct Entry {
    std::string key;        // Field byte + term.
    std::string stream;     // Posting stream (see above).
    int64_t last_doc = -1;  // Last doc appended.
    uint32_t df = 0;
    uint64_t cf = 0;
    // The current document's occurrences, flushed by end_document().
    std::string pending;  // Position gaps, varint.
    uint32_t pending_tf = 0;
    uint32_t pending_last = 0;  // Last position added.
  };

  // Starts collecting the tokens of document `doc`.
  // REQUIRES: doc greater than every doc added before.
  void begin_document(uint32_t doc);
  // Records one token of the current document.
  // REQUIRES: positions of one term are added in increasing order.
  void add_token(Field field, std::string_view term, uint32_t position);
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
  // Returns the entry of `key`, adding it when new.
  uint32_t find_or_add(std::string_view key);
  void grow();

  // Open addressing: a slot is (high 32 bits of the key's hash) << 32 |
  // (entry index + 1), 0 when empty. Comparing the stored hash first means
  // a probe touches the entry (and its key) almost only on a real match;
  // the slots stay small enough to sit in cache.
  std::vector<uint64_t> slots_;
  // Entries in fixed chunks: growing never copies them, so memory never
  // briefly doubles (a vector's reallocation did, past the budget).
  static constexpr uint32_t kChunkBits = 12;
  Entry& entry(uint32_t index) {
    return chunks_[index >> kChunkBits][index & ((1u << kChunkBits) - 1)];
  }
  std::vector<std::unique_ptr<Entry[]>> chunks_;
  uint32_t size_ = 0;
  std::vector<uint32_t> touched_;  // Entries with occurrences in the current document.
  std::string key_;
  uint32_t doc_ = 0;
  size_t memory_ = 0;
};

}  // namespace scry
