// Run files: the inverter's postings flushed to disk when the memory budget
// is reached, to be merged into the segment at the end of the build.
//
// A run is a sequence of records sorted by key: varint key length, key,
// varint df, varint stream length, posting stream (see inverter.h); then
// the usual footer. Runs live in the build's temporary folder only.
//
// Thread safety: single-threaded objects.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/inverter.h"
#include "scry/util/status.h"

namespace scry {

inline constexpr uint32_t kKindRun = make_kind('R', 'U', 'N', '_');

// Writes `entries` (sorted by key) as a run file at `path`.
Status write_run(const std::string& path,
                 const std::vector<std::pair<std::string_view, const Inverter::Entry*>>& entries);

// Reads a run file record by record, holding one record in memory.
class RunReader {
 public:
  static Result<std::unique_ptr<RunReader>> open(const std::string& path);
  ~RunReader();
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  // Loads the next record; false at the end or on error (see status()).
  bool next();
  const std::string& key() const { return key_; }
  const std::string& stream() const { return stream_; }
  const Status& status() const { return status_; }

 private:
  RunReader(std::string path, std::FILE* file, uint64_t content_size)
      : path_(std::move(path)), file_(file), left_(content_size) {}
  bool read_varint(uint64_t* v);
  bool read_bytes(std::string* out, uint64_t n);

  std::string path_;
  std::FILE* file_;
  uint64_t left_;  // Content bytes not read yet.
  std::string key_;
  std::string stream_;
  Status status_;
};

// Decodes a posting stream into (doc, positions).
class PostingStreamReader {
 public:
  explicit PostingStreamReader(std::string_view stream)
      : p_(reinterpret_cast<const uint8_t*>(stream.data())), end_(p_ + stream.size()) {}
  // Reads the next posting: its doc, tf and the bytes of its positions'
  // gaps (tf varints, each checked, for PostingsWriter::add_gaps()); false
  // at the end. Malformed streams (which can only come from a damaged
  // temporary file) end the stream and set failed().
  bool next_gaps(uint32_t* doc, uint32_t* tf, std::string_view* gaps);
  bool failed() const { return failed_; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  int64_t doc_ = -1;
  bool failed_ = false;
};

}  // namespace scry
