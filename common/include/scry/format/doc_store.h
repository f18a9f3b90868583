// The document store (.store): for every document its external id, title,
// source and token length (the "meta" stream) and its text (the "text"
// stream), each stream in chunks that are compressed with zstd one by one
// (docs/FORMAT.md, "Document store"). Fetching one hit decompresses one
// meta chunk, plus one text chunk only when the text is wanted: results
// without snippets never touch the (large) text chunks.
//
// Thread safety: the writer is single-threaded. The reader keeps the chunks
// it decompressed (up to 4 MB per stream, then starts afresh), so each
// thread needs its own DocStoreReader.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

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

  // Appends the next document (doc ids are assigned in order from 0).
  Status add(const StoredDocument& doc);
  // Writes the last chunks, the chunk indexes and the trailer (not the footer).
  Status finish();

  uint32_t doc_count() const { return doc_count_; }

 private:
  struct Stream;
  Status flush(Stream* stream);

  FileWriter* out_;
  struct Context;
  std::unique_ptr<Context> zstd_;
  std::unique_ptr<Stream> meta_;
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
  // The same without the text (body left empty): reads the meta stream only.
  Result<StoredDocument> get_meta(uint32_t doc);

 private:
  explicit DocStoreReader(const MappedFile& file);
  struct Table;
  // The record of `doc` in `table`'s stream, or an error.
  Result<std::string_view> record(Table* table, uint32_t doc);

  const MappedFile& file_;
  uint32_t doc_count_ = 0;
  std::unique_ptr<Table> meta_;
  std::unique_ptr<Table> text_;
  struct Context;
  std::unique_ptr<Context> zstd_;
};

}  // namespace scry
