#include "scry/format/index_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <tuple>

#include "scry/codec/varint.h"
#include "scry/format/file_table.h"
#include "scry/format/shard_manifest.h"

namespace scry {

std::string term_key(Field field, std::string_view term) {
  std::string key(1, static_cast<char>(field));
  key.append(term);
  return key;
}

Result<std::unique_ptr<SegmentReader>> SegmentReader::open(const std::string& dir,
                                                           const SegmentMeta& meta) {
  auto seg = std::unique_ptr<SegmentReader>(new SegmentReader());
  seg->meta_ = meta;
  std::string base = dir + "/" + meta.name;
  using Access = MappedFile::Access;
  struct {
    std::unique_ptr<MappedFile>* slot;
    const char* ext;
    uint32_t kind;
    Access access;
  } files[] = {{&seg->terms_file_, ".terms", kKindTerms, Access::kMapped},
               {&seg->post_, ".post", kKindPostings, Access::kMapped},
               {&seg->pos_, ".pos", kKindPositions, Access::kMapped},
               // The store's frames are read with pread (DocStoreReader).
               {&seg->store_file_, ".store", kKindStore, Access::kMappedAndPread},
               {&seg->norms_, ".norms", kKindNorms, Access::kMapped}};
  for (auto& f : files) {
    auto mapped = MappedFile::open(base + f.ext, f.kind, f.access);
    if (!mapped) return mapped.status();
    *f.slot = std::move(mapped).value();
  }
  // One writer writes a segment's files together, at one format version
  // (a damaged footer can turn it into another readable one).
  for (auto& f : files) {
    const uint32_t version = (*f.slot)->version();
    const auto same = std::count_if(std::begin(files), std::end(files),
                                    [&](const auto& g) { return (*g.slot)->version() == version; });
    if (2 * same < static_cast<ptrdiff_t>(std::size(files))) {
      return Status::corruption((*f.slot)->path() + ": format version " + std::to_string(version) +
                                " differs from the segment's other files");
    }
  }
  const MappedFile& norms = *seg->norms_;
  uint64_t expected = 8 + uint64_t{kFieldCount} * meta.documents * 4;
  if (norms.size() != expected || decode_fixed32(norms.data()) != kFieldCount ||
      decode_fixed32(norms.data() + 4) != meta.documents) {
    return Status::corruption(norms.path() + ": document lengths do not match the manifest");
  }
  auto terms = TermDictionaryReader::open(*seg->terms_file_);
  if (!terms) return terms.status();
  seg->terms_ = std::move(terms).value();
  if (seg->terms_->term_count() != meta.terms) {
    return Status::corruption(seg->terms_file_->path() +
                              ": term count does not match the manifest");
  }
  seg->deletions_ = Deletions(meta.documents);
  if (meta.deleted > 0) {
    auto file = MappedFile::open(base + ".del", kKindDeletions);
    if (!file) return file.status();
    seg->deletions_file_ = std::move(file).value();
    auto deletions = Deletions::parse(*seg->deletions_file_, meta.documents);
    if (!deletions) return deletions.status();
    if (deletions->count() != meta.deleted) {
      return Status::corruption(seg->deletions_file_->path() +
                                ": deleted count does not match the manifest");
    }
    seg->deletions_ = std::move(deletions).value();
  }
  auto store = DocStoreReader::open(*seg->store_file_);
  if (!store) return store.status();
  seg->store_ = std::move(store).value();
  if (seg->store_->doc_count() != meta.documents) {
    return Status::corruption(seg->store_file_->path() +
                              ": document count does not match the manifest");
  }
  if (meta.has_words) {
    auto file = MappedFile::open(base + ".words", kKindWords);
    if (!file) return file.status();
    seg->words_file_ = std::move(file).value();
    auto words = WordDictionaryReader::open(*seg->words_file_);
    if (!words) return words.status();
    if (words->word_count() != meta.words) {
      return Status::corruption(seg->words_file_->path() +
                                ": word count does not match the manifest");
    }
    seg->words_ = std::move(words).value();
  }
  return seg;
}

Result<std::vector<Impact>> SegmentReader::term_impacts(Field field, const TermInfo& info) const {
  if (info.df >= kPostingsBlockSize) return info.impacts;
  std::vector<Impact> impacts;
  PostingsCursor c = postings(info);
  for (; c.doc() != PostingsCursor::kEnd; c.next()) {
    impacts.push_back({c.freq(), doc_length(field, c.doc())});
  }
  if (!c.status().is_ok()) return c.status();
  pareto_impacts(&impacts);
  return impacts;
}

Result<size_t> SegmentReader::verify() const {
  size_t files = 0;
  for (const auto* f :
       {&terms_file_, &post_, &pos_, &store_file_, &norms_, &deletions_file_, &words_file_}) {
    if (!*f) continue;
    SCRY_RETURN_IF_ERROR((*f)->verify());
    ++files;
  }
  if (words_) SCRY_RETURN_IF_ERROR(words_->verify());
  return files;
}

namespace {

// How many times open() starts again when a writer publishes a new version
// of the index while it reads it.
constexpr int kOpenAttempts = 10;

// The folder's device, inode and change time: publishing a new version
// swaps folders (scry/index/publish.h), so the name then names another
// inode, or one freed and reused, but changed later. nullopt when the
// folder cannot be read.
std::optional<std::tuple<dev_t, ino_t, time_t, long>> folder_identity(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return std::nullopt;
  return std::make_tuple(st.st_dev, st.st_ino, st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

}  // namespace

Result<std::unique_ptr<IndexReader>> IndexReader::open(const std::string& dir) {
  for (int attempt = 1;; ++attempt) {
    const auto before = folder_identity(dir);
    auto index = open_version(dir);
    if (folder_identity(dir) == before) return index;
    // A writer published a new version meanwhile: the files read may be of
    // two versions, or gone (a merged segment's). Read again, as Lucene
    // retries when a commit changes under it.
    if (attempt == kOpenAttempts) {
      return Status::io_error(dir + ": replaced by a writer " + std::to_string(kOpenAttempts) +
                              " times while being opened; try again");
    }
  }
}

Result<std::unique_ptr<IndexReader>> IndexReader::open_version(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return Status::not_found(dir + ": no such index");
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::invalid_argument(dir + ": not an index folder");
  }
  if (is_sharded(dir)) return open_sharded(dir);
  auto index = std::unique_ptr<IndexReader>(new IndexReader());
  index->dir_ = dir;
  std::string manifest_path = dir + "/MANIFEST";
  auto file = MappedFile::open(manifest_path, kKindManifest);
  if (!file) {
    if (file.status().code() == Status::Code::kNotFound) {
      return Status::not_found(manifest_path + ": missing (not a scry index?)");
    }
    return file.status();
  }
  index->manifest_file_ = std::move(file).value();
  SCRY_RETURN_IF_ERROR(index->manifest_file_->verify());
  auto manifest = parse_manifest(index->manifest_file_->view(), manifest_path);
  if (!manifest) return manifest.status();
  index->manifest_ = std::move(manifest).value();
  for (const SegmentMeta& meta : index->manifest_.segments) {
    auto seg = SegmentReader::open(dir, meta);
    if (!seg) return seg.status();
    index->segments_.push_back(std::move(seg).value());
  }
  return index;
}

Result<size_t> IndexReader::verify() const {
  if (shards_file_) return verify_sharded();
  SCRY_RETURN_IF_ERROR(manifest_file_->verify());
  size_t files = 1;
  // FILES is not needed to search (only to update), so open() leaves it
  // alone; a format 1 index has none, a later one must have it.
  if (manifest_.format_version >= 2) {
    auto table = read_file_table(dir_ + "/FILES");
    if (!table) {
      if (table.status().code() == Status::Code::kNotFound) {
        return Status::corruption(dir_ + "/FILES: missing (an index of format version 2 or " +
                                  "later has one; rebuild the index)");
      }
      return table.status();
    }
    ++files;
  }
  for (const auto& seg : segments_) {
    auto n = seg->verify();
    if (!n) return n.status();
    files += *n;
  }
  return files;
}

}  // namespace scry
