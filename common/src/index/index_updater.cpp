#include "scry/index/index_updater.h"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <unordered_set>

#include "index/segment_merger.h"
#include "scry/format/deletions.h"
#include "scry/format/file_table.h"
#include "scry/format/index_reader.h"
#include "scry/index/file_tracker.h"
#include "scry/util/file.h"

namespace scry {

namespace {

// The data files of a segment, which never change once written.
constexpr const char* kSegmentFiles[] = {".terms", ".post", ".pos", ".store", ".norms"};
constexpr uint32_t kMergeFactor = 8;

uint32_t tier_of(uint32_t live) {
  uint32_t tier = 0;
  for (uint64_t size = kMergeFactor; size <= live; size *= kMergeFactor) ++tier;
  return tier;
}

// For a segment's deletions: live[d] = live documents before doc d.
std::vector<uint32_t> live_before(const Deletions& deletions) {
  std::vector<uint32_t> live(size_t{deletions.documents()} + 1, 0);
  for (uint32_t d = 0; d < deletions.documents(); ++d) {
    live[d + 1] = live[d] + (deletions.contains(d) ? 0 : 1);
  }
  return live;
}

}  // namespace

std::vector<std::pair<size_t, size_t>> plan_merges(const std::vector<SegmentMeta>& segments) {
  // Simulates the merges on the list of (live documents, is a merge result).
  std::vector<uint32_t> live;
  std::vector<std::pair<size_t, size_t>> origin;  // Range of input segments.
  for (size_t i = 0; i < segments.size(); ++i) {
    live.push_back(segments[i].live_documents());
    origin.emplace_back(i, i + 1);
  }
  std::vector<bool> rewrite(segments.size());
  for (size_t i = 0; i < segments.size(); ++i) {
    rewrite[i] =
        segments[i].deleted > 0 && uint64_t{segments[i].deleted} * 2 > segments[i].documents;
  }
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i + kMergeFactor <= live.size() && !merged; ++i) {
      size_t j = i + 1;
      while (j < live.size() && tier_of(live[j]) == tier_of(live[i])) ++j;
      if (j - i < kMergeFactor) continue;
      uint32_t sum = 0;
      for (size_t k = i; k < i + kMergeFactor; ++k) sum += live[k];
      live[i] = sum;
      origin[i].second = origin[i + kMergeFactor - 1].second;
      live.erase(live.begin() + static_cast<ptrdiff_t>(i) + 1,
                 live.begin() + static_cast<ptrdiff_t>(i + kMergeFactor));
      origin.erase(origin.begin() + static_cast<ptrdiff_t>(i) + 1,
                   origin.begin() + static_cast<ptrdiff_t>(i + kMergeFactor));
      merged = true;
    }
  }
  std::vector<std::pair<size_t, size_t>> plan;
  for (const auto& [begin, end] : origin) {
    if (end - begin > 1 || rewrite[begin]) plan.emplace_back(begin, end);
  }
  return plan;
}

struct IndexUpdater::Impl {
  Impl(std::string out, const UpdateOptions& o, std::unique_ptr<IndexReader> index,
       std::vector<FileRecord> files, const std::vector<std::string>& inputs)
      : out_dir(std::move(out)),
        options(o),
        old(std::move(index)),
        tracker(std::move(files), segment_name(old->manifest().next_segment), inputs) {
    for (const auto& seg : old->segments()) deletions.push_back(seg->deletions());
  }

  Status mark(size_t segment, uint32_t doc) {
    if (doc >= deletions[segment].documents()) {
      return Status::corruption(out_dir + ": FILES names a document past the end of " +
                                old->manifest().segments[segment].name);
    }
    if (deletions[segment].mark(doc)) ++stats.deleted;
    return Status::ok();
  }
  Status delete_obsolete_files();
  // Marks the live documents of the old segments whose id is in `ids`
  // deleted; adds those ids to *found when given.
  Status delete_live(const std::unordered_set<std::string>& ids,
                     std::unordered_set<std::string>* found);
  Status write_segments(std::vector<SegmentMeta>* metas, std::vector<FileRecord>* files);
  Status merge(size_t begin, size_t end, uint32_t number, std::vector<SegmentMeta>* metas,
               std::vector<FileRecord>* files);

