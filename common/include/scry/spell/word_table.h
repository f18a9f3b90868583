// WordTable: the words of an index in memory, for spelling suggestions
// (docs/SPELLING.md): the word dictionaries of all its segments (of all
// shards of a sharded index) merged, counts summed, so that the table of
// several segments equals the table of one rebuilt index.
//
// Thread safety: immutable once loaded; const methods may be called from
// several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/util/status.h"

namespace scry {

// Words rarer than this are never proposed (docs/SPELLING.md, "Candidates").
inline constexpr uint64_t kMinCandidateFrequency = 3;

class WordTable {
 public:
  // Merges the word dictionaries of `index`'s segments. Errors:
  // NotSupported "suggestions unavailable: segment NAME has no word
  // dictionary ..." when a segment has none; Corruption naming the file.
  static Result<std::unique_ptr<WordTable>> load(const IndexReader& index);

  // A table of the given words and counts (for tests): words in any order,
  // repeated ones summed, zero counts ignored.
  static std::unique_ptr<WordTable> from_counts(
      const std::vector<std::pair<std::string, uint64_t>>& counts);

  size_t size() const { return offsets_.size(); }
  std::string_view word(size_t i) const {
    return std::string_view(arena_).substr(offsets_[i], lengths_[i]);
  }
  uint64_t count(size_t i) const { return counts_[i]; }
  // Occurrences of `word` in the index (0 when absent).
  uint64_t count_of(std::string_view word) const;
  // Occurrences of all words.
  uint64_t total() const { return total_; }

  // The words occurring at least kMinCandidateFrequency times, as indexes
  // into the table, in byte order of their words.
  const std::vector<uint32_t>& candidates() const { return candidates_; }

  // The candidates whose word, or the word without one of its code points,
  // hashes to `key_hash` (std::hash of the string), in no order: the index
  // of symmetric deletions that finds the words within one edit
  // (spell_candidates_near, candidates.h). May hold other words (hash
  // collisions): callers check the distance. The index is built by the
  // first call (about 60% of a load's time: a process that corrects a few
  // words does better with the automaton walk, spell_candidates).
  std::vector<uint32_t> with_deletion_hash(uint64_t key_hash) const;

 private:
  WordTable() = default;
  void append(std::string_view word, uint64_t count);
  void finish();
  void build_deletion_index() const;

  std::string arena_;
  std::vector<uint64_t> offsets_;
  std::vector<uint8_t> lengths_;
  std::vector<uint64_t> counts_;
  std::vector<uint32_t> candidates_;
  // The hashes of each candidate's word and of each of its deletions of one
  // code point, with the candidate: entries [bucket_starts_[b],
  // bucket_starts_[b + 1]) of deletion_hashes_ and deletion_words_ are those
  // whose hash >> bucket_shift_ is b. Built once, by the first
  // with_deletion_hash() (deletion_index_once_).
  mutable std::once_flag deletion_index_once_;
  mutable int bucket_shift_ = 63;
  mutable std::vector<size_t> bucket_starts_ = {0, 0, 0};
  mutable std::vector<uint64_t> deletion_hashes_;
  mutable std::vector<uint32_t> deletion_words_;
  uint64_t total_ = 0;
};

}  // namespace scry
