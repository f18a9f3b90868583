// merge_runs: the last step of a build (IndexBuilder::finish()), writing a
// segment's .terms, .post and .pos from the build's shards: for each term
// key in key order, the postings of every run file a shard flushed and of
// what its Inverter still holds, in doc-id order.
//
// A term belongs to one shard (the builder splits terms by hash), and a
// shard's runs hold increasing doc ids in flush order, its Inverter the
// ones after them. So the MergingIterator's children are each shard's runs
// in flush order and then its Inverter, shard after shard: the entries of a
// key come out in doc-id order, and their posting streams are simply
// concatenated.
//
// With a thread pool (and few enough run files), the key range is cut into
// up to pool->size() parts, cut where the largest shard's in-memory entries
// (a hash partition, so its keys spread like all the keys) reach equal
// shares of posting bytes plus a per-term cost. Part 0 writes the
// segment's files, the others temporary files in `dir` that are appended
// in order afterwards, their terms' offsets shifted. The bytes are those of
// a merge in one part.
//
// Thread safety: merge_runs() uses the pool's threads; nothing else may
// use the shards, the lengths or the files while it runs.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "index/inverter.h"
#include "scry/util/file.h"
#include "scry/util/status.h"
#include "util/thread_pool.h"

namespace scry {

// The inverted part of a build is split by term into shards (one per
// thread), each with its own Inverter and run files.
// Aligned to a cache line, like each analyzer's state: one thread inverts
// a shard while another analyzes, and the objects were allocated side by
// side.
struct alignas(64) BuildShard {
  Inverter inverter;
  std::vector<std::string> runs;  // Run files flushed, in order.
  Status status;                  // First error met by a worker (flushing a run).
};

struct MergedTerms {
  uint64_t terms = 0;
  uint64_t postings = 0;
  uint64_t positions = 0;
};

// Writes the terms of `shards` to `terms` (a TermDictionaryWriter's
// dictionary, finished), `postings` and `positions` (PostingsWriter's, not
// finished: the caller adds the footers). lengths[f][doc] is the length of
// document doc in field f, for the block impacts. `pool` may be null (one
// thread). Temporary files "merge-J.post.tmp" and "merge-J.pos.tmp" in
// `dir` are removed before it returns.
// Errors: IOError (temporary files), Corruption (a damaged run file: "build
// run damaged (...)", also for a doc id past `lengths`), those of
// RunReader::open and MappedFile::open (reading the temporary files back).
Result<MergedTerms> merge_runs(const std::vector<std::unique_ptr<BuildShard>>& shards,
                               std::span<const std::vector<uint32_t>> lengths, ThreadPool* pool,
                               const std::string& dir, FileWriter* terms, FileWriter* postings,
                               FileWriter* positions);

}  // namespace scry
