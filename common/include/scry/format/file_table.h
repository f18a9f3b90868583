// The FILES table of an index: which input files its documents came from,
// and how each looked when it was read, so that `scry-index --update`
// re-reads only what changed (docs/FORMAT.md, "FILES"; docs/SEGMENTS.md).
//
// Thread safety: plain values and functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scry/util/status.h"

namespace scry {

struct FileRecord {
  std::string path;        // Absolute, lexically normal.
  uint64_t size = 0;       // Bytes.
  int64_t mtime_ns = 0;    // Modification time, nanoseconds since the epoch.
  uint64_t hash = 0;       // xxh3-64 (seed 0) of the content.
  std::string segment;     // The segment holding its documents.
  uint32_t first_doc = 0;  // Its documents are first_doc .. first_doc + doc_count - 1.
  uint32_t doc_count = 0;

  bool operator==(const FileRecord&) const = default;
};

// Writes `records` (sorted by path, paths unique) as a FILES file. Errors: IOError.
Status write_file_table(const std::string& path, const std::vector<FileRecord>& records);

// Reads a FILES file. Errors: NotFound (an index without one: format
// version 1), Corruption naming the file, NotSupported (newer version).
Result<std::vector<FileRecord>> read_file_table(const std::string& path);

// The xxh3-64 of the content of the file at `path`. Errors: IOError naming it.
Result<uint64_t> hash_file(const std::string& path);

}  // namespace scry
