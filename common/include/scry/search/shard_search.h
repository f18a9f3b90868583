// Searching a sharded index (docs/SHARDS.md): every shard searched with the
// same Weight (made with the statistics of all shards, summed_statistics.h),
// for the best offset + k hits of each, and the answers merged.
//
// Merge order, deterministic: higher score first; equal scores by shard
// number, then in the shard's own order (segment, then doc id: searcher.h).
// That is the order of one search over the shards' segments one after the
// other; it differs from that of one index over the same documents only
// among hits of equal score.
//
// Thread safety: search_shards() searches the shards on a pool of threads
// (one a shard up to the number of cores, the caller's included), which
// each calling thread keeps for its later queries; like Searcher::search it
// may run concurrently on one IndexReader. merge_top_k is a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/search/searcher.h"
#include "scry/search/weight.h"
#include "scry/util/status.h"

namespace scry {

// A hit of one shard's answer.
struct ShardHit {
  uint32_t shard = 0;  // The index of its answer among merge_top_k's results.
  Hit hit;             // Its segment and doc id are those of the shard's answer.
};

struct MergedResult {
  std::vector<ShardHit> hits;  // At most k, after `offset` better ones.
  uint64_t total_hits = 0;     // Summed over the shards.
  bool total_exact = true;     // Every shard's count was exact.
};

// Merges shards' answers: results[i] is shard i's, searched for the best
// offset + k hits with offset 0 (each shard's hits best first, as
// Searcher::search returns them). Returns the hits offset .. offset + k - 1
// of all shards in the order above, with their explanations.
MergedResult merge_top_k(std::vector<SearchResult> results, size_t k, size_t offset);

// Searches `index` as Searcher::search does, the shards (IndexReader::
// shard_segments) in parallel, and merges their answers: the hits,
// their scores and total_hits (when exact) equal those of one search over
// all segments; hits keep their numbers among all the index's segments.
// An ordinary index (one shard), and a query without terms, is searched
// on the caller's thread.
// options.first_segment and end_segment are ignored (every shard is
// searched). Errors: those of Searcher::search, the first shard's first.
Result<SearchResult> search_shards(const IndexReader& index, const Weight& weight,
                                   const SearchOptions& options);

}  // namespace scry
