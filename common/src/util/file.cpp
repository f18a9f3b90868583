#include "scry/util/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "scry/codec/varint.h"
#include "scry/format/format.h"

namespace scry {

namespace {

constexpr size_t kWriteBufferSize = 256 << 10;

// The 4-byte kind tag for messages. A damaged footer can hold any bytes:
// those that are not printable ASCII are shown as \xNN, so that an error
// stays on one line.
std::string kind_name(uint32_t kind) {
  std::string s;
  for (size_t i = 0; i < 4; ++i) {
    auto byte = static_cast<uint8_t>((kind >> (8 * i)) & 0xff);
    if (byte >= 0x20 && byte < 0x7f) {
      s += static_cast<char>(byte);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      s += hex;
    }
  }
  return s;
}

}  // namespace

std::string errno_message(int err) { return std::strerror(err); }

uint64_t folder_bytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

FileWriter::FileWriter(std::string path, int fd, uint32_t kind)
    : path_(std::move(path)), fd_(fd), kind_(kind) {
  buffer_.reserve(kWriteBufferSize);
}

FileWriter::~FileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<FileWriter>> FileWriter::create(const std::string& path, uint32_t kind) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::io_error(path + ": " + errno_message(errno));
  return std::unique_ptr<FileWriter>(new FileWriter(path, fd, kind));
}

void FileWriter::append(std::string_view bytes) {
  hash_.update(bytes);
  offset_ += bytes.size();
  if (buffer_.size() + bytes.size() > kWriteBufferSize) flush_buffer();
  if (bytes.size() >= kWriteBufferSize) {
    write_all(bytes);
  } else {
    buffer_.append(bytes);
  }
}

void FileWriter::flush_buffer() {
  write_all(buffer_);
  buffer_.clear();
}

void FileWriter::write_all(std::string_view bytes) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0 && error_.is_ok()) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = Status::io_error(path_ + ": " + errno_message(errno));
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
    written_ += static_cast<uint64_t>(n);
  }
  constexpr uint64_t kWritebackBytes = uint64_t{8} << 20;
  if (written_ - writeback_ >= kWritebackBytes) {
    // A hint: an error here would be met again by write() or fsync().
    ::sync_file_range(fd_, static_cast<off_t>(writeback_),
                      static_cast<off_t>(written_ - writeback_), SYNC_FILE_RANGE_WRITE);
    writeback_ = written_;
  }
}

Status FileWriter::finish() {
  std::string footer;
  put_fixed64(&footer, offset_);
  put_fixed64(&footer, hash_.digest());
  put_fixed32(&footer, kFormatVersion);
  put_fixed32(&footer, kind_);
  footer.append(kMagic, sizeof kMagic);
  buffer_.append(footer);
  flush_buffer();
  if (error_.is_ok() && ::fsync(fd_) != 0) {
    error_ = Status::io_error(path_ + ": fsync: " + errno_message(errno));
  }
  if (::close(fd_) != 0 && error_.is_ok()) {
    error_ = Status::io_error(path_ + ": close: " + errno_message(errno));
  }
  fd_ = -1;
  return error_;
}

Result<std::unique_ptr<MappedFile>> MappedFile::open(const std::string& path, uint32_t kind,
                                                     Access access) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::not_found(path + ": missing file");
    return Status::io_error(path + ": " + errno_message(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::io_error(path + ": " + errno_message(err));
  }
  auto file = std::unique_ptr<MappedFile>(new MappedFile());
  file->path_ = path;
  file->fd_ = fd;  // Closed by the destructor from here on.
  size_t size = static_cast<size_t>(st.st_size);
  if (size < kFooterSize) {
    return Status::corruption(path + ": truncated (" + std::to_string(size) +
                              " bytes, shorter than the footer)");
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  int map_err = errno;
  if (access == Access::kMapped) {
    ::close(fd);
    file->fd_ = -1;
  }
  if (map == MAP_FAILED) return Status::io_error(path + ": mmap: " + errno_message(map_err));
  file->data_ = static_cast<const uint8_t*>(map);
  file->map_size_ = size;

  const uint8_t* footer = file->data_ + size - kFooterSize;
  if (std::memcmp(footer + 24, kMagic, sizeof kMagic) != 0) {
    return Status::corruption(path + ": not a scry index file or truncated (bad magic)");
  }
  uint32_t version = decode_fixed32(footer + 16);
  if (version < kOldestReadableFormatVersion || version > kFormatVersion) {
    return Status::not_supported(path + ": index format version " + std::to_string(version) +
                                 (version > kFormatVersion ? " is newer than" : " is older than") +
                                 " this scry's version " + std::to_string(kFormatVersion) +
                                 "; rebuild the index with this scry-index");
  }
  file->version_ = version;
  uint32_t file_kind = decode_fixed32(footer + 20);
  if (file_kind != kind) {
    return Status::corruption(path + ": wrong file kind '" + kind_name(file_kind) +
                              "' (expected '" + kind_name(kind) + "')");
  }
  uint64_t length = decode_fixed64(footer);
  if (length != size - kFooterSize) {
    return Status::corruption(path + ": truncated or altered (footer says " +
                              std::to_string(length) + " bytes of content, file has " +
                              std::to_string(size - kFooterSize) + ")");
  }
  file->content_size_ = static_cast<size_t>(length);
  file->checksum_ = decode_fixed64(footer + 8);
  return file;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<uint8_t*>(data_), map_size_);
  if (fd_ >= 0) ::close(fd_);
}

Status MappedFile::read_at(uint64_t offset, size_t size, uint8_t* out) const {
  while (size > 0) {
    const ssize_t n = ::pread(fd_, out, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::io_error(path_ + ": read: " + errno_message(errno));
    if (n == 0) {
      return Status::io_error(path_ + ": read: the file ends before byte " +
                              std::to_string(offset + size));
    }
    out += n;
    offset += static_cast<uint64_t>(n);
    size -= static_cast<size_t>(n);
  }
  return Status::ok();
}

Status MappedFile::verify() const {
  uint64_t actual = XXH3_64bits(data_, content_size_);
  if (actual != checksum_) return Status::corruption(path_ + ": checksum mismatch (file altered)");
  return Status::ok();
}

Result<std::string> read_whole_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::not_found(path + ": missing file");
    return Status::io_error(path + ": " + errno_message(err));
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return Status::io_error(path + ": " + errno_message(err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status link_or_copy(const std::string& from, const std::string& to) {
  if (::link(from.c_str(), to.c_str()) == 0) return Status::ok();
  std::error_code ec;
  std::filesystem::copy_file(from, to, ec);
  if (ec) return Status::io_error(to + ": " + ec.message());
  return Status::ok();
}

Status sync_directory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::io_error(path + ": " + errno_message(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::io_error(path + ": fsync: " + errno_message(err));
  return Status::ok();
}

}  // namespace scry