  std::string out_dir;
  UpdateOptions options;
  std::unique_ptr<IndexReader> old;
  std::vector<Deletions> deletions;  // Per old segment, with this run's marks.
  FileTracker tracker;
  std::unique_ptr<IndexBuilder> builder;  // Created by the first add().
  uint32_t new_documents = 0;
  std::unordered_set<std::string> new_ids;
  UpdateStats stats;
};

IndexUpdater::IndexUpdater(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexUpdater::~IndexUpdater() = default;

Result<std::unique_ptr<IndexUpdater>> IndexUpdater::open(const std::string& index_dir,
                                                         const std::string& out_dir,
                                                         const std::vector<std::string>& inputs,
                                                         const UpdateOptions& options) {
  auto index = IndexReader::open(index_dir);
  if (!index) return index.status();
  auto files = read_file_table(index_dir + "/FILES");
  if (!files) {
    if (files.status().code() == Status::Code::kNotFound) {
      return Status::not_supported(index_dir + ": format version " +
                                   std::to_string((*index)->manifest().format_version) +
                                   " index without a FILES table; rebuild it to update it");
    }
    return files.status();
  }
  return std::unique_ptr<IndexUpdater>(new IndexUpdater(std::make_unique<Impl>(
      out_dir, options, std::move(index).value(), std::move(files).value(), inputs)));
}

bool IndexUpdater::begin_file(const std::string& path) {
  return impl_->tracker.begin_file(path, impl_->new_documents);
}

void IndexUpdater::add_bytes(std::string_view bytes) { impl_->tracker.add_bytes(bytes); }

bool IndexUpdater::may_be_empty(const std::string& input) const {
  std::error_code ec;
  return impl_->tracker.holds_files_under(input) || std::filesystem::is_directory(input, ec);
}

Result<IndexBuilder::Added> IndexUpdater::add(const Document& doc) {
  Impl& s = *impl_;
  if (!s.builder) {
    BuildOptions build;
    build.analyzer = s.old->manifest().analyzer;
    build.memory_budget = s.options.memory_budget;
    build.threads = s.options.threads;
    build.cancel = s.options.cancel;
    build.segment = s.old->manifest().next_segment;
    build.write_manifest = false;
    auto builder = IndexBuilder::create(s.out_dir, build);
    if (!builder) return builder.status();
    s.builder = std::move(builder).value();
  }
  auto added = s.builder->add(doc);
  if (!added) return added.status();
  if (*added == IndexBuilder::Added::kReplaced) ++s.stats.replaced;
  ++s.new_documents;
  s.new_ids.insert(doc.id);
  return added;
}

Result<std::vector<std::string>> IndexUpdater::delete_ids(const std::vector<std::string>& ids) {
  std::unordered_set<std::string> wanted(ids.begin(), ids.end());
  std::unordered_set<std::string> found;
  SCRY_RETURN_IF_ERROR(impl_->delete_live(wanted, &found));
  std::vector<std::string> missing;
  for (const std::string& id : ids) {
    if (found.count(id) == 0) missing.push_back(id);
  }
  return missing;
}

Status IndexUpdater::Impl::delete_live(const std::unordered_set<std::string>& ids,
                                       std::unordered_set<std::string>* found) {
  if (ids.empty()) return Status::ok();
  const auto& segments = old->segments();
  for (size_t i = 0; i < segments.size(); ++i) {
    for (uint32_t d = 0; d < segments[i]->doc_count(); ++d) {
      if (deletions[i].contains(d)) continue;
      auto meta = segments[i]->document_meta(d);
      if (!meta) return meta.status();
      if (ids.count(meta->id) == 0) continue;
      SCRY_RETURN_IF_ERROR(mark(i, d));
      if (found != nullptr) found->insert(meta->id);
    }
  }
  return Status::ok();
}

Status IndexUpdater::Impl::delete_obsolete_files() {
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < old->manifest().segments.size(); ++i) {
    by_name[old->manifest().segments[i].name] = i;
  }
  for (const FileRecord& r : tracker.obsolete()) {
    auto it = by_name.find(r.segment);
    if (it == by_name.end()) continue;  // The new segment, or none.
    for (uint32_t k = 0; k < r.doc_count; ++k)
      SCRY_RETURN_IF_ERROR(mark(it->second, r.first_doc + k));
  }
  return Status::ok();
}

