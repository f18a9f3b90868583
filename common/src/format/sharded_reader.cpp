// IndexReader over a sharded index (docs/SHARDS.md): the shards opened as
// ordinary indexes, their segments gathered in shard order.
#include <algorithm>
#include <utility>

#include "scry/format/index_reader.h"
#include "scry/format/shard_manifest.h"

namespace scry {

Result<std::unique_ptr<IndexReader>> IndexReader::open_sharded(const std::string& dir) {
  auto layout = read_shard_manifest(dir);
  if (!layout) return layout.status();
  auto index = std::unique_ptr<IndexReader>(new IndexReader());
  index->dir_ = dir;
  auto file = MappedFile::open(dir + "/SHARDS", kKindShards);
  if (!file) return file.status();
  index->shards_file_ = std::move(file).value();
  Manifest& manifest = index->manifest_;
  manifest.next_segment = 0;
  for (uint32_t i = 0; i < layout->shards; ++i) {
    const std::string path = shard_dir(dir, i);
    auto shard = IndexReader::open_version(path);  // open() checks the whole folder.
    if (!shard) return shard.status();
    IndexReader& reader = **shard;
    if (reader.shards_file_) {
      return Status::corruption(path + ": a shard is itself sharded");
    }
    const Manifest& own = reader.manifest();
    if (i == 0) {
      manifest.format_version = own.format_version;
      manifest.created_by = own.created_by;
      manifest.analyzer = own.analyzer;
    } else if (!(own.analyzer == manifest.analyzer)) {
      return Status::corruption(path + "/MANIFEST: analyzer settings differ from shard-0's");
    }
    manifest.format_version = std::min(manifest.format_version, own.format_version);
    index->shard_begin_.push_back(index->segments_.size());
    for (SegmentMeta meta : own.segments) {
      meta.name = "shard-" + std::to_string(i) + "/" + meta.name;
      manifest.segments.push_back(std::move(meta));
    }
    for (auto& segment : reader.segments_) index->segments_.push_back(std::move(segment));
    reader.segments_.clear();
    index->shards_.push_back(std::move(shard).value());
  }
  index->shard_begin_.push_back(index->segments_.size());
  return index;
}

Result<size_t> IndexReader::verify_sharded() const {
  SCRY_RETURN_IF_ERROR(shards_file_->verify());
  size_t files = 1;
  for (const auto& shard : shards_) {
    auto n = shard->verify();  // Its MANIFEST and FILES (its segments are below).
    if (!n) return n.status();
    files += *n;
  }
  for (const auto& segment : segments_) {
    auto n = segment->verify();
    if (!n) return n.status();
    files += *n;
  }
  return files;
}

}  // namespace scry
