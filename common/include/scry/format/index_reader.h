// IndexReader: an opened index directory (MANIFEST plus segments).
//
// open() maps every file and reads only the footers, the manifest and each
// term dictionary's sparse index, so it costs milliseconds whatever the
// index size; verify() recomputes every checksum.
//
// Errors name the file: NotFound ("idx/MANIFEST: missing file"), Corruption
// (truncated, altered or malformed), NotSupported (another format version
// or analyzer version; the message says to rebuild).
//
// Thread safety: immutable after open(), except that document() uses a
// per-segment decompression cache: call it from one thread at a time.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/codec/varint.h"
#include "scry/format/deletions.h"
#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/format/manifest.h"
#include "scry/format/postings.h"
#include "scry/format/term_dictionary.h"
#include "scry/format/word_dictionary.h"
#include "scry/util/file.h"
#include "scry/util/status.h"

namespace scry {

// The dictionary key of `term` in `field`.
std::string term_key(Field field, std::string_view term);

class SegmentReader {
 public:
  static Result<std::unique_ptr<SegmentReader>> open(const std::string& dir,
                                                     const SegmentMeta& meta);

  const SegmentMeta& meta() const { return meta_; }
  // Documents in the segment, deleted ones included (doc ids are below it).
  uint32_t doc_count() const { return meta_.documents; }
  // Whether `doc` is deleted (NAME.del). Deleted documents stay in the
  // postings and statistics until a merge but never match.
  bool is_deleted(uint32_t doc) const { return deletions_.contains(doc); }
  const Deletions& deletions() const { return deletions_; }

  // The dictionary entry of `term` in `field`; nullopt when absent. Without
  // `with_impacts` its impacts are left empty (TermDictionaryReader::find).
  Result<std::optional<TermInfo>> find(Field field, std::string_view term,
                                       bool with_impacts = true) const {
    return terms_->find(term_key(field, term), with_impacts);
  }
  // Walks dictionary keys from the first key >= `key`.
  TermDictionaryReader::Iterator terms_from(std::string_view key) const {
    return terms_->seek(key);
  }
  // The trie of the dictionary's keys; nullptr before format version 6.
  const TermTrie* term_trie() const { return terms_->trie(); }
  // The trie of the reversed keys; nullptr before format version 7.
  const TermTrie* reversed_term_trie() const { return terms_->reversed_trie(); }
  // A cursor on the postings of a term found in this segment.
  PostingsCursor postings(const TermInfo& info,
                          PostingsCursor::Impacts impacts = PostingsCursor::Impacts::kRead) const {
    return {*post_, *pos_, info, meta_.documents, impacts};
  }
  // The Pareto impacts of a term of `field`: from the dictionary for long
  // lists; for short ones (df < 128) computed from the postings and the
  // document lengths. Errors: Corruption.
  Result<std::vector<Impact>> term_impacts(Field field, const TermInfo& info) const;

  // Length (in tokens) of `doc` in `field`. REQUIRES: doc < doc_count().
  uint32_t doc_length(Field field, uint32_t doc) const {
    return decode_fixed32(doc_lengths(field) + size_t{doc} * 4);
  }
  // The lengths of `field`: doc's is decode_fixed32 of the 4 bytes at
  // doc * 4, for doc < doc_count().
  const uint8_t* doc_lengths(Field field) const {
    return norms_->data() + 8 + static_cast<size_t>(field) * meta_.documents * 4;
  }
  // The stored document. Errors: InvalidArgument, Corruption.
  Result<StoredDocument> document(uint32_t doc) const { return store_->get(doc); }
  // The same without its text (id, title, source and length only), which
  // never decompresses text chunks (nor anything, in a version 3 index).
  Result<StoredDocument> document_meta(uint32_t doc) const { return store_->get_meta(doc); }
  // The body's size, position and checkpoints (DocStoreReader::layout), and
  // bytes [begin, end) of it given its layout (DocStoreReader::read_body);
  // the forms with `out` reuse its memory.
  Result<TextLayout> text_layout(uint32_t doc,
                                 uint64_t through = std::numeric_limits<uint64_t>::max()) const {
    return store_->layout(doc, through);
  }
  Status text_layout(uint32_t doc, uint64_t through, TextLayout* out) const {
    return store_->layout(doc, through, out);
  }
  Status read_body(uint32_t doc, const TextLayout& layout, uint32_t begin, uint32_t end,
                   std::string* out) const {
    return store_->read_body(doc, layout, begin, end, out);
  }
  // DocStoreReader::prefetch_body.
  void prefetch_body(uint32_t doc) const { store_->prefetch_body(doc); }
  // The doc id of the document with external id `id` (the lowest when
  // several have it, deleted ones included), nullopt when none has.
  // Errors: Corruption.
  Result<std::optional<uint32_t>> find_document(std::string_view id) const {
    return store_->find_id(id);
  }

