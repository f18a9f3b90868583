// IndexBuilder: turns Documents into the files of one segment and the
// MANIFEST, in a folder of its own (the caller publishes the folder).
//
// Documents get doc ids in the order they are added. Each is analyzed (the
// title into the `title` field; title then body into the `text` field, the
// body's positions following the title's after a gap), its postings go to
// an in-memory Inverter and its stored record to the document store. When
// the Inverter holds more than the memory budget, it is written as a sorted
// run to a temporary file; finish() merges the runs with what is left in
// memory. The result is the same, byte for byte, whatever the budget and
// whatever the number of threads.
//
// With BuildOptions::threads = T > 1, add() buffers documents into batches
// (up to 2 MB of text or 8192 documents; less under a small budget) that T
// threads (the caller's and T - 1 workers) process in rounds (the workers
// start a round while the caller reads the next batch, then it joins them,
// and the round ends before the next starts): round k
// analyzes batch k (phase 1: documents split into chunks, one Analyzer per
// thread, each token tagged with its term's hash) while batch k - 1 is
// inverted (phase 2: terms are split into T shards by hash, one Inverter
// and its own run files per shard, each walking the batch in doc-id order
// and flushing at budget / T); batch k - 1 is also stored (zstd, in order)
// by a thread of its own that the rounds do not wait for. finish() runs
// the last rounds, then merges the key range cut into T parts in parallel.
// See docs/INDEXING.md, "Threads", for why the bytes do not change.
//
// Thread safety: an IndexBuilder is used by one thread at a time (it runs
// its own worker threads inside add() and finish() only, and with T > 1 the
// store's thread, which may go on writing .store between calls).
#pragma once

#include <atomic>
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
  // Threads that analyze and invert (the caller's included), 1 to 1024
  // (create() returns InvalidArgument for 0 or more). 1 processes each document
  // inside add(); more buffer documents into batches (see above). The index
  // is identical byte for byte for every value.
  unsigned threads = 1;
  // The segment's number: its files are "seg" + number + ".terms", ...
  uint32_t segment = 1;
  // Whether finish() writes a MANIFEST naming this one segment and an
  // empty FILES table (a build: the caller that tracks input files, as
  // scry-index does, then replaces FILES); an update writes its own
  // manifest and FILES.
  bool write_manifest = true;
  // When set and true (a signal handler sets it), add() and finish() stop
  // with Cancelled; the folder is then to be discarded. Checked before
  // each document and between the steps of finish().
  const std::atomic<bool>* cancel = nullptr;
};

struct BuildStats {
  uint64_t documents = 0;
  // Documents replaced by a later one with the same id: marked deleted in
  // the segment's NAME.del (and counted in `documents`).
  uint64_t replaced = 0;
  uint64_t terms = 0;
  uint64_t postings = 0;
  uint64_t positions = 0;
  uint64_t runs = 0;  // Runs flushed to disk.
  // The files written, footers included (FILES, which the caller writes
  // after, is not: scry-index counts the folder once it is written).
  uint64_t index_bytes = 0;
  uint64_t stored_text_bytes = 0;  // The .store file (subset of index_bytes).
  SegmentMeta segment;             // The segment written, as the manifest lists it.
};

class IndexBuilder {
 public:
  // Will write the index into folder `dir`, which must exist and be empty.
  // Errors: IOError (cannot create files there), InvalidArgument (threads
  // is 0 or over 1024, segment is 0, or the threads cannot be started).
  static Result<std::unique_ptr<IndexBuilder>> create(const std::string& dir,
                                                      const BuildOptions& options);
  ~IndexBuilder();
  IndexBuilder(const IndexBuilder&) = delete;
  IndexBuilder& operator=(const IndexBuilder&) = delete;

  enum class Added { kAdded, kReplaced };
  // Adds a document, with the next doc id. A document whose id was added
  // before replaces the earlier one (kReplaced): the earlier document is
  // marked deleted (NAME.del), as Lucene's updateDocument does. Errors: IOError (disk full...),
  // InvalidArgument (more than 2^32 - 2 documents or tokens in a document,
  // naming doc.source). With threads > 1 a document may be analyzed and
  // written after add() returned: an error it causes is returned by a later
  // add() or by finish(), still naming its source. Cancelled when
  // BuildOptions::cancel is true. After an error, every later add() and
  // finish() returns it.
  Result<Added> add(const Document& doc);

  // Writes everything still pending and the MANIFEST. Errors: IOError,
  // Cancelled (see BuildOptions::cancel), and with threads > 1 the errors
  // of add() for the documents still buffered.
  Result<BuildStats> finish();

  // Bytes currently held in memory for the index: the postings of the
  // Inverter(s), plus with threads > 1 the buffered batches (documents,
  // tokens) and the documents queued for the store's thread. The
  // documents' stored text is not held once written (it streams to disk).
  size_t memory_bytes() const;

 private:
  struct Impl;
  explicit IndexBuilder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace scry
