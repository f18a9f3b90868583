// IndexBuilder: turns Documents into the files of one segment and the
// MANIFEST, in a folder of its own (the caller publishes the folder).
//
// Documents get doc ids in the order they are added. Each is analyzed (the
// title into the `title` field; title then body into the `text` field, the
// body's positions following the title's after a gap), its postings go to
// an in-memory Inverter and its stored record straight to the document
// store. When the Inverter holds more than the memory budget, it is written
// as a sorted run to a temporary file; finish() merges the runs with what is
// left in memory. The result is the same, byte for byte, whatever the budget.
//
// Thread safety: single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scry/format/manifest.h"
#include "scry/input/document.h"
#include "scry/text/analyzer.h"
#include "scry/util/status.h"

namespace scry {

struct BuildOptions {
  AnalyzerConfig analyzer;
  // Budget for in-memory postings; past it, a run is flushed to disk.
  size_t memory_budget = size_t{256} << 20;
  // Written into the manifest's created_by.
  std::string created_by = "scry-index";
};

struct BuildStats {
  uint64_t documents = 0;
  uint64_t duplicates = 0;  // Documents skipped for an id seen before.
  uint64_t terms = 0;
  uint64_t postings = 0;
  uint64_t positions = 0;
  uint64_t runs = 0;        // Runs flushed to disk.
  uint64_t index_bytes = 0;       // All files of the index, footers included.
  uint64_t stored_text_bytes = 0; // The .store file (subset of index_bytes).
};

class IndexBuilder {
 public:
  // Will write the index into folder `dir`, which must exist and be empty.
  // Errors: IOError (cannot create files there).
  static Result<std::unique_ptr<IndexBuilder>> create(const std::string& dir,
                                                      const BuildOptions& options);
  ~IndexBuilder();
  IndexBuilder(const IndexBuilder&) = delete;
  IndexBuilder& operator=(const IndexBuilder&) = delete;

  enum class Added { kAdded, kDuplicate };
  // Adds a document. A document whose id was added before is not indexed
  // (kDuplicate; the first one stays). Errors: IOError (disk full...),
  // InvalidArgument (more than 2^32 - 2 documents or tokens in a document).
  Result<Added> add(const Document& doc);

  // Writes everything still pending and the MANIFEST. Errors: IOError.
  Result<BuildStats> finish();

  // Bytes of postings currently held in memory.
  size_t memory_bytes() const;

 private:
  struct Impl;
  explicit IndexBuilder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace scry
