#include "index/run_file.h"

#include <sys/stat.h>

#include <cerrno>

#include "scry/codec/varint.h"
#include "scry/format/format.h"
#include "scry/util/file.h"

namespace scry {

Status write_run(const std::string& path,
                 const std::vector<std::pair<std::string_view, const Inverter::Entry*>>& entries) {
  auto out = FileWriter::create(path, kKindRun);
  if (!out) return out.status();
  std::string header;
  for (const auto& [key, entry] : entries) {
    header.clear();
    put_length_prefixed(&header, key);
    put_varint32(&header, entry->df);
    put_varint64(&header, entry->stream.size());
    (*out)->append(header);
    (*out)->append(entry->stream);
  }
  return (*out)->finish();
}

Result<std::unique_ptr<RunReader>> RunReader::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::io_error(path + ": " + errno_message(errno));
  struct stat st {};
  if (::fstat(fileno(f), &st) != 0 || static_cast<uint64_t>(st.st_size) < kFooterSize) {
    std::fclose(f);
    return Status::corruption(path + ": truncated run file");
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  return std::unique_ptr<RunReader>(
      new RunReader(path, f, static_cast<uint64_t>(st.st_size) - kFooterSize));
}

RunReader::~RunReader() { std::fclose(file_); }

bool RunReader::read_varint(uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && left_ > 0; shift += 7) {
    int c = std::getc(file_);
    --left_;
    if (c == EOF) break;
    *v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return true;
  }
  status_ = Status::corruption(path_ + ": damaged run file");
  return false;
}

bool RunReader::read_bytes(std::string* out, uint64_t n) {
  if (n > left_) {
    status_ = Status::corruption(path_ + ": damaged run file");
    return false;
  }
  out->resize(n);
  if (n > 0 && std::fread(out->data(), 1, n, file_) != n) {
    status_ = Status::io_error(path_ + ": read failed");
    return false;
  }
  left_ -= n;
  return true;
}

bool RunReader::next() {
  if (left_ == 0 || !status_.is_ok()) return false;
  uint64_t key_len = 0, df = 0, stream_len = 0;
  return read_varint(&key_len) && read_bytes(&key_, key_len) && read_varint(&df) &&
         read_varint(&stream_len) && read_bytes(&stream_, stream_len);
}

bool PostingStreamReader::next_gaps(uint32_t* doc, uint32_t* tf, std::string_view* gaps) {
  if (p_ >= end_ || failed_) return false;
  uint64_t delta = 0;
  *tf = 0;
  const uint8_t* p = get_varint64(p_, end_, &delta);
  if (p) p = get_varint32(p, end_, tf);
  const uint8_t* first = p;
  for (uint32_t i = 0; p != nullptr && i < *tf; ++i) {
    uint32_t gap = 0;
    p = get_varint32(p, end_, &gap);
  }
  if (p == nullptr || delta == 0 || *tf == 0) {
    failed_ = true;
    return false;
  }
  *gaps = std::string_view(reinterpret_cast<const char*>(first), static_cast<size_t>(p - first));
  doc_ += static_cast<int64_t>(delta);
  *doc = static_cast<uint32_t>(doc_);
  p_ = p;
  return true;
}

}  // namespace scry
