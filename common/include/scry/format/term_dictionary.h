// The term dictionary (.terms): every term key of a segment in byte order,
// with its TermInfo, in front-coded blocks of kTermsPerBlock entries, plus a
// sparse index holding the first key of each block, and (format version 6)
// a trie of the keys with their df for fuzzy walks, and (version 7) a trie
// of the keys with their term's bytes reversed (docs/FORMAT.md,
// "seg1.terms").
//
// Opening reads only the sparse index; a lookup binary-searches it and
// scans one block.
//
// Thread safety: the writer is single-threaded; the reader is immutable
// after open() and may be shared, while each Iterator is single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/postings.h"
#include "scry/util/file.h"
#include "scry/util/status.h"

namespace scry {

class TermTrie;
class TermTrieBuilder;

class TermDictionaryWriter {
 public:
  // Writes to `out`, owned by the caller.
  explicit TermDictionaryWriter(FileWriter* out);
  ~TermDictionaryWriter();

  // REQUIRES: key greater (bytewise) than the previous key.
  void add(std::string_view key, const TermInfo& info);
  // Writes the last block, the sparse index, the tries and the trailer (not
  // the footer).
  void finish();

  uint64_t term_count() const { return count_; }

 private:
  void flush_block();

  FileWriter* out_;
  std::string block_;
  std::string last_key_;
  std::string index_;
  uint32_t in_block_ = 0;
  uint32_t blocks_ = 0;
  uint64_t count_ = 0;
  uint64_t prev_postings_ = 0;
  uint64_t prev_positions_ = 0;
  std::unique_ptr<TermTrieBuilder> trie_;
  // The reversed keys (reversed_key()), one after another, and for each
  // its first 8 bytes as an integer (order_prefix(), which sorts most keys
  // without comparing their bytes), its place in reversed_keys_, df and the
  // original key's code points: sorted and written as the second trie by
  // finish().
  struct Reversed {
    uint64_t prefix;
    uint64_t offset;
    uint32_t size;
    uint32_t df;
    uint64_t code_points;
  };
  std::string reversed_keys_;
  std::vector<Reversed> reversed_;
};

// A key of the trie of reversed keys: the field byte, then the term's code
// points last to first (each one's bytes in order), so that reversing it
// again gives the key back; a term that is not valid UTF-8 is kept as it
// is, after the byte kInvalidReversedMark (which valid UTF-8 never holds).
// REQUIRES: !key.empty().
inline constexpr char kInvalidReversedMark = '\xFF';
std::string reversed_key(std::string_view key);

class TermDictionaryReader {
 public:
  ~TermDictionaryReader();
  // Parses the sparse index of `file` (which must outlive the reader).
  // Errors: Corruption naming the file.
  static Result<std::unique_ptr<TermDictionaryReader>> open(const MappedFile& file);

  // The entry for `key`, nullopt when absent; without `with_impacts`, its
  // impacts are left empty (for callers that need only the frequencies and
  // offsets). Errors: Corruption.
  Result<std::optional<TermInfo>> find(std::string_view key, bool with_impacts = true) const;

  uint64_t term_count() const { return term_count_; }
  // The trie of the keys; nullptr in files older than format version 6.
  const TermTrie* trie() const { return trie_.get(); }
  // The trie of the reversed keys (reversed_key(), with the df and lengths
  // of the original keys); nullptr in files older than format version 7.
  const TermTrie* reversed_trie() const { return reversed_trie_.get(); }

  // Walks the keys in order from a starting point.
  class Iterator {
   public:
    // True while positioned on an entry.
    bool valid() const { return valid_; }
    const std::string& key() const { return key_; }
    const TermInfo& info() const { return info_; }
    void next();
    // Moves to the first key >= `key` from the current entry on (nowhere
    // when the current key is already >= `key`): within the current block
    // when `key` sorts before the next block's first key, else from the
    // start of the block holding it (binary search over the later blocks),
    // so a walk that seeks forward reads each block at most once.
    void seek_forward(std::string_view key);
    // From the next entry on, entries are read without their impacts
    // (info().impacts stays empty): for walks that need only keys and
    // frequencies, since impacts are most of a frequent term's entry.
    void skip_impacts() { with_impacts_ = false; }
    // Non-OK when corrupted data stopped the walk.
    const Status& status() const { return status_; }

   private:
    friend class TermDictionaryReader;
    Iterator(const TermDictionaryReader* reader, size_t block);
    bool load_block(size_t block);
    bool read_entry();

    const TermDictionaryReader* reader_;
    size_t block_;
    const uint8_t* p_ = nullptr;
    const uint8_t* block_end_ = nullptr;
    bool first_in_block_ = true;
    bool valid_ = false;
    bool with_impacts_ = true;
    std::string key_;
    TermInfo info_;
    Status status_;
  };

  // An iterator on the first key >= `key` (invalid when there is none).
  Iterator seek(std::string_view key) const;

 private:
  explicit TermDictionaryReader(const MappedFile& file);

  // A block: its offset in the file, and where its first key is in the
  // sparse index (from sparse_index_) and its size. 16 bytes a block, where
  // a string_view and an offset took 24: the fresh pages of this table were
  // most of open()'s time on a large index.
  struct BlockRef {
    uint64_t offset;
    uint32_t key;
    uint32_t key_size;
  };
  std::string_view first_key(size_t block) const {
    const BlockRef& b = blocks_[block];
    return {reinterpret_cast<const char*>(sparse_index_) + b.key, b.key_size};
  }
  // The first block from `from` on whose first key is > key (the number of
  // blocks when none is), by binary search.
  size_t first_block_after(std::string_view key, size_t from) const;
  // The Corruption of block `block`, naming the file.
  Status corrupted_block(size_t block) const;

  const MappedFile& file_;
  const uint8_t* sparse_index_ = nullptr;
  std::vector<BlockRef> blocks_;
  uint64_t index_offset_ = 0;
  uint64_t term_count_ = 0;
  std::unique_ptr<TermTrie> trie_;
  std::unique_ptr<TermTrie> reversed_trie_;
};

}  // namespace scry
