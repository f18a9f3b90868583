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
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/postings.h"
#include "scry/util/file.h"
#include "scry/util/status.h"

namespace scry {

class TermTrie;
class TermTrieBuilder;

// The keys of a dictionary with their terms reversed (reversed_key()), for
// its second trie: gathered in any order, sorted, and, with other such sets
// whose keys are all different, given to the trie in the keys' byte order.
// The parallel merge (index/run_merger.cpp) gathers and sorts each key
// range's set on the range's own thread, while the dictionary is written.
class ReversedKeys {
 public:
  // Adds `key` (a dictionary key, not reversed: the trie records its df and
  // its term's code points).
  void add(std::string_view key, uint32_t df);
  void sort();
  // Adds the keys of every set in `sets` (each sorted) to `trie`, in order.
  // REQUIRES: no key in two sets.
  static void add_to(std::span<const ReversedKeys> sets, TermTrieBuilder* trie);

 private:
  // Each key's first 8 bytes as an integer (order_prefix(), which orders
  // most keys without comparing their bytes), its place in keys_, df and
  // the original key's code points.
  struct Key {
    uint64_t prefix;
    uint64_t offset;
    uint32_t size;
    uint32_t df;
    uint64_t code_points;
  };
  std::string_view key_of(const Key& k) const {
    return std::string_view(keys_).substr(k.offset, k.size);
  }
  bool before(const Key& a, const ReversedKeys& b_set, const Key& b) const;

  std::string keys_;  // The reversed keys, one after another.
  std::vector<Key> list_;
};

class TermDictionaryWriter {
 public:
  // Writes to `out`, owned by the caller. With `reversed_apart`, the
  // reversed keys are not gathered by add(): the caller gathers them (a
  // ReversedKeys) and hands their trie to finish(reversed).
  explicit TermDictionaryWriter(FileWriter* out, bool reversed_apart = false);
  ~TermDictionaryWriter();

  // REQUIRES: key greater (bytewise) than the previous key.
  void add(std::string_view key, const TermInfo& info);
  // Writes the last block, the sparse index, the tries and the trailer (not
  // the footer). REQUIRES: !reversed_apart.
  void finish();
  // The same, with `reversed` (finished) as the trie of the reversed keys.
  // REQUIRES: reversed_apart; `reversed` holds every key added.
  void finish(const TermTrieBuilder& reversed);

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
  bool reversed_apart_;
  ReversedKeys reversed_;  // Unless reversed_apart_.
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
