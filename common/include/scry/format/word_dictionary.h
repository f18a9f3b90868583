// The word dictionary of a segment, NAME.words (docs/FORMAT.md, "NAME.words";
// docs/SPELLING.md): the segment's distinct surface words (normalised,
// before stemming and the stop list) in byte order, each with the number of
// times it occurs, in front-coded blocks of kWordsPerBlock words.
//
// Thread safety: the writer is not thread-safe; a reader's methods are const
// and may be called from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "scry/util/file.h"
#include "scry/util/status.h"

namespace scry {

// Words per front-coded block (the first word of a block is written whole).
inline constexpr uint32_t kWordsPerBlock = 64;

class WordDictionaryWriter {
 public:
  // Writes into `out`, which must be empty; finish() closes it.
  explicit WordDictionaryWriter(FileWriter* out) : out_(out) {}

  // REQUIRES: words in strictly increasing byte order, non-empty; count >= 1.
  void add(std::string_view word, uint64_t count);
  // Writes the block offsets and the trailer, then finishes the file.
  Status finish();

  uint64_t word_count() const { return words_; }

 private:
  void flush_block();

  FileWriter* out_;
  std::string block_;
  std::string last_;
  std::string offsets_;  // u64 file offset of every block.
  uint64_t words_ = 0;
  uint64_t total_ = 0;
  uint32_t blocks_ = 0;
};

class WordDictionaryReader {
 public:
  // Checks the trailer and the block table of `file` (kind kKindWords),
  // which must outlive the reader. Errors: Corruption naming the file.
  static Result<WordDictionaryReader> open(const MappedFile& file);

  uint64_t word_count() const { return words_; }
  uint64_t total_count() const { return total_; }

  // Reads the words in order. Each is checked as it is read: a damaged
  // block ends the walk with Corruption naming the file.
  class Iterator {
   public:
    // Advances to the next word; false at the end or on damage (status()).
    bool next();
    std::string_view word() const { return word_; }
    uint64_t count() const { return count_; }
    const Status& status() const { return status_; }

   private:
    friend class WordDictionaryReader;
    explicit Iterator(const WordDictionaryReader* reader) : r_(reader) {}
    bool fail(const char* what);

    const WordDictionaryReader* r_;
    uint64_t index_ = 0;  // Words read so far.
    const uint8_t* p_ = nullptr;
    const uint8_t* limit_ = nullptr;
    std::string word_;
    std::string last_;  // The word before word_ (its buffer reused).
    uint64_t count_ = 0;
    uint64_t total_ = 0;
    Status status_;
  };
  Iterator begin() const { return Iterator(this); }

  // Reads every word: order, counts and the total. Errors: Corruption.
  Status verify() const;

 private:
  WordDictionaryReader() = default;
  const MappedFile* file_ = nullptr;
  uint64_t words_ = 0;
  uint64_t total_ = 0;
  uint32_t blocks_ = 0;
  size_t table_ = 0;  // Offset of the block table (where the blocks end).
};

}  // namespace scry
