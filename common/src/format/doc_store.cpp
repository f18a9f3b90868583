#include "scry/format/doc_store.h"

#include <zstd.h>

#include <string>
#include <unordered_map>

#include "scry/codec/varint.h"
#include "scry/format/format.h"

namespace scry {

namespace {
// u64 offset, u32 first doc, u32 compressed size, u32 raw size.
constexpr size_t kIndexEntrySize = 20;
// u64 meta index offset, u64 text index offset, u32 meta chunks, u32 text
// chunks, u32 documents, u32 reserved (0).
constexpr size_t kTrailerSize = 32;
// Decoded chunks kept per stream (meta, text) by a reader.
constexpr size_t kCacheBytes = 4 << 20;
}  // namespace

struct DocStoreWriter::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Context() { ZSTD_freeCCtx(cctx); }
};

struct DocStoreReader::Context {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ~Context() { ZSTD_freeDCtx(dctx); }
};

// One stream of records being cut into chunks.
struct DocStoreWriter::Stream {
  explicit Stream(size_t target) : chunk_bytes(target) {}
  size_t chunk_bytes;      // Close a chunk once it holds this much.
  std::string chunk;       // Records of the open chunk.
  std::string index;       // Index entries of the closed chunks.
  uint32_t first_doc = 0;  // First doc of the open chunk.
  uint32_t next_doc = 0;   // Docs added to the stream.
  uint32_t chunks = 0;
};

DocStoreWriter::DocStoreWriter(FileWriter* out)
    : out_(out),
      zstd_(std::make_unique<Context>()),
      meta_(std::make_unique<Stream>(kStoreMetaChunkBytes)),
      text_(std::make_unique<Stream>(kStoreChunkBytes)) {}
DocStoreWriter::~DocStoreWriter() = default;

Status DocStoreWriter::add(const StoredDocument& doc) {
  put_length_prefixed(&meta_->chunk, doc.id);
  put_length_prefixed(&meta_->chunk, doc.title);
  put_length_prefixed(&meta_->chunk, doc.source);
  put_varint32(&meta_->chunk, doc.length);
  put_length_prefixed(&text_->chunk, doc.body);
  ++doc_count_;
  for (Stream* s : {meta_.get(), text_.get()}) {
    ++s->next_doc;
    if (s->chunk.size() >= s->chunk_bytes) SCRY_RETURN_IF_ERROR(flush(s));
  }
  return Status::ok();
}

Status DocStoreWriter::flush(Stream* s) {
  if (s->next_doc == s->first_doc) return Status::ok();
  compressed_.resize(ZSTD_compressBound(s->chunk.size()));
  size_t n = ZSTD_compressCCtx(zstd_->cctx, compressed_.data(), compressed_.size(), s->chunk.data(),
                               s->chunk.size(), kStoreZstdLevel);
  if (ZSTD_isError(n)) {
    return Status::io_error(out_->path() + ": zstd: " + ZSTD_getErrorName(n));
  }
  put_fixed64(&s->index, out_->offset());
  put_fixed32(&s->index, s->first_doc);
  put_fixed32(&s->index, static_cast<uint32_t>(n));
  put_fixed32(&s->index, static_cast<uint32_t>(s->chunk.size()));
  out_->append(std::string_view(compressed_.data(), n));
  ++s->chunks;
  s->first_doc = s->next_doc;
  s->chunk.clear();
  if (s->chunk.capacity() > 4 * s->chunk_bytes) s->chunk.shrink_to_fit();
  if (compressed_.capacity() > 4 * kStoreChunkBytes) {
    compressed_.clear();
    compressed_.shrink_to_fit();
  }
  return Status::ok();
}

Status DocStoreWriter::finish() {
  SCRY_RETURN_IF_ERROR(flush(meta_.get()));
  SCRY_RETURN_IF_ERROR(flush(text_.get()));
  uint64_t meta_index = out_->offset();
  out_->append(meta_->index);
  uint64_t text_index = out_->offset();
  out_->append(text_->index);
  std::string trailer;
  put_fixed64(&trailer, meta_index);
  put_fixed64(&trailer, text_index);
  put_fixed32(&trailer, meta_->chunks);
  put_fixed32(&trailer, text_->chunks);
  put_fixed32(&trailer, doc_count_);
  put_fixed32(&trailer, 0);
  out_->append(trailer);
  return Status::ok();
}

// The chunk index of one stream, read in place, and its last chunk.
struct DocStoreReader::Table {
  const char* name;       // "meta" or "text", for messages.
  uint64_t index_offset;  // Where its index entries start.
  uint32_t chunks;
  // Decoded chunks by number, up to kCacheBytes in all; emptied when full
  // (hits come in score order, so a deep result list visits chunks at random).
  std::unordered_map<size_t, std::string> cache;
  size_t cache_bytes = 0;

