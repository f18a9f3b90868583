#include "scry/format/doc_store.h"

#include <zstd.h>


#include "scry/codec/varint.h"
#include "scry/format/format.h"

namespace scry {

namespace {
constexpr size_t kIndexEntrySize = 16;  // u64 offset, u32 first doc, u32 raw size.
constexpr size_t kTrailerSize = 16;     // u64 index offset, u32 chunks, u32 docs.
}  // namespace

struct DocStoreWriter::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Context() { ZSTD_freeCCtx(cctx); }
};

struct DocStoreReader::Context {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ~Context() { ZSTD_freeDCtx(dctx); }
};

DocStoreWriter::DocStoreWriter(FileWriter* out) : out_(out), zstd_(std::make_unique<Context>()) {}
DocStoreWriter::~DocStoreWriter() = default;

Status DocStoreWriter::add(const StoredDocument& doc) {
  put_length_prefixed(&chunk_, doc.id);
  put_length_prefixed(&chunk_, doc.title);
  put_length_prefixed(&chunk_, doc.source);
  put_varint32(&chunk_, doc.length);
  put_length_prefixed(&chunk_, doc.body);
  ++doc_count_;
  if (chunk_.size() >= kStoreChunkBytes) return flush_chunk();
  return Status::ok();
}

Status DocStoreWriter::flush_chunk() {
  if (doc_count_ == chunk_first_doc_) return Status::ok();
  compressed_.resize(ZSTD_compressBound(chunk_.size()));
  size_t n = ZSTD_compressCCtx(zstd_->cctx, compressed_.data(), compressed_.size(), chunk_.data(),
                               chunk_.size(), kStoreZstdLevel);
  if (ZSTD_isError(n)) {
    return Status::io_error(out_->path() + ": zstd: " + ZSTD_getErrorName(n));
  }
  put_fixed64(&index_, out_->offset());
  put_fixed32(&index_, chunk_first_doc_);
  put_fixed32(&index_, static_cast<uint32_t>(chunk_.size()));
  out_->append(std::string_view(compressed_.data(), n));
  ++chunk_count_;
  chunk_first_doc_ = doc_count_;
  chunk_.clear();
  if (chunk_.capacity() > 4 * kStoreChunkBytes) chunk_.shrink_to_fit();
  if (compressed_.capacity() > 4 * kStoreChunkBytes) {
    compressed_.clear();
    compressed_.shrink_to_fit();
  }
  return Status::ok();
}

Status DocStoreWriter::finish() {
  SCRY_RETURN_IF_ERROR(flush_chunk());
  uint64_t index_offset = out_->offset();
  out_->append(index_);
  std::string trailer;
  put_fixed64(&trailer, index_offset);
  put_fixed32(&trailer, chunk_count_);
  put_fixed32(&trailer, doc_count_);
  out_->append(trailer);
  return Status::ok();
}

DocStoreReader::DocStoreReader(const MappedFile& file)
    : file_(file), zstd_(std::make_unique<Context>()) {}
DocStoreReader::~DocStoreReader() = default;

Result<std::unique_ptr<DocStoreReader>> DocStoreReader::open(const MappedFile& file) {
  auto reader = std::unique_ptr<DocStoreReader>(new DocStoreReader(file));
  auto bad = [&](const char* what) {
    return Status::corruption(file.path() + ": corrupted document store (" + what + ")");
  };
  if (file.size() < kTrailerSize) return bad("too short");
  const uint8_t* trailer = file.data() + file.size() - kTrailerSize;
  reader->index_offset_ = decode_fixed64(trailer);
  reader->chunk_count_ = decode_fixed32(trailer + 8);
  reader->doc_count_ = decode_fixed32(trailer + 12);
  uint64_t index_bytes = file.size() - kTrailerSize;
  if (reader->index_offset_ > index_bytes ||
      (index_bytes - reader->index_offset_) !=
          static_cast<uint64_t>(reader->chunk_count_) * kIndexEntrySize ||
      (reader->chunk_count_ == 0) != (reader->doc_count_ == 0)) {
    return bad("chunk index size");
  }
  return reader;
}

DocStoreReader::Chunk DocStoreReader::chunk(size_t i) const {
  const uint8_t* p = file_.data() + index_offset_ + i * kIndexEntrySize;
  return {decode_fixed64(p), decode_fixed32(p + 8), decode_fixed32(p + 12)};
}

Status DocStoreReader::load_chunk(size_t i) {
  if (i == cached_chunk_) return Status::ok();
  cached_chunk_ = SIZE_MAX;
  const Chunk c = chunk(i);
  uint64_t end = i + 1 < chunk_count_ ? chunk(i + 1).offset : index_offset_;
  auto bad = [&]() {
    return Status::corruption(file_.path() + ": corrupted document store chunk " +
                              std::to_string(i));
  };
  if (c.offset >= end || end > index_offset_) return bad();
  cache_.resize(c.raw_size);
  size_t n = ZSTD_decompressDCtx(zstd_->dctx, cache_.data(), cache_.size(), file_.data() + c.offset,
                                 static_cast<size_t>(end - c.offset));
  if (ZSTD_isError(n) || n != c.raw_size) return bad();
  cached_chunk_ = i;
  return Status::ok();
}

Result<StoredDocument> DocStoreReader::get(uint32_t doc) {
  if (doc >= doc_count_) {
    return Status::invalid_argument(file_.path() + ": no document " + std::to_string(doc));
  }
  // The last chunk whose first doc is <= doc (binary search over the mapped,
  // fixed-width chunk index: nothing of it is parsed at open).
  size_t lo = 0, hi = chunk_count_;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (chunk(mid).first_doc <= doc) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  uint32_t first = chunk(lo).first_doc;
  if (first > doc) {
    return Status::corruption(file_.path() + ": corrupted document store (chunk index order)");
  }
  SCRY_RETURN_IF_ERROR(load_chunk(lo));
  const uint8_t* p = reinterpret_cast<const uint8_t*>(cache_.data());
  const uint8_t* limit = p + cache_.size();
  StoredDocument out;
  for (uint32_t d = first; d <= doc && p != nullptr; ++d) {
    std::string_view id, title, source, body;
    uint32_t length = 0;
    p = get_length_prefixed(p, limit, &id);
    if (p) p = get_length_prefixed(p, limit, &title);
    if (p) p = get_length_prefixed(p, limit, &source);
    if (p) p = get_varint32(p, limit, &length);
    if (p) p = get_length_prefixed(p, limit, &body);
    if (p && d == doc) {
      out.id.assign(id);
      out.title.assign(title);
      out.source.assign(source);
      out.length = length;
      out.body.assign(body);
    }
  }
  if (p == nullptr) {
    return Status::corruption(file_.path() + ": corrupted document record " + std::to_string(doc));
  }
  return out;
}

}  // namespace scry
