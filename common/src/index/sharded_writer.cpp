#include "scry/index/sharded_writer.h"

#include <algorithm>
#include <filesystem>
#include <unordered_set>
#include <utility>

#include "scry/format/file_table.h"
#include "scry/format/index_reader.h"
#include "scry/format/manifest.h"
#include "scry/util/file.h"

namespace scry {

namespace {

namespace fs = std::filesystem;

constexpr size_t kMinShardMemory = size_t{64} << 10;

size_t shard_memory(size_t budget, uint32_t shards) {
  return std::max(kMinShardMemory, budget / shards);
}

Status make_folder(const std::string& path) {
  std::error_code ec;
  if (!fs::create_directory(path, ec) || ec) {
    return Status::io_error(
        path + ": cannot create folder: " + (ec ? ec.message() : std::string("it exists")));
  }
  return Status::ok();
}

// Replaces what `to` holds with links to every file of the folder `from`.
Status link_folder(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::remove_all(to, ec);
  SCRY_RETURN_IF_ERROR(make_folder(to));
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    SCRY_RETURN_IF_ERROR(
        link_or_copy(entry.path().string(), (fs::path(to) / entry.path().filename()).string()));
  }
  if (ec) return Status::io_error(from + ": " + ec.message());
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<ShardedBuilder>> ShardedBuilder::create(
    const std::string& dir, uint32_t shards, const BuildOptions& options,
    const std::vector<std::string>& inputs) {
  if (shards == 0 || shards > kMaxShards) {
    return Status::invalid_argument("shards: " + std::to_string(shards) + " is not from 1 to " +
                                    std::to_string(kMaxShards));
  }
  auto sharded = std::unique_ptr<ShardedBuilder>(new ShardedBuilder());
  sharded->dir_ = dir;
  BuildOptions own = options;
  own.memory_budget = shard_memory(options.memory_budget, shards);
  own.write_manifest = true;
  for (uint32_t i = 0; i < shards; ++i) {
    const std::string path = shard_dir(dir, i);
    SCRY_RETURN_IF_ERROR(make_folder(path));
    auto builder = IndexBuilder::create(path, own);
    if (!builder) return builder.status();
    sharded->builders_.push_back(std::move(builder).value());
    sharded->files_.emplace_back(std::vector<FileRecord>{}, segment_name(own.segment), inputs);
  }
  sharded->next_doc_.assign(shards, 0);
  return sharded;
}

bool ShardedBuilder::begin_file(const std::string& path) {
  for (size_t i = 0; i < files_.size(); ++i) files_[i].begin_file(path, next_doc_[i]);
  return true;
}

void ShardedBuilder::add_bytes(std::string_view bytes) {
  for (FileTracker& files : files_) files.add_bytes(bytes);
}

Result<IndexBuilder::Added> ShardedBuilder::add(const Document& doc) {
  const uint32_t shard = shard_of(doc.id, static_cast<uint32_t>(builders_.size()));
  auto added = builders_[shard]->add(doc);
  if (added) ++next_doc_[shard];
  return added;
}

Result<BuildStats> ShardedBuilder::finish() {
  BuildStats total;
  for (size_t i = 0; i < builders_.size(); ++i) {
    auto stats = builders_[i]->finish();
    if (!stats) return stats.status();
    files_[i].finish(next_doc_[i]);
    const std::string path = shard_dir(dir_, static_cast<uint32_t>(i));
    SCRY_RETURN_IF_ERROR(write_file_table(path + "/FILES", files_[i].records()));
    total.documents += stats->documents;
    total.replaced += stats->replaced;
    total.terms += stats->terms;
    total.postings += stats->postings;
    total.positions += stats->positions;
    total.runs += stats->runs;
    total.stored_text_bytes += stats->stored_text_bytes;
  }
  ShardManifest manifest;
  manifest.shards = static_cast<uint32_t>(builders_.size());
  SCRY_RETURN_IF_ERROR(write_shard_manifest(dir_, manifest));
  total.index_bytes = folder_bytes(dir_);  // The shards' FILES and SHARDS too.
  return total;
}

Result<std::unique_ptr<ShardedUpdater>> ShardedUpdater::open(const std::string& index_dir,
                                                             const std::string& out_dir,
                                                             const std::vector<std::string>& inputs,
                                                             const UpdateOptions& options) {
  auto manifest = read_shard_manifest(index_dir);
  if (!manifest) return manifest.status();
  auto sharded = std::unique_ptr<ShardedUpdater>(new ShardedUpdater());
  sharded->index_dir_ = index_dir;
  sharded->out_dir_ = out_dir;
  sharded->manifest_ = *manifest;
  UpdateOptions own = options;
  own.memory_budget = shard_memory(options.memory_budget, manifest->shards);
  for (uint32_t i = 0; i < manifest->shards; ++i) {
    SCRY_RETURN_IF_ERROR(make_folder(shard_dir(out_dir, i)));
    auto updater = IndexUpdater::open(shard_dir(index_dir, i), shard_dir(out_dir, i), inputs, own);
    if (!updater) return updater.status();
    sharded->updaters_.push_back(std::move(updater).value());
  }
  return sharded;
}

bool ShardedUpdater::begin_file(const std::string& path) {
  bool read = false;
  for (auto& updater : updaters_) read = updater->begin_file(path) || read;
  return read;
}

void ShardedUpdater::add_bytes(std::string_view bytes) {
  for (auto& updater : updaters_) updater->add_bytes(bytes);
}

bool ShardedUpdater::may_be_empty(const std::string& input) const {
  return std::any_of(updaters_.begin(), updaters_.end(),
                     [&](const auto& updater) { return updater->may_be_empty(input); });
}

Result<IndexBuilder::Added> ShardedUpdater::add(const Document& doc) {
  return updaters_[shard_of(doc.id, manifest_.shards)]->add(doc);
}

Result<std::vector<std::string>> ShardedUpdater::delete_ids(const std::vector<std::string>& ids) {
  std::vector<std::vector<std::string>> by_shard(manifest_.shards);
  for (const std::string& id : ids) by_shard[shard_of(id, manifest_.shards)].push_back(id);
  std::unordered_set<std::string> missing;
  for (uint32_t i = 0; i < manifest_.shards; ++i) {
    if (by_shard[i].empty()) continue;
    auto own = updaters_[i]->delete_ids(by_shard[i]);
    if (!own) return own.status();
    missing.insert(own->begin(), own->end());
  }
  std::vector<std::string> result;
  for (const std::string& id : ids) {
    if (missing.count(id) > 0) result.push_back(id);
  }
  return result;
}

Result<UpdateStats> ShardedUpdater::finish() {
  std::vector<UpdateStats> stats;
  UpdateStats total;
  for (auto& updater : updaters_) {
    if (merge_all_) updater->merge_all();
    auto own = updater->finish();
    if (!own) return own.status();
    total.changed = total.changed || own->changed;
    stats.push_back(*own);
  }
  if (!total.changed) return total;
  for (uint32_t i = 0; i < manifest_.shards; ++i) {
    const UpdateStats& own = stats[i];
    total.added += own.added;
    total.replaced += own.replaced;
    total.deleted += own.deleted;
    total.files_read = std::max(total.files_read, own.files_read);
    total.files_removed = std::max(total.files_removed, own.files_removed);
    total.merged_segments += own.merged_segments;
    if (own.changed) {
      total.segments += own.segments;
      total.live_documents += own.live_documents;
      continue;
    }
    // Unchanged: the old version of the shard, linked.
    const std::string old_dir = shard_dir(index_dir_, i);
    SCRY_RETURN_IF_ERROR(link_folder(old_dir, shard_dir(out_dir_, i)));
    auto old = IndexReader::open(old_dir);
    if (!old) return old.status();
    total.segments += (*old)->segments().size();
    total.live_documents += (*old)->manifest().live_documents();
  }
  SCRY_RETURN_IF_ERROR(write_shard_manifest(out_dir_, manifest_));
  total.index_bytes = folder_bytes(out_dir_);  // SHARDS too.
  return total;
}

}  // namespace scry
