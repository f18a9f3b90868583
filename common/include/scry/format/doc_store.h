// The document store (.store): for every document its external id, title,
// source, token length and text, in chunks of about kStoreChunkBytes that
// are compressed with zstd one by one, so fetching one hit decompresses one
// chunk only (docs/FORMAT.md, "Document store").
//
// Thread safety: the writer is single-threaded. The reader caches the last
// chunk it decompressed, so each thread needs its own DocStoreReader.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
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

  // Appends the next document (doc ids are assigned in order from 0).
  Status add(const StoredDocument& doc);
  // Writes the last chunk, the chunk index and the trailer (not the footer).
  Status finish();

  uint32_t doc_count() const { return doc_count_; }
  // Bytes buffered before compression (part of the indexer's memory).
  size_t buffered_bytes() const { return chunk_.capacity() + compressed_.capacity(); }

 private:
  Status flush_chunk();

  FileWriter* out_;
  struct Context;
  std::unique_ptr<Context> zstd_;
  std::string chunk_;
  std::string compressed_;
  std::string index_;
  uint32_t doc_count_ = 0;
  uint32_t chunk_first_doc_ = 0;
  uint32_t chunk_count_ = 0;
};

class DocStoreReader {
 public:
  // Checks the trailer of `file` (which must outlive the reader); the chunk
  // index is read in place by get(), so opening costs nothing more.
  // Errors: Corruption naming the file.
  static Result<std::unique_ptr<DocStoreReader>> open(const MappedFile& file);
  ~DocStoreReader();

  uint32_t doc_count() const { return doc_count_; }
  // Fetches document `doc`. Errors: InvalidArgument (doc out of range),
  // Corruption (bad chunk).
  Result<StoredDocument> get(uint32_t doc);

 private:
  explicit DocStoreReader(const MappedFile& file);
  struct Chunk {
    uint64_t offset;
    uint32_t first_doc;
    uint32_t raw_size;
  };
  Chunk chunk(size_t i) const;
  Status load_chunk(size_t i);

  const MappedFile& file_;
  uint64_t index_offset_ = 0;
  uint32_t chunk_count_ = 0;
  uint32_t doc_count_ = 0;
  size_t cached_chunk_ = SIZE_MAX;
  std::string cache_;
  struct Context;
  std::unique_ptr<Context> zstd_;
};

}  // namespace scry