  // The segment's word dictionary (docs/SPELLING.md); nullptr when the
  // segment has none (written before word dictionaries existed).
  const WordDictionaryReader* words() const { return words_ ? &*words_ : nullptr; }

  // Recomputes the checksum of every file of the segment; returns how many
  // files it checked. Errors: Corruption naming the file.
  Result<size_t> verify() const;

 private:
  SegmentReader() = default;

  SegmentMeta meta_;
  std::unique_ptr<MappedFile> terms_file_, post_, pos_, store_file_, norms_;
  std::unique_ptr<MappedFile> deletions_file_;  // Only when meta_.deleted > 0.
  std::unique_ptr<MappedFile> words_file_;      // Only when meta_.has_words.
  std::optional<WordDictionaryReader> words_;
  Deletions deletions_;
  std::unique_ptr<TermDictionaryReader> terms_;
  std::unique_ptr<DocStoreReader> store_;
};

class IndexReader {
 public:
  // Opens the index in folder `dir`. A sharded index (a folder with a
  // SHARDS file, docs/SHARDS.md) opens as one index: its segments are the
  // shards' segments, shard 0's first, and its manifest lists them all
  // (named "shard-I/segN"), so its statistics are summed over the shards.
  // A writer may publish a new version meanwhile (scry/index/publish.h):
  // when the folder changed during the open, the open starts again (up to
  // 10 times), so the reader holds one version whole.
  // Errors also: Corruption when the shards' analyzer settings differ;
  // IOError when the index was replaced on every attempt.
  static Result<std::unique_ptr<IndexReader>> open(const std::string& dir);

  // Shards of a sharded index; 1 for an ordinary index.
  uint32_t shards() const {
    return shard_begin_.empty() ? 1 : static_cast<uint32_t>(shard_begin_.size() - 1);
  }
  // The segments of shard `shard` (< shards()): [first, second) in segments().
  std::pair<size_t, size_t> shard_segments(uint32_t shard) const {
    if (shard_begin_.empty()) return {0, segments_.size()};
    return {shard_begin_[shard], shard_begin_[shard + 1]};
  }

  const Manifest& manifest() const { return manifest_; }
  const std::string& path() const { return dir_; }
  const std::vector<std::unique_ptr<SegmentReader>>& segments() const { return segments_; }

  // Recomputes every checksum (MANIFEST and FILES included) and parses
  // FILES; returns how many files it checked. Errors: Corruption naming the
  // file, also for a missing FILES (required from format version 2 on; the
  // segments' files are opened, so required, by open()).
  Result<size_t> verify() const;

 private:
  IndexReader() = default;
  // One attempt of open(), which checks that the folder did not change.
  static Result<std::unique_ptr<IndexReader>> open_version(const std::string& dir);
  // open_version() and verify() of a sharded index
  // (format/sharded_reader.cpp).
  static Result<std::unique_ptr<IndexReader>> open_sharded(const std::string& dir);
  Result<size_t> verify_sharded() const;

  std::string dir_;
  Manifest manifest_;
  std::unique_ptr<MappedFile> manifest_file_;
  std::vector<std::unique_ptr<SegmentReader>> segments_;
  // A sharded index: the SHARDS file, each shard's reader (its segments
  // moved into segments_), and where each shard's segments begin in
  // segments_ (shards + 1 entries). Empty for an ordinary index.
  std::unique_ptr<MappedFile> shards_file_;
  std::vector<std::unique_ptr<IndexReader>> shards_;
  std::vector<size_t> shard_begin_;
};

}  // namespace scry