// Links the old segments that keep live documents into out_dir, writes
// their deletion bitmaps, and lists them in *metas; records of files whose
// segment is dropped (every document deleted) keep no documents.
Status IndexUpdater::Impl::write_segments(std::vector<SegmentMeta>* metas,
                                          std::vector<FileRecord>* files) {
  std::map<std::string, bool> dropped;
  for (size_t i = 0; i < old->segments().size(); ++i) {
    SegmentMeta meta = old->manifest().segments[i];
    meta.deleted = deletions[i].count();
    if (meta.live_documents() == 0) {
      dropped[meta.name] = true;
      continue;
    }
    for (const char* ext : kSegmentFiles) {
      SCRY_RETURN_IF_ERROR(
          link_or_copy(old->path() + "/" + meta.name + ext, out_dir + "/" + meta.name + ext));
    }
    if (meta.has_words) {
      SCRY_RETURN_IF_ERROR(link_or_copy(old->path() + "/" + meta.name + ".words",
                                        out_dir + "/" + meta.name + ".words"));
    }
    if (meta.deleted > 0)
      SCRY_RETURN_IF_ERROR(deletions[i].write(out_dir + "/" + meta.name + ".del"));
    metas->push_back(meta);
  }
  for (FileRecord& r : *files) {
    if (dropped.count(r.segment) != 0) {
      r.segment.clear();
      r.first_doc = 0;
      r.doc_count = 0;
    }
  }
  return Status::ok();
}

// Merges (*metas)[begin, end) of out_dir into segment `number`, which takes
// their place; renumbers the FILES records of their documents and removes
// their files from out_dir (the old version keeps its own links).
Status IndexUpdater::Impl::merge(size_t begin, size_t end, uint32_t number,
                                 std::vector<SegmentMeta>* metas, std::vector<FileRecord>* files) {
  std::vector<std::unique_ptr<SegmentReader>> readers;
  std::vector<const SegmentReader*> inputs;
  for (size_t i = begin; i < end; ++i) {
    auto reader = SegmentReader::open(out_dir, (*metas)[i]);
    if (!reader) return reader.status();
    // A damaged segment must not be merged: the merged one would carry
    // its damage under new checksums, out of --verify's sight (Lucene's
    // merges check their inputs' checksums too). An old segment is checked
    // where the user knows it, in the index (out_dir links its files).
    const SegmentReader* checked = reader->get();
    for (const auto& segment : old->segments()) {
      if (segment->meta().name == (*metas)[i].name) checked = segment.get();
    }
    if (auto verified = checked->verify(); !verified) return verified.status();
    inputs.push_back(reader->get());
    readers.push_back(std::move(reader).value());
  }
  auto merged = merge_segments(inputs, out_dir, number);
  if (!merged) return merged.status();

  std::map<std::string, std::pair<uint32_t, std::vector<uint32_t>>> remap;  // Base, live_before.
  uint32_t base = 0;
  for (const auto& reader : readers) {
    auto live = live_before(reader->deletions());
    uint32_t count = live.back();
    remap[reader->meta().name] = {base, std::move(live)};
    base += count;
  }
  for (FileRecord& r : *files) {
    auto it = remap.find(r.segment);
    if (it == remap.end()) continue;
    const auto& [segment_base, live] = it->second;
    const uint32_t last =
        std::min<uint32_t>(r.first_doc + r.doc_count, static_cast<uint32_t>(live.size() - 1));
    const uint32_t first = std::min(r.first_doc, last);
    r.segment = merged->name;
    r.doc_count = live[last] - live[first];
    r.first_doc = segment_base + live[first];
  }
  readers.clear();
  for (size_t i = begin; i < end; ++i) {
    for (const char* ext : kSegmentFiles)
      ::unlink((out_dir + "/" + (*metas)[i].name + ext).c_str());
    ::unlink((out_dir + "/" + (*metas)[i].name + ".words").c_str());
    ::unlink((out_dir + "/" + (*metas)[i].name + ".del").c_str());
  }
  metas->erase(metas->begin() + static_cast<ptrdiff_t>(begin) + 1,
               metas->begin() + static_cast<ptrdiff_t>(end));
  (*metas)[begin] = std::move(merged).value();
  stats.merged_segments += end - begin;
  return Status::ok();
}

