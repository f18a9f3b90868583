// FileTracker: which input files a build or update reads, and the FILES
// table it leaves behind (docs/SEGMENTS.md, "The FILES table" and
// "--update").
//
// The reader asks begin_file() before opening each input file. For a build
// (no earlier records) every file is read. For an update, a file whose size
// and modification time equal its record is unchanged: it costs one stat
// and is not read. A file whose size or mtime differ but whose content hash
// equals the record's is "touched": not read, its record takes the new size
// and mtime. Any other file is read into the new segment, and its earlier
// documents (if any) are to be deleted.
//
// Documents of one file get consecutive doc ids: begin_file() is given the
// doc id the file's first document will get, and the file's range ends
// where the next file (or finish()) begins.
//
// A file without an earlier record is read whatever its hash: its hash is
// that of the bytes the reader read (add_bytes(), DocumentSink::on_bytes),
// so the file is read once (until 2026-12-07 another thread read it again
// to hash it, docs/PERFORMANCE.md).
//
// Thread safety: single-threaded.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/file_table.h"
#include "scry/util/status.h"
#include "scry/util/stream_hash.h"

namespace scry {

class FileTracker {
 public:
  // `previous`: the FILES records of the index being updated (empty for a
  // build); `segment`: the name of the segment new documents go to;
  // `inputs`: the INPUT paths as given (files or folders; "-" is ignored),
  // which say which recorded files an update is responsible for.
  FileTracker(std::vector<FileRecord> previous, std::string segment,
              const std::vector<std::string>& inputs);

  // Decides whether the file at `path` must be read; `next_doc` is the doc
  // id its first document would get in the new segment. True: read it (its
  // record is begun). False: unchanged or touched (not to be read). A file
  // that cannot be stat'ed or hashed is read, so that the reader reports
  // the problem as it would in a build. Never fails.
  bool begin_file(const std::string& path, uint32_t next_doc);

  // Hashes `bytes`, the next bytes read of the file begin_file() last said
  // to read. When they add up to the size begin_file() found, their hash is
  // the file's in FILES; otherwise (the reader stopped early, at a binary
  // file's first bytes or a text file's size limit; the file changed as it
  // was read; a caller that gives no bytes) the file is hashed again from
  // its path when its range closes.
  void add_bytes(std::string_view bytes);

  // Closes the last file's range at `next_doc` (the new segment's document
  // count). Call once, after the last input.
  void finish(uint32_t next_doc);

  // Records whose documents must be deleted: the earlier records of files
  // read again (changed) and of files under the inputs that the walk no
  // longer met (removed, renamed, excluded). Valid after finish().
  const std::vector<FileRecord>& obsolete() const { return obsolete_; }

  // Files begin_file() said to read; recorded files found gone by finish().
  uint64_t files_read() const { return files_read_; }
  uint64_t files_removed() const { return files_removed_; }

  // Whether the table differs from the earlier one (files read, touched or
  // gone). Valid after finish().
  bool changed() const { return changed_; }

  // The new table, sorted by path: the earlier records kept, touched ones
  // updated, the files read with their new ranges. Valid after finish().
  std::vector<FileRecord> records() const;

  // Whether an earlier record lies at or under `input` (a file or folder
  // path as given): an update's INPUT whose files the index holds.
  bool holds_files_under(const std::string& input) const;

  // `path` made absolute and lexically normal, as FILES stores it.
  static std::string normal_path(const std::string& path);

 private:
  struct Entry {
    FileRecord record;
    bool seen = false;  // Met by the walk of this run.
  };
  bool under_inputs(const std::string& path) const;
  // Whether `path` is `input` or lies under it (both normal).
  static bool under(const std::string& path, const std::string& input);
  void close_current(uint32_t next_doc);
  // Records the hash of the file being read, if it is hashed as read.
  void record_hash();

  std::map<std::string, Entry> entries_;  // By path: the earlier and the new records.
  std::string segment_;
  std::vector<std::string> inputs_;  // Normal, absolute.
  FileRecord* current_ = nullptr;    // The file being read.
  // The file hashed as it is read (nullptr: none), and its bytes so far.
  FileRecord* hashing_ = nullptr;
  StreamHash hash_;
  uint64_t hashed_bytes_ = 0;
  std::vector<FileRecord> obsolete_;
  bool changed_ = false;
  uint64_t files_read_ = 0, files_removed_ = 0;
};

}  // namespace scry
