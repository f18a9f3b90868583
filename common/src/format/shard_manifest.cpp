#include "scry/format/shard_manifest.h"

#include <xxhash.h>

#include <filesystem>
#include <memory>

#include "scry/codec/varint.h"
#include "scry/util/file.h"

namespace scry {

namespace {

constexpr size_t kManifestBytes = 8;  // u32 shards, u32 hash.

}  // namespace

uint32_t shard_of(std::string_view id, uint32_t shards) {
  return static_cast<uint32_t>(XXH3_64bits(id.data(), id.size()) % shards);
}

std::string shard_dir(const std::string& dir, uint32_t shard) {
  return dir + "/shard-" + std::to_string(shard);
}

bool is_sharded(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::exists(dir + "/SHARDS", ec);
}

bool is_shard_folder(const std::string& dir) {
  const std::filesystem::path path = std::filesystem::path(dir).lexically_normal();
  const std::string name =
      (path.has_filename() ? path.filename() : path.parent_path().filename()).string();
  if (name.rfind("shard-", 0) != 0) return false;
  const std::filesystem::path parent =
      path.has_filename() ? path.parent_path() : path.parent_path().parent_path();
  return is_sharded(parent.empty() ? std::string(".") : parent.string());
}

Status write_shard_manifest(const std::string& dir, const ShardManifest& manifest) {
  auto out = FileWriter::create(dir + "/SHARDS", kKindShards);
  if (!out) return out.status();
  std::string bytes;
  put_fixed32(&bytes, manifest.shards);
  put_fixed32(&bytes, manifest.hash);
  (*out)->append(bytes);
  return (*out)->finish();
}

Result<ShardManifest> read_shard_manifest(const std::string& dir) {
  const std::string path = dir + "/SHARDS";
  auto file = MappedFile::open(path, kKindShards);
  if (!file) return file.status();
  SCRY_RETURN_IF_ERROR((*file)->verify());
  if ((*file)->size() != kManifestBytes) {
    return Status::corruption(path + ": damaged shard manifest (" +
                              std::to_string((*file)->size()) + " bytes, expected " +
                              std::to_string(kManifestBytes) + ")");
  }
  ShardManifest manifest;
  manifest.shards = decode_fixed32((*file)->data());
  manifest.hash = decode_fixed32((*file)->data() + 4);
  if (manifest.shards == 0 || manifest.shards > kMaxShards) {
    return Status::corruption(path + ": damaged shard manifest (" +
                              std::to_string(manifest.shards) + " shards, expected 1 to " +
                              std::to_string(kMaxShards) + ")");
  }
  if (manifest.hash != kShardHashXxh3) {
    return Status::not_supported(path + ": unknown routing hash " + std::to_string(manifest.hash) +
                                 " (made by a newer scry-index?)");
  }
  return manifest;
}

}  // namespace scry
