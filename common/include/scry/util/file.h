// Files: buffered, checksummed writing with a footer, and read-only mapping.
//
// Every file of an index is written through a FileWriter, which appends the
// footer of docs/FORMAT.md (length, xxh3-64, version, kind, magic) and syncs
// the file to disk before it is published. Files are read through a
// MappedFile: open() maps the whole file and checks the footer cheaply
// (size, magic, kind, version); verify() also checks the checksum.
//
// Thread safety: a FileWriter is single-threaded. A MappedFile is immutable
// once opened and may be read from any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "scry/util/status.h"
#include "scry/util/stream_hash.h"

namespace scry {

class FileWriter {
 public:
  // Creates (truncates) `path`. `kind` is the 4-byte file kind tag written in
  // the footer (see format.h).
  static Result<std::unique_ptr<FileWriter>> create(const std::string& path, uint32_t kind);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  // Appends bytes. Errors are remembered and returned by finish().
  void append(std::string_view bytes);
  // Bytes appended so far (the offset of the next byte).
  uint64_t offset() const { return offset_; }

  // Appends the footer, flushes, fsyncs and closes. Returns the first error
  // met while writing (e.g. "idx/seg1.post: No space left on device").
  // The kernel is asked to start writing each 8 MiB out as soon as it is
  // written (sync_file_range), so that the fsync has little left to wait
  // for: a build's fsyncs took about 0.15 s at the end on the articles.
  Status finish();

  const std::string& path() const { return path_; }

 private:
  FileWriter(std::string path, int fd, uint32_t kind);
  void flush_buffer();
  void write_all(std::string_view bytes);

  std::string path_;
  int fd_;
  uint32_t kind_;
  uint64_t offset_ = 0;
  uint64_t written_ = 0;    // Bytes written to fd_.
  uint64_t writeback_ = 0;  // Bytes the kernel was asked to write out.
  std::string buffer_;
  Status error_;
  StreamHash hash_;  // Of the bytes appended.
};

class MappedFile {
 public:
  // Maps `path` and checks its footer: magic, `kind`, format version and
  // length. Errors: NotFound (missing), IOError, Corruption (bad magic, kind
  // or length: "PATH: truncated or not a scry index file"), NotSupported (a
  // format version outside kOldestReadableFormatVersion..kFormatVersion,
  // naming both versions).
  // With Access::kMappedAndPread the file descriptor stays open (one per
  // file, until the destructor) for read_at().
  enum class Access { kMapped, kMappedAndPread };
  static Result<std::unique_ptr<MappedFile>> open(const std::string& path, uint32_t kind,
                                                  Access access = Access::kMapped);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // The contents before the footer.
  const uint8_t* data() const { return data_; }
  size_t size() const { return content_size_; }
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), content_size_}; }
  const std::string& path() const { return path_; }
  // The format version in the footer (kOldestReadableFormatVersion ..
  // kFormatVersion): readers of files whose layout changed read it.
  uint32_t version() const { return version_; }

  // Copies bytes [offset, offset + size) of the contents to `out` with
  // pread, without touching the mapping: for small reads scattered over a
  // large file, one system call each instead of a page fault that maps (and
  // at exit unmaps) the pages around it. REQUIRES: opened with
  // Access::kMappedAndPread, offset + size <= size().
  // Errors: IOError naming the file (a read error, or the file shrank).
  Status read_at(uint64_t offset, size_t size, uint8_t* out) const;
  // Whether read_at() may be used (opened with Access::kMappedAndPread).
  bool can_read_at() const { return fd_ >= 0; }

  // Recomputes the xxh3-64 of the contents and compares it with the footer.
  // Errors: Corruption ("PATH: checksum mismatch").
  Status verify() const;

 private:
  MappedFile() = default;
  std::string path_;
  int fd_ = -1;  // Access::kMappedAndPread: kept open for read_at().
  const uint8_t* data_ = nullptr;
  size_t map_size_ = 0;
  size_t content_size_ = 0;
  uint64_t checksum_ = 0;
  uint32_t version_ = 0;
};

// Reads a whole (small) file into memory. Errors: NotFound, IOError.
Result<std::string> read_whole_file(const std::string& path);

// Hard-links the file `from` to `to` (which must not exist), or copies it
// when the file system refuses links. Errors: IOError naming `to`.
Status link_or_copy(const std::string& from, const std::string& to);

// The bytes of the files in `dir` and in its folders, at any depth (an
// index's size, sharded or not); what cannot be read counts 0.
uint64_t folder_bytes(const std::string& dir);

// fsyncs a directory so that renames and new entries in it are durable.
Status sync_directory(const std::string& path);

// The message of errno value `err` ("No such file or directory").
std::string errno_message(int err);

}  // namespace scry
