// Deletions: the bitmap of a segment's deleted documents, file NAME.del
// (docs/FORMAT.md, "NAME.del"; docs/SEGMENTS.md).
//
// A segment is immutable; deleting documents writes a new .del file in the
// next version of the index folder, so readers of the old version never see
// it change.
//
// Thread safety: const methods may run concurrently; mark() is
// single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scry/util/file.h"
#include "scry/util/status.h"

namespace scry {

class Deletions {
 public:
  // No document of a segment of `documents` documents deleted.
  explicit Deletions(uint32_t documents = 0) : documents_(documents) {}

  // Parses a mapped .del file of a segment of `documents` documents.
  // Errors: Corruption naming the file (wrong size or count, bits past the
  // last document).
  static Result<Deletions> parse(const MappedFile& file, uint32_t documents);
  // Writes the bitmap as a .del file at `path` (synced). Errors: IOError.
  Status write(const std::string& path) const;

  bool contains(uint32_t doc) const {
    return !words_.empty() && (words_[doc >> 6] >> (doc & 63) & 1) != 0;
  }
  // Marks `doc` deleted; false when it already was. REQUIRES: doc < documents().
  bool mark(uint32_t doc);

  uint32_t documents() const { return documents_; }
  uint32_t count() const { return count_; }

 private:
  uint32_t documents_;
  uint32_t count_ = 0;
  std::vector<uint64_t> words_;  // Empty while nothing is deleted.
};

}  // namespace scry
