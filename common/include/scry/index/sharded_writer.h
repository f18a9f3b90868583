// Writing a sharded index (docs/SHARDS.md): ShardedBuilder builds one, and
// ShardedUpdater writes the next version of one (--update, --delete,
// --merge), both into a folder of their own that the caller publishes in
// one piece (index/publish.h), so that all shards change at once or none.
//
// Documents go to shard shard_of(id, N) (format/shard_manifest.h). Each
// shard is an ordinary index written by an IndexBuilder or IndexUpdater
// with the caller's options, but with memory_budget / N (at least 64K)
// each. Every input file is recorded in every shard's FILES table.
//
// Thread safety: single-threaded (the builders run their own threads
// inside add() and finish()).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/shard_manifest.h"
#include "scry/index/file_tracker.h"
#include "scry/index/index_builder.h"
#include "scry/index/index_updater.h"
#include "scry/input/document.h"
#include "scry/util/status.h"

namespace scry {

class ShardedBuilder {
 public:
  // Will write a sharded index of `shards` shards into folder `dir`
  // (existing, empty). `inputs` are the INPUT paths as given (FileTracker).
  // Errors: InvalidArgument (shards outside 1..kMaxShards), IndexBuilder::
  // create()'s, IOError (cannot create the shards' folders).
  static Result<std::unique_ptr<ShardedBuilder>> create(const std::string& dir, uint32_t shards,
                                                        const BuildOptions& options,
                                                        const std::vector<std::string>& inputs);
  ShardedBuilder(const ShardedBuilder&) = delete;
  ShardedBuilder& operator=(const ShardedBuilder&) = delete;

  // For DocumentSink::on_file: records the input file `path` in every
  // shard's FILES table; always true (a build reads every file).
  bool begin_file(const std::string& path);
  // For DocumentSink::on_bytes: the bytes read of that file, which every
  // shard's table hashes (FileTracker::add_bytes).
  void add_bytes(std::string_view bytes);

  // Adds `doc` to its shard (IndexBuilder::add, errors too).
  Result<IndexBuilder::Added> add(const Document& doc);

  // Finishes every shard (segment, MANIFEST, FILES) and writes SHARDS.
  // Returns the shards' statistics summed (`terms` counts a term once per
  // shard holding it; `segment` is left empty). Errors: IndexBuilder::
  // finish()'s, IOError.
  Result<BuildStats> finish();

 private:
  ShardedBuilder() = default;

  std::string dir_;
  std::vector<std::unique_ptr<IndexBuilder>> builders_;
  std::vector<FileTracker> files_;
  std::vector<uint32_t> next_doc_;  // Documents added to each shard.
};

class ShardedUpdater {
 public:
  // Opens the sharded index at `index_dir` to write its next version into
  // `out_dir` (existing, empty); `inputs` as for IndexUpdater::open.
  // Errors: read_shard_manifest()'s, IndexUpdater::open()'s, IOError.
  static Result<std::unique_ptr<ShardedUpdater>> open(const std::string& index_dir,
                                                      const std::string& out_dir,
                                                      const std::vector<std::string>& inputs,
                                                      const UpdateOptions& options);
  ShardedUpdater(const ShardedUpdater&) = delete;
  ShardedUpdater& operator=(const ShardedUpdater&) = delete;

  // Whether the input file at `path` must be read: asks every shard (each
  // keeps its own record of the file; they agree, being written together)
  // and answers true when any says so.
  bool begin_file(const std::string& path);
  // For DocumentSink::on_bytes: the bytes read of that file, given to every
  // shard (IndexUpdater::add_bytes).
  void add_bytes(std::string_view bytes);
  // Whether `input` may hold no indexable file or be gone: so for some
  // shard (IndexUpdater::may_be_empty).
  bool may_be_empty(const std::string& input) const;

  // Adds `doc` to its shard's new segment (IndexUpdater::add).
  Result<IndexBuilder::Added> add(const Document& doc);

  // Marks the live documents with these ids deleted, each in its shard;
  // returns the ids that match no live document, in the order given.
  // Errors: IndexUpdater::delete_ids()'s.
  Result<std::vector<std::string>> delete_ids(const std::vector<std::string>& ids);

  // Asks finish() to merge every shard's segments into one.
  void merge_all() { merge_all_ = true; }

  // Writes the next version into out_dir: each changed shard's, the others
  // hard-linked (copied when links are refused), and SHARDS; unless nothing
  // changed (then UpdateStats::changed is false). The statistics are
  // summed over the shards, except files_read and files_removed, which are
  // counted once (every shard sees the same files). Errors: IndexUpdater::
  // finish()'s, IOError.
  Result<UpdateStats> finish();

 private:
  ShardedUpdater() = default;

  std::string index_dir_, out_dir_;
  ShardManifest manifest_;
  std::vector<std::unique_ptr<IndexUpdater>> updaters_;
  bool merge_all_ = false;
};

}  // namespace scry
