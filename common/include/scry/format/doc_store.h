// The document store (.store): for every document its external id, title,
// source and token length (the "meta" record) and its text (docs/FORMAT.md,
// "Document store").
//
// Texts are cut into chunks compressed with zstd one by one; fetching a
// text decompresses one chunk. Meta records (format version 3) are stored
// uncompressed, contiguous after the text chunks, with a fixed-width table
// of their offsets, so fetching a hit's id and title is a few loads from
// the mapped file and never decompresses anything; a table of doc ids
// sorted by external id finds a document by its id in log2(N) probes.
// Stores of versions 1 and 2 (meta records in zstd chunks of their own) are still
// read, through the chunk path.
//
// Thread safety: the writer is single-threaded. The reader keeps the chunks
// it decompressed (up to 4 MB per stream, then starts afresh), so get() and,
// on older files, get_meta() and find_id() need one DocStoreReader per
// thread; on version 3 files get_meta() and find_id() read only the mapping.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scry/util/file.h"
#include "scry/util/status.h"

namespace scry {

struct StoredDocument {
  std::string id;
  std::string title;
  std::string source;
  uint32_t length = 0;  // Tokens in the text field (title and body).
  std::string body;
};

class DocStoreWriter {
 public:
  // Writes to `out`, owned by the caller.
  explicit DocStoreWriter(FileWriter* out);
  ~DocStoreWriter();
  DocStoreWriter(const DocStoreWriter&) = delete;
  DocStoreWriter& operator=(const DocStoreWriter&) = delete;

  // Appends the next document (doc ids are assigned in order from 0). The
  // meta records are kept in memory until finish() (ids, titles and
  // sources: 1.15 MB for the 30,539 Wikipedia articles).
  Status add(const StoredDocument& doc);
  // Writes the last chunk, the meta records and their tables, the chunk
  // index and the trailer (not the footer).
  Status finish();

  uint32_t doc_count() const { return doc_count_; }

 private:
  struct Stream;
  Status flush(Stream* stream);

  FileWriter* out_;
  struct Context;
  std::unique_ptr<Context> zstd_;
  std::string meta_;                    // The meta records, in doc order.
  std::vector<uint64_t> meta_offsets_;  // Where each starts in meta_.
  std::unique_ptr<Stream> text_;
  std::string compressed_;
  uint32_t doc_count_ = 0;
};

class DocStoreReader {
 public:
  // Checks the trailer of `file` (which must outlive the reader); the chunk
  // indexes are read in place, so opening costs nothing more.
  // Errors: Corruption naming the file.
  static Result<std::unique_ptr<DocStoreReader>> open(const MappedFile& file);
  ~DocStoreReader();

  uint32_t doc_count() const { return doc_count_; }
  // Fetches document `doc`, text included. Errors: InvalidArgument (doc out
  // of range), Corruption (bad chunk or record).
  Result<StoredDocument> get(uint32_t doc);
  // The same without the text (body left empty): reads the meta record only.
  Result<StoredDocument> get_meta(uint32_t doc);
  // The doc id of the document whose external id is `id` (the lowest doc id
  // when several have it), nullopt when none has. Version 3: a binary search
  // of the id table; versions 1 and 2: a scan of every meta record.
  // Errors: Corruption.
  Result<std::optional<uint32_t>> find_id(std::string_view id);

 private:
  explicit DocStoreReader(const MappedFile& file);
  struct Table;
  // The record of `doc` in `table`'s stream, or an error.
  Result<std::string_view> record(Table* table, uint32_t doc);
  // The meta record of `doc` (REQUIRES: doc < doc_count_), from the record
  // table (version 3) or the meta chunks (versions 1, 2), its fields checked.
  Result<std::string_view> meta_record(uint32_t doc);

  const MappedFile& file_;
  uint32_t doc_count_ = 0;
  // Version 3: where the meta records start, and their offset table and id
  // table (both read in place). Versions 1, 2: meta_ holds the meta chunks.
  uint64_t meta_records_ = 0;
  uint64_t meta_table_ = 0;
  uint64_t id_table_ = 0;
  std::unique_ptr<Table> meta_;
  std::unique_ptr<Table> text_;
  struct Context;
  std::unique_ptr<Context> zstd_;
};

}  // namespace scry
