// The shard manifest of a sharded index: the file SHARDS in a folder whose
// subfolders shard-0 .. shard-(N-1) are ordinary indexes, and the routing
// of a document to its shard by a stable hash of its id (docs/SHARDS.md;
// the bytes in docs/FORMAT.md, "SHARDS").
//
// Thread safety: plain values and functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scry/format/format.h"
#include "scry/util/status.h"

namespace scry {

inline constexpr uint32_t kKindShards = make_kind('S', 'H', 'R', 'D');
// Shards of an index: 1 to kMaxShards.
inline constexpr uint32_t kMaxShards = 256;
// The routing hash: xxh3-64 (seed 0) of the id's bytes, modulo N.
inline constexpr uint32_t kShardHashXxh3 = 1;

struct ShardManifest {
  uint32_t shards = 1;  // N, 1 to kMaxShards.
  uint32_t hash = kShardHashXxh3;
};

// The shard (0 .. shards - 1) of the document with external id `id`.
// REQUIRES: shards > 0.
uint32_t shard_of(std::string_view id, uint32_t shards);

// "DIR/shard-I": the folder of shard `shard` of the sharded index at `dir`.
std::string shard_dir(const std::string& dir, uint32_t shard);

// Whether `dir` holds a sharded index (it has a SHARDS file).
bool is_sharded(const std::string& dir);

// Whether `dir` is a shard of a sharded index: named "shard-I" in a folder
// that has a SHARDS file. Writing to it alone would break the routing
// (scry-index refuses to).
bool is_shard_folder(const std::string& dir);

// Writes `dir`/SHARDS. Errors: IOError.
Status write_shard_manifest(const std::string& dir, const ShardManifest& manifest);

// Reads and verifies `dir`/SHARDS. Errors: NotFound, Corruption naming the
// file (checksum, size, a shard count outside 1..kMaxShards), NotSupported
// (an unknown routing hash, a newer format version).
Result<ShardManifest> read_shard_manifest(const std::string& dir);

}  // namespace scry
