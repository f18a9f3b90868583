#include "scry/index/file_tracker.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <utility>

namespace scry {

namespace {

// The size and modification time of the file at `path` (following links).
// A regular file's size and mtime. Anything else (a named pipe, a device)
// is not stated: its content cannot be compared from run to run, and
// hashing it would read it beside the reader (the two would split a pipe's
// data).
bool stat_file(const std::string& path, uint64_t* size, int64_t* mtime_ns) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  *size = static_cast<uint64_t>(info.st_size);
  *mtime_ns = int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
  return true;
}

}  // namespace

std::string FileTracker::normal_path(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  if (ec) p = path;
  std::string normal = p.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

FileTracker::FileTracker(std::vector<FileRecord> previous, std::string segment,
                         const std::vector<std::string>& inputs)
    : segment_(std::move(segment)) {
  for (FileRecord& r : previous) {
    std::string key = r.path;
    entries_.emplace(std::move(key), Entry{std::move(r), false});
  }
  for (const std::string& input : inputs) {
    if (input != "-") inputs_.push_back(normal_path(input));
  }
}

bool FileTracker::under(const std::string& path, const std::string& input) {
  if (path == input) return true;
  return path.size() > input.size() && path.compare(0, input.size(), input) == 0 &&
         (input == "/" || path[input.size()] == '/');
}

bool FileTracker::under_inputs(const std::string& path) const {
  return std::any_of(inputs_.begin(), inputs_.end(),
                     [&](const std::string& input) { return under(path, input); });
}

bool FileTracker::holds_files_under(const std::string& input) const {
  if (input == "-") return false;
  const std::string normal = normal_path(input);
  // Records sort by path: those under `normal` start at its first >= it.
  for (auto it = entries_.lower_bound(normal); it != entries_.end(); ++it) {
    if (under(it->first, normal)) return true;
    if (it->first.compare(0, normal.size(), normal) != 0) break;
  }
  return false;
}

void FileTracker::close_current(uint32_t next_doc) {
  record_hash();
  if (current_ == nullptr) return;
  current_->doc_count = next_doc - current_->first_doc;
  current_ = nullptr;
}

bool FileTracker::begin_file(const std::string& path, uint32_t next_doc) {
  close_current(next_doc);
  FileRecord now;
  now.path = normal_path(path);
  const bool stated = stat_file(now.path, &now.size, &now.mtime_ns);
  auto it = entries_.find(now.path);
  if (it != entries_.end() && it->second.seen) {
    // Named twice (e.g. a file and its folder): read once, so that its
    // documents do not replace themselves.
    return false;
  }
  if (it != entries_.end() && stated) {
    FileRecord& old = it->second.record;
    it->second.seen = true;
    if (old.size == now.size && old.mtime_ns == now.mtime_ns) return false;
  }
  if (stated && it != entries_.end()) {
    auto hash = hash_file(now.path);
    if (hash) now.hash = *hash;
    if (hash && it != entries_.end() && *hash == it->second.record.hash) {
      // Touched: the same content, a new size or mtime.
      it->second.record.size = now.size;
      it->second.record.mtime_ns = now.mtime_ns;
      changed_ = true;
      return false;
    }
  }
  now.segment = segment_;
  now.first_doc = next_doc;
  changed_ = true;
  ++files_read_;
  if (it != entries_.end()) {
    obsolete_.push_back(it->second.record);
    it->second.record = now;
    it->second.seen = true;
    current_ = &it->second.record;
  } else {
    current_ = &entries_.emplace(now.path, Entry{now, true}).first->second.record;
    if (stated) {
      hashing_ = current_;
      hash_.reset();
      hashed_bytes_ = 0;
    }
  }
  return true;
}

void FileTracker::add_bytes(std::string_view bytes) {
  if (hashing_ == nullptr) return;
  hash_.update(bytes);
  hashed_bytes_ += bytes.size();
}

void FileTracker::record_hash() {
  if (hashing_ == nullptr) return;
  if (hashed_bytes_ == hashing_->size) {
    hashing_->hash = hash_.digest();
  } else {
    auto hash = hash_file(hashing_->path);
    if (hash) hashing_->hash = *hash;
  }
  hashing_ = nullptr;
}

void FileTracker::finish(uint32_t next_doc) {
  close_current(next_doc);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.seen && under_inputs(it->first)) {
      obsolete_.push_back(it->second.record);
      it = entries_.erase(it);
      changed_ = true;
      ++files_removed_;
    } else {
      ++it;
    }
  }
}

std::vector<FileRecord> FileTracker::records() const {
  std::vector<FileRecord> out;
  out.reserve(entries_.size());
  for (const auto& [path, entry] : entries_) out.push_back(entry.record);
  return out;
}

}  // namespace scry
