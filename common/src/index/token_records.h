// TokenRecords: how the parallel build's analysis (phase 1) hands a chunk's
// tokens to the shard that owns their terms (phase 2; docs/INDEXING.md,
// "Threads"): one byte stream per chunk and shard, kept small (memory is
// the cost of batching). A token's record is
//   header byte: term length (<= Analyzer::kMaxTermBytes) | kTitleToken for
//                a title token (indexed in the title and text fields),
//   the position (4 bytes), the term's hash (8 bytes, Inverter::term_hash)
//   and the term's bytes;
// the first record of each document is preceded by kNewDocument and the
// document's index in the batch (4 bytes). Fixed-size fields in host order.
//
// Thread safety: none; one writer, then readers once it is written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "scry/text/analyzer.h"
#include "util/short_bytes.h"

namespace scry {

inline constexpr uint8_t kTitleToken = 0x80;
inline constexpr uint8_t kNewDocument = 0xff;
static_assert(Analyzer::kMaxTermBytes < kTitleToken);

// Aligned to a cache line: the streams of chunks that different threads
// analyze at the same time are neighbours in memory, and their sizes change
// with every token.
class alignas(64) TokenRecords {
 public:
  // Empties the stream (keeping its buffer) for a new chunk.
  void clear() {
    size_ = 0;
    last_doc_ = UINT32_MAX;
  }
  // Appends the record of a token of document `doc` (its index in the
  // batch), after a kNewDocument marker when `doc` is not the last record's.
  // REQUIRES: term.size() <= Analyzer::kMaxTermBytes.
  void add(uint32_t doc, std::string_view term, uint64_t hash, uint32_t position, bool title) {
    char* p = room(5 + 13 + term.size());
    if (doc != last_doc_) {
      last_doc_ = doc;
      *p++ = static_cast<char>(kNewDocument);
      std::memcpy(p, &doc, 4);
      p += 4;
    }
    *p++ = static_cast<char>(term.size() | (title ? kTitleToken : 0));
    std::memcpy(p, &position, 4);
    std::memcpy(p + 4, &hash, 8);
    copy_bytes(p + 12, term.data(), term.size());
    size_ = static_cast<size_t>(p + 12 + term.size() - bytes_.get());
  }

  const char* data() const { return bytes_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

 private:
  // Where `n` more bytes can be written, growing the buffer if need be.
  char* room(size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return bytes_.get() + size_;
  }
  void grow(size_t n);

  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
  size_t capacity_ = 0;
  uint32_t last_doc_ = UINT32_MAX;
};

// Moves *p past the next token record of a stream (and the kNewDocument
// marker before it, if any) and sets *hash to its term's hash; false at the
// end of the stream.
inline bool next_token_hash(const char** p, const char* end, uint64_t* hash) {
  if (*p == end) return false;
  if (static_cast<uint8_t>(**p) == kNewDocument) *p += 5;  // A token record always follows.
  const auto header = static_cast<uint8_t>(**p);
  std::memcpy(hash, *p + 5, 8);
  *p += 13 + (header & (kTitleToken - 1));
  return true;
}

}  // namespace scry