Result<UpdateStats> IndexUpdater::finish() {
  Impl& s = *impl_;
  s.tracker.finish(s.new_documents);
  s.stats.files_read = s.tracker.files_read();
  s.stats.files_removed = s.tracker.files_removed();
  SCRY_RETURN_IF_ERROR(s.delete_obsolete_files());
  // Live documents of older segments whose id a new document carries.
  SCRY_RETURN_IF_ERROR(s.delete_live(s.new_ids, nullptr));

  const Manifest& old = s.old->manifest();
  bool any_deleted = false;
  for (const Deletions& d : s.deletions) any_deleted = any_deleted || d.count() > 0;
  const bool merge_everything = merge_all_ && (old.segments.size() > 1 || any_deleted);
  s.stats.added = s.new_documents;
  s.stats.changed =
      s.new_documents > 0 || s.stats.deleted > 0 || s.tracker.changed() || merge_everything;
  if (!s.stats.changed) {  // The old version stays: its figures.
    s.stats.segments = old.segments.size();
    s.stats.live_documents = old.live_documents();
    s.stats.index_bytes = folder_bytes(s.old->path());
    return s.stats;
  }

  std::vector<SegmentMeta> metas;
  std::vector<FileRecord> files = s.tracker.records();
  SCRY_RETURN_IF_ERROR(s.write_segments(&metas, &files));
  uint32_t next_segment = old.next_segment;
  if (s.builder) {
    auto built = s.builder->finish();
    if (!built) return built.status();
    metas.push_back(built->segment);
    ++next_segment;
  }
  std::vector<std::pair<size_t, size_t>> plan;
  if (merge_all_) {
    if (metas.size() > 1 || (metas.size() == 1 && metas[0].deleted > 0))
      plan.emplace_back(0, metas.size());
  } else {
    plan = plan_merges(metas);
  }
  size_t removed = 0;  // Segments the merges so far took out of the list.
  for (const auto& [begin, end] : plan) {
    SCRY_RETURN_IF_ERROR(s.merge(begin - removed, end - removed, next_segment++, &metas, &files));
    removed += end - begin - 1;
  }

  Manifest m;
  m.created_by = s.options.created_by;
  m.analyzer = old.analyzer;
  m.segments = metas;
  m.next_segment = next_segment;
  SCRY_RETURN_IF_ERROR(write_file_table(s.out_dir + "/FILES", files));
  auto out = FileWriter::create(s.out_dir + "/MANIFEST", kKindManifest);
  if (!out) return out.status();
  (*out)->append(manifest_to_json(m));
  SCRY_RETURN_IF_ERROR((*out)->finish());

  s.stats.segments = metas.size();
  s.stats.live_documents = m.live_documents();
  s.stats.index_bytes = folder_bytes(s.out_dir);
  return s.stats;
}

}  // namespace scry
