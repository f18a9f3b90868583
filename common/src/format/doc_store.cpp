#include "scry/format/doc_store.h"

#include <zstd.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>

#include "scry/codec/varint.h"
#include "scry/format/format.h"

namespace scry {

namespace {
// u64 offset, u32 first doc, u32 compressed size, u32 raw size.
constexpr size_t kIndexEntrySize = 20;
// Version 3: u64 meta records offset, u64 text index offset, u32 reserved
// (0), u32 text chunks, u32 documents, u32 reserved (0). Versions 1 and 2:
// u64 meta index offset, u64 text index offset, u32 meta chunks, u32 text
// chunks, u32 documents, u32 reserved (0).
constexpr size_t kTrailerSize = 32;
// The first format version with meta records stored apart, uncompressed.
constexpr uint32_t kMetaTableVersion = 3;
// Version 3, per document: u64 offset of its meta record; u32 in the id table.
constexpr size_t kMetaOffsetSize = 8;
constexpr size_t kIdEntrySize = 4;
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
      text_(std::make_unique<Stream>(kStoreChunkBytes)) {}
DocStoreWriter::~DocStoreWriter() = default;

Status DocStoreWriter::add(const StoredDocument& doc) {
  meta_offsets_.push_back(meta_.size());
  put_length_prefixed(&meta_, doc.id);
  put_length_prefixed(&meta_, doc.title);
  put_length_prefixed(&meta_, doc.source);
  put_varint32(&meta_, doc.length);
  put_length_prefixed(&text_->chunk, doc.body);
  ++doc_count_;
  ++text_->next_doc;
  if (text_->chunk.size() >= text_->chunk_bytes) SCRY_RETURN_IF_ERROR(flush(text_.get()));
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
  SCRY_RETURN_IF_ERROR(flush(text_.get()));
  const uint64_t records = out_->offset();
  out_->append(meta_);
  std::string table;
  table.reserve(meta_offsets_.size() * (kMetaOffsetSize + kIdEntrySize));
  for (uint64_t offset : meta_offsets_) put_fixed64(&table, records + offset);
  // Doc ids by external id (bytewise), then doc id.
  const auto id_of = [this](uint32_t doc) {
    std::string_view id;
    const auto* p = reinterpret_cast<const uint8_t*>(meta_.data());
    get_length_prefixed(p + meta_offsets_[doc], p + meta_.size(), &id);
    return id;
  };
  std::vector<uint32_t> by_id(doc_count_);
  std::iota(by_id.begin(), by_id.end(), 0u);
  std::stable_sort(by_id.begin(), by_id.end(),
                   [&](uint32_t a, uint32_t b) { return id_of(a) < id_of(b); });
  for (uint32_t doc : by_id) put_fixed32(&table, doc);
  out_->append(table);
  const uint64_t text_index = out_->offset();
  out_->append(text_->index);
  std::string trailer;
  put_fixed64(&trailer, records);
  put_fixed64(&trailer, text_index);
  put_fixed32(&trailer, 0);
  put_fixed32(&trailer, text_->chunks);
  put_fixed32(&trailer, doc_count_);
  put_fixed32(&trailer, 0);
  out_->append(trailer);
  meta_.clear();
  meta_.shrink_to_fit();
  meta_offsets_.clear();
  meta_offsets_.shrink_to_fit();
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
  if (file.version() >= kMetaTableVersion) {
    // [meta records] [offset table] [id table] [text chunk index] [trailer]
    const uint64_t tables = uint64_t{reader->doc_count_} * (kMetaOffsetSize + kIdEntrySize);
    if (text_index > end || end - text_index != uint64_t{text_chunks} * kIndexEntrySize ||
        tables > text_index || meta_index > text_index - tables ||
        (text_chunks == 0) != (reader->doc_count_ == 0) || meta_chunks != 0 ||
        decode_fixed32(trailer + 28) != 0) {
      return bad("meta table size");
    }
    reader->meta_records_ = meta_index;
    reader->meta_table_ = text_index - tables;
    reader->id_table_ = reader->meta_table_ + uint64_t{reader->doc_count_} * kMetaOffsetSize;
    reader->text_ = std::make_unique<Table>(Table{"text", text_index, text_chunks, {}, 0});
    return reader;
  }
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

Result<std::string_view> DocStoreReader::meta_record(uint32_t doc) {
  if (meta_ != nullptr) return record(meta_.get(), doc);
  const uint64_t offset = decode_fixed64(file_.data() + meta_table_ + doc * kMetaOffsetSize);
  const uint8_t* limit = file_.data() + meta_table_;
  // The pointer is formed only once the offset is known to be in the file.
  const uint8_t* start = limit;
  const uint8_t* p = nullptr;
  if (offset >= meta_records_ && offset < meta_table_) {
    start = file_.data() + offset;
    std::string_view field;
    uint32_t length = 0;
    p = get_length_prefixed(start, limit, &field);
    if (p) p = get_length_prefixed(p, limit, &field);
    if (p) p = get_length_prefixed(p, limit, &field);
    if (p) p = get_varint32(p, limit, &length);
  }
  if (p == nullptr) {
    return Status::corruption(file_.path() +
                              ": corrupted document store (meta record of document " +
                              std::to_string(doc) + ")");
  }
  return std::string_view(reinterpret_cast<const char*>(start), static_cast<size_t>(p - start));
}

Result<StoredDocument> DocStoreReader::get_meta(uint32_t doc) {
  if (doc >= doc_count_) {
    return Status::invalid_argument(file_.path() + ": no document " + std::to_string(doc));
  }
  auto rec = meta_record(doc);
  if (!rec) return rec.status();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(rec->data());
  const uint8_t* limit = p + rec->size();
  std::string_view id, title, source;
  StoredDocument out;
  p = get_length_prefixed(p, limit, &id);
  if (p) p = get_length_prefixed(p, limit, &title);
  if (p) p = get_length_prefixed(p, limit, &source);
  if (p) p = get_varint32(p, limit, &out.length);
  if (p == nullptr) {  // meta_record() checked the fields already; never trust twice-read bytes.
    return Status::corruption(file_.path() +
                              ": corrupted document store (meta record of document " +
                              std::to_string(doc) + ")");
  }
  out.id.assign(id);
  out.title.assign(title);
  out.source.assign(source);
  return out;
}

Result<std::optional<uint32_t>> DocStoreReader::find_id(std::string_view id) {
  // The external id of `doc`: the first field of its meta record.
  const auto id_of = [this](uint32_t doc) -> Result<std::string_view> {
    auto rec = meta_record(doc);
    if (!rec) return rec.status();
    const auto* p = reinterpret_cast<const uint8_t*>(rec->data());
    std::string_view out;
    get_length_prefixed(p, p + rec->size(), &out);
    return out;
  };
  if (meta_ != nullptr) {
    for (uint32_t doc = 0; doc < doc_count_; ++doc) {
      auto found = id_of(doc);
      if (!found) return found.status();
      if (*found == id) return std::optional<uint32_t>(doc);
    }
    return std::optional<uint32_t>();
  }
  // The first entry of the id table whose id is >= `id`.
  const auto entry = [this](size_t i) -> Result<uint32_t> {
    const uint32_t doc = decode_fixed32(file_.data() + id_table_ + i * kIdEntrySize);
    if (doc >= doc_count_) {
      return Status::corruption(file_.path() + ": corrupted document store (id table entry " +
                                std::to_string(i) + ")");
    }
    return doc;
  };
  size_t lo = 0, hi = doc_count_;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    auto doc = entry(mid);
    if (!doc) return doc.status();
    auto mid_id = id_of(*doc);
    if (!mid_id) return mid_id.status();
    if (*mid_id < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == doc_count_) return std::optional<uint32_t>();
  auto doc = entry(lo);
  if (!doc) return doc.status();
  auto found = id_of(*doc);
  if (!found) return found.status();
  if (*found != id) return std::optional<uint32_t>();
  return std::optional<uint32_t>(*doc);
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
