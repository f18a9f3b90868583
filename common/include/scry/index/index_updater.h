// IndexUpdater: writes the next version of an existing index into a
// folder of its own (the caller publishes it): `scry-index --update`,
// `--delete` and `--merge` (docs/SEGMENTS.md).
//
// The old version is only read. Its segments' files are hard-linked into
// the new folder (copied when the file system refuses links), so readers
// that have the old version open keep reading files that never change;
// MANIFEST, FILES and the deletion bitmaps (.del) are always written anew.
//
// An update reads the inputs through begin_file() (which leaves unchanged
// files alone, see FileTracker) and add(); new documents go into one new
// segment. Documents of changed and removed files, live documents of older
// segments whose id a new document carries, and documents named by
// delete_ids() are marked deleted. finish() then applies the merge policy
// (plan_merges) or, after merge_all(), merges every segment into one.
//
// Thread safety: single-threaded (the builder of the new segment runs its
// own threads inside add() and finish()).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/format/manifest.h"
#include "scry/index/index_builder.h"
#include "scry/input/document.h"
#include "scry/util/status.h"

namespace scry {

struct UpdateOptions {
  size_t memory_budget = size_t{256} << 20;  // For the new segment's builder.
  unsigned threads = 1;                      // Likewise.
  std::string created_by = "scry-index";     // Written into the manifest.
  // The new segment's builder stops with Cancelled when this is set and
  // true (BuildOptions::cancel).
  const std::atomic<bool>* cancel = nullptr;
};

struct UpdateStats {
  bool changed = false;        // False: nothing to publish (up to date).
  uint64_t added = 0;          // Documents written to the new segment.
  uint64_t replaced = 0;       // Of those, replaced by a later one of this run with the same id.
  uint64_t deleted = 0;        // Documents newly marked deleted.
  uint64_t files_read = 0;     // New or changed files read.
  uint64_t files_removed = 0;  // Recorded files under the inputs no longer found.
  // Of the new version (of the old one when nothing changed):
  uint64_t segments = 0;         // Segments.
  uint64_t merged_segments = 0;  // Segments merged away by the policy or merge_all().
  uint64_t live_documents = 0;   // Live documents.
  uint64_t index_bytes = 0;      // All files' bytes.
};

// The tiered merge policy of docs/SEGMENTS.md: for segments in manifest
// order, the [begin, end) ranges of adjacent segments to merge, in order and
// disjoint. A segment's tier is floor(log8(live documents)); 8 adjacent
// segments of one tier are merged (and the result is considered again); a
// segment with more than half of its documents deleted is rewritten alone.
std::vector<std::pair<size_t, size_t>> plan_merges(const std::vector<SegmentMeta>& segments);

class IndexUpdater {
 public:
  // Opens the index at `index_dir` to write its next version into
  // `out_dir` (existing, empty). `inputs` are the INPUT paths of an update
  // (empty for --delete and --merge): recorded files under them that are
  // not met again count as removed.
  // Errors: those of IndexReader::open; NotSupported for a format 1 index
  // (it has no FILES table: rebuild it).
  static Result<std::unique_ptr<IndexUpdater>> open(const std::string& index_dir,
                                                    const std::string& out_dir,
                                                    const std::vector<std::string>& inputs,
                                                    const UpdateOptions& options);
  ~IndexUpdater();
  IndexUpdater(const IndexUpdater&) = delete;
  IndexUpdater& operator=(const IndexUpdater&) = delete;

  // For DocumentSink::on_file: whether the input file at `path` must be read.
  bool begin_file(const std::string& path);
  // For DocumentSink::on_bytes: the bytes read of that file, which its
  // FILES record hashes (FileTracker::add_bytes).
  void add_bytes(std::string_view bytes);
  // Whether the INPUT path `input` may hold no indexable file, or be gone,
  // without an error (InputReader::read's `indexed`): the index holds
  // files under it (FileTracker::holds_files_under; they are then
  // removed), or it is a folder (an update of a folder now empty has
  // nothing to do). A missing path the index holds nothing under stays an
  // error, as in a build.
  bool may_be_empty(const std::string& input) const;

  // Adds a document to the new segment. A later document of this run with
  // the same id replaces it (kReplaced), as in IndexBuilder::add; errors too.
  Result<IndexBuilder::Added> add(const Document& doc);

  // Marks the live documents with these ids deleted; returns the ids that
  // match no live document. Errors: Corruption reading the stored ids.
  Result<std::vector<std::string>> delete_ids(const std::vector<std::string>& ids);

  // Asks finish() to merge every segment into one (dropping deleted
  // documents) instead of applying the policy.
  void merge_all() { merge_all_ = true; }

  // Writes the new version into out_dir, unless nothing changed (then
  // UpdateStats::changed is false and out_dir holds nothing of use).
  // Errors: IOError, Corruption (of the old version), those of add().
  Result<UpdateStats> finish();

 private:
  struct Impl;
  explicit IndexUpdater(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  bool merge_all_ = false;
};

}  // namespace scry
