#include "scry/format/file_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "scry/codec/varint.h"
#include "scry/format/format.h"
#include "scry/util/file.h"
#include "scry/util/stream_hash.h"

namespace scry {

Status write_file_table(const std::string& path, const std::vector<FileRecord>& records) {
  auto out = FileWriter::create(path, kKindFiles);
  if (!out) return out.status();
  std::string bytes;
  put_varint64(&bytes, records.size());
  for (const FileRecord& r : records) {
    put_length_prefixed(&bytes, r.path);
    put_varint64(&bytes, r.size);
    put_fixed64(&bytes, static_cast<uint64_t>(r.mtime_ns));
    put_fixed64(&bytes, r.hash);
    put_length_prefixed(&bytes, r.segment);
    put_varint32(&bytes, r.first_doc);
    put_varint32(&bytes, r.doc_count);
    if (bytes.size() >= (size_t{1} << 16)) {
      (*out)->append(bytes);
      bytes.clear();
    }
  }
  (*out)->append(bytes);
  return (*out)->finish();
}

Result<std::vector<FileRecord>> read_file_table(const std::string& path) {
  auto file = MappedFile::open(path, kKindFiles);
  if (!file) return file.status();
  SCRY_RETURN_IF_ERROR((*file)->verify());
  const uint8_t* p = (*file)->data();
  const uint8_t* end = p + (*file)->size();
  auto bad = [&] { return Status::corruption(path + ": damaged file table"); };
  uint64_t count = 0;
  if (!(p = get_varint64(p, end, &count)) || count > (*file)->size()) return bad();
  std::vector<FileRecord> records(count);
  for (FileRecord& r : records) {
    std::string_view path_bytes, segment;
    if (!(p = get_length_prefixed(p, end, &path_bytes)) || !(p = get_varint64(p, end, &r.size)) ||
        end - p < 16) {
      return bad();
    }
    r.mtime_ns = static_cast<int64_t>(decode_fixed64(p));
    r.hash = decode_fixed64(p + 8);
    p += 16;
    if (!(p = get_length_prefixed(p, end, &segment)) || !(p = get_varint32(p, end, &r.first_doc)) ||
        !(p = get_varint32(p, end, &r.doc_count))) {
      return bad();
    }
    r.path.assign(path_bytes);
    r.segment.assign(segment);
    if (&r != records.data() && !((&r - 1)->path < r.path)) return bad();
  }
  if (p != end) return bad();
  return records;
}

Result<uint64_t> hash_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::io_error(path + ": " + errno_message(errno));
  StreamHash hash;
  std::string buffer(size_t{1} << 16, '\0');
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Status::io_error(path + ": " + errno_message(err));
    }
    if (n == 0) break;
    hash.update(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  return hash.digest();
}

}  // namespace scry