  struct Chunk {
    uint64_t offset;
    uint32_t first_doc;
    uint32_t compressed;
    uint32_t raw;
  };
  Chunk chunk(const MappedFile& file, size_t i) const {
    const uint8_t* p = file.data() + index_offset + i * kIndexEntrySize;
    return {decode_fixed64(p), decode_fixed32(p + 8), decode_fixed32(p + 12),
            decode_fixed32(p + 16)};
  }
};

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
  uint64_t meta_index = decode_fixed64(trailer);
  uint64_t text_index = decode_fixed64(trailer + 8);
  uint32_t meta_chunks = decode_fixed32(trailer + 16);
  uint32_t text_chunks = decode_fixed32(trailer + 20);
  reader->doc_count_ = decode_fixed32(trailer + 24);
  uint64_t end = file.size() - kTrailerSize;
  if (meta_index > text_index || text_index > end ||
      text_index - meta_index != uint64_t{meta_chunks} * kIndexEntrySize ||
      end - text_index != uint64_t{text_chunks} * kIndexEntrySize ||
      (meta_chunks == 0) != (reader->doc_count_ == 0) ||
      (text_chunks == 0) != (reader->doc_count_ == 0) || decode_fixed32(trailer + 28) != 0) {
    return bad("chunk index size");
  }
  reader->meta_ = std::make_unique<Table>(Table{"meta", meta_index, meta_chunks, {}, 0});
  reader->text_ = std::make_unique<Table>(Table{"text", text_index, text_chunks, {}, 0});
  return reader;
}

Result<std::string_view> DocStoreReader::record(Table* t, uint32_t doc) {
  auto bad = [&](const std::string& what) {
    return Status::corruption(file_.path() + ": corrupted document store (" + t->name + " " + what +
                              ")");
  };
  // The last chunk whose first doc is <= doc, by binary search over the
  // mapped, fixed-width index.
  size_t lo = 0, hi = t->chunks;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->chunk(file_, mid).first_doc <= doc) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const Table::Chunk c = t->chunk(file_, lo);
  if (c.first_doc > doc) return bad("chunk index order");
  auto cached = t->cache.find(lo);
  if (cached == t->cache.end()) {
    if (c.offset > t->index_offset || c.compressed > t->index_offset - c.offset) {
      return bad("chunk " + std::to_string(lo) + " out of range");
    }
    // The frame header records the chunk's size too: a damaged index entry
    // must not allocate (up to 4 GB) before decompression fails.
    if (ZSTD_getFrameContentSize(file_.data() + c.offset, c.compressed) != c.raw) {
      return bad("chunk " + std::to_string(lo));
    }
    std::string raw(c.raw, '\0');
    size_t n = ZSTD_decompressDCtx(zstd_->dctx, raw.data(), raw.size(), file_.data() + c.offset,
                                   c.compressed);
    if (ZSTD_isError(n) || n != c.raw) return bad("chunk " + std::to_string(lo));
    if (t->cache_bytes + raw.size() > kCacheBytes) {
      t->cache.clear();
      t->cache_bytes = 0;
    }
    t->cache_bytes += raw.size();
    cached = t->cache.emplace(lo, std::move(raw)).first;
  }
  // Walk the records of the chunk up to `doc`; each starts with its size
  // only implicitly, so the fields are skipped one by one.
  const std::string& chunk = cached->second;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(chunk.data());
  const uint8_t* limit = p + chunk.size();
  for (uint32_t d = c.first_doc; p != nullptr; ++d) {
    const uint8_t* start = p;
    std::string_view field;
    if (t == text_.get()) {
      p = get_length_prefixed(p, limit, &field);
    } else {
      uint32_t length = 0;
      p = get_length_prefixed(p, limit, &field);
      if (p) p = get_length_prefixed(p, limit, &field);
      if (p) p = get_length_prefixed(p, limit, &field);
      if (p) p = get_varint32(p, limit, &length);
    }
    if (p && d == doc) {
      return std::string_view(reinterpret_cast<const char*>(start), static_cast<size_t>(p - start));
    }
  }
  return bad("record of document " + std::to_string(doc));
}

Result<StoredDocument> DocStoreReader::get_meta(uint32_t doc) {
  if (doc >= doc_count_) {
    return Status::invalid_argument(file_.path() + ": no document " + std::to_string(doc));
  }
  auto rec = record(meta_.get(), doc);
  if (!rec) return rec.status();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(rec->data());
  const uint8_t* limit = p + rec->size();
  std::string_view id, title, source;
  StoredDocument out;
  p = get_length_prefixed(p, limit, &id);
  if (p) p = get_length_prefixed(p, limit, &title);
  if (p) p = get_length_prefixed(p, limit, &source);
  if (p) p = get_varint32(p, limit, &out.length);
  if (p == nullptr) {  // record() checked the fields already; never trust twice-read bytes.
    return Status::corruption(file_.path() +
                              ": corrupted document store (meta record of document " +
                              std::to_string(doc) + ")");
  }
  out.id.assign(id);
  out.title.assign(title);
  out.source.assign(source);
  return out;
}

Result<StoredDocument> DocStoreReader::get(uint32_t doc) {
  auto out = get_meta(doc);
  if (!out) return out;
  auto rec = record(text_.get(), doc);
  if (!rec) return rec.status();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(rec->data());
  std::string_view body;
  get_length_prefixed(p, p + rec->size(), &body);
  out->body.assign(body);
  return out;
}

}  // namespace scry
