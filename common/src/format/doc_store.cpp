#include "scry/format/doc_store.h"

// For ZSTD_createDDict_byReference (zstd's "experimental" section, stable
// since zstd 1.0 and exported by the shared library).
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>

#include "format/doc_store_layout.h"
#include "scry/codec/varint.h"
#include "scry/format/format.h"

namespace scry {

namespace {
// Decoded chunks kept per stream (meta, text) by a reader (versions 1 to 3).
constexpr size_t kCacheBytes = 4 << 20;
// prefetch_body()'s bound: the frame table's entries of 128 KiB of text
// (with 1 KiB frames), 16 cache lines.
constexpr uint64_t kPrefetchedFrames = 128;
}  // namespace

struct DocStoreReader::Context {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  // Versions 4, 5 with a dictionary: `window` holds the dictionary, then
  // room for one frame, and `ddict` references it (both made by
  // load_dictionary() for the first frame decoded: a search that prints no
  // text never reads the dictionary). A frame is decoded right
  // after the dictionary, so zstd sees the dictionary's content as the
  // frame's own earlier output: its matches there are plain copies within
  // one buffer, not a separate dictionary segment (a call to memmove for
  // each, about 80 a 1 KiB frame).
  std::unique_ptr<char[]> window;
  ZSTD_DDict* ddict = nullptr;
  // Versions 4, 5: the frame decoded last (UINT32_MAX: none) and its bytes,
  // in `window` after the dictionary, or in `plain` for a store without
  // one. Only that frame is kept: a snippet reads one range of one to three
  // frames in order, and hits rarely share frames, so keeping older ones
  // would cost a copy of each frame decoded (into their buffers) for
  // nothing; a body that ends in a frame and the next one that starts there
  // (get() of consecutive documents) still share it.
  uint32_t frame = UINT32_MAX;
  std::string_view bytes;
  std::string plain;
  // Compressed frames read with pread (when the file allows it): the file's
  // bytes [compressed_at, compressed_at + compressed.size()).
  uint64_t compressed_at = 0;
  std::string compressed;
  ~Context() {
    ZSTD_freeDDict(ddict);
    ZSTD_freeDCtx(dctx);
  }
};

// The chunk index of one stream, read in place, and its decoded chunks
// (versions 1 to 3; the frames of versions 4 and 5 are kept by Context).
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
    const uint8_t* p = file.data() + index_offset + i * doc_store::kIndexEntrySize;
    return {decode_fixed64(p), decode_fixed32(p + 8), decode_fixed32(p + 12),
            decode_fixed32(p + 16)};
  }
  // Keeps `raw` as decoded chunk `i`.
  const std::string& keep(size_t i, std::string raw) {
    if (cache_bytes + raw.size() > kCacheBytes) {
      cache.clear();
      cache_bytes = 0;
    }
    cache_bytes += raw.size();
    return cache.emplace(i, std::move(raw)).first->second;
  }
};

// The fields of a meta record; the views point into the mapping or a cached
// meta chunk.
struct DocStoreReader::Meta {
  std::string_view id, title, source;
  uint32_t length = 0;
  // Version 4.
  uint64_t body_begin = 0;  // In the text stream.
  uint32_t body_bytes = 0;
  bool has_checkpoints = false;
  uint32_t body_position = 0;
};

DocStoreReader::DocStoreReader(const MappedFile& file)
    : file_(file), zstd_(std::make_unique<Context>()) {}
DocStoreReader::~DocStoreReader() = default;

Result<std::unique_ptr<DocStoreReader>> DocStoreReader::open(const MappedFile& file) {
  auto reader = std::unique_ptr<DocStoreReader>(new DocStoreReader(file));
  DocStoreReader& r = *reader;
  auto bad = [&](const char* what) {
    return Status::corruption(file.path() + ": corrupted document store (" + what + ")");
  };
  if (file.version() >= doc_store::kFrameVersion) {
    // [dictionary] [frames] [meta records] [offset table] [id table]
    // [frame table] [trailer]
    if (file.size() < doc_store::kFrameTrailerSize) return bad("too short");
    const uint64_t end = file.size() - doc_store::kFrameTrailerSize;
    const uint8_t* trailer = file.data() + end;
    r.meta_records_ = decode_fixed64(trailer);
    r.frame_table_ = decode_fixed64(trailer + 8);
    r.text_bytes_ = decode_fixed64(trailer + 16);
    r.dictionary_bytes_ = decode_fixed32(trailer + 24);
    r.frames_ = decode_fixed32(trailer + 28);
    r.doc_count_ = decode_fixed32(trailer + 32);
    const uint32_t frame_bytes = decode_fixed32(trailer + 36);
    if (file.version() < doc_store::kFrameSizeVersion) {
      if (frame_bytes != 0) return bad("reserved field");
      r.frame_bytes_ = kStoreV4FrameBytes;
    } else {
      if (frame_bytes < kStoreMinFrameBytes || frame_bytes > kStoreMaxFrameBytes ||
          (frame_bytes & (frame_bytes - 1)) != 0) {
        return bad("frame size");
      }
      r.frame_bytes_ = frame_bytes;
    }
    const uint64_t tables =
        uint64_t{r.doc_count_} * (doc_store::kMetaOffsetSize + doc_store::kIdEntrySize);
    const uint64_t frames = r.text_bytes_ / r.frame_bytes_ + (r.text_bytes_ % r.frame_bytes_ != 0);
    if (r.frame_table_ > end ||
        end - r.frame_table_ != (uint64_t{r.frames_} + 1) * doc_store::kFrameEntrySize ||
        tables > r.frame_table_ || r.meta_records_ > r.frame_table_ - tables ||
        r.dictionary_bytes_ > r.meta_records_ || frames != r.frames_ ||
        decode_fixed64(file.data() + r.frame_table_) != r.dictionary_bytes_ ||
        decode_fixed64(file.data() + end - doc_store::kFrameEntrySize) != r.meta_records_) {
      return bad("frame table size");
    }
    r.meta_table_ = r.frame_table_ - tables;
    r.id_table_ = r.meta_table_ + uint64_t{r.doc_count_} * doc_store::kMetaOffsetSize;
    return reader;
  }
  if (file.size() < doc_store::kTrailerSize) return bad("too short");
  const uint8_t* trailer = file.data() + file.size() - doc_store::kTrailerSize;
  uint64_t meta_index = decode_fixed64(trailer);
  uint64_t text_index = decode_fixed64(trailer + 8);
  uint32_t meta_chunks = decode_fixed32(trailer + 16);
  uint32_t text_chunks = decode_fixed32(trailer + 20);
  r.doc_count_ = decode_fixed32(trailer + 24);
  uint64_t end = file.size() - doc_store::kTrailerSize;
  if (file.version() >= doc_store::kMetaTableVersion) {
    // [meta records] [offset table] [id table] [text chunk index] [trailer]
    const uint64_t tables =
        uint64_t{r.doc_count_} * (doc_store::kMetaOffsetSize + doc_store::kIdEntrySize);
    if (text_index > end ||
        end - text_index != uint64_t{text_chunks} * doc_store::kIndexEntrySize ||
        tables > text_index || meta_index > text_index - tables ||
        (text_chunks == 0) != (r.doc_count_ == 0) || meta_chunks != 0 ||
        decode_fixed32(trailer + 28) != 0) {
      return bad("meta table size");
    }
    r.meta_records_ = meta_index;
    r.meta_table_ = text_index - tables;
    r.id_table_ = r.meta_table_ + uint64_t{r.doc_count_} * doc_store::kMetaOffsetSize;
    r.text_ = std::make_unique<Table>(Table{"text", text_index, text_chunks, {}, 0});
    return reader;
  }
  if (meta_index > text_index || text_index > end ||
      text_index - meta_index != uint64_t{meta_chunks} * doc_store::kIndexEntrySize ||
      end - text_index != uint64_t{text_chunks} * doc_store::kIndexEntrySize ||
      (meta_chunks == 0) != (r.doc_count_ == 0) || (text_chunks == 0) != (r.doc_count_ == 0) ||
      decode_fixed32(trailer + 28) != 0) {
    return bad("chunk index size");
  }
  r.meta_ = std::make_unique<Table>(Table{"meta", meta_index, meta_chunks, {}, 0});
  r.text_ = std::make_unique<Table>(Table{"text", text_index, text_chunks, {}, 0});
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
  const std::string* chunk = cached == t->cache.end() ? nullptr : &cached->second;
  if (chunk == nullptr) {
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
    chunk = &t->keep(lo, std::move(raw));
  }
  // Walk the records of the chunk up to `doc`; each starts with its size
  // only implicitly, so the fields are skipped one by one.
  const uint8_t* p = reinterpret_cast<const uint8_t*>(chunk->data());
  const uint8_t* limit = p + chunk->size();
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

Result<DocStoreReader::Meta> DocStoreReader::meta(uint32_t doc,
                                                  std::vector<TextCheckpoint>* checkpoints,
                                                  uint64_t through) {
  const auto bad = [&] {
    return Status::corruption(file_.path() +
                              ": corrupted document store (meta record of document " +
                              std::to_string(doc) + ")");
  };
  const uint8_t* p = nullptr;
  const uint8_t* limit = nullptr;
  if (meta_ != nullptr) {
    auto rec = record(meta_.get(), doc);
    if (!rec) return rec.status();
    p = reinterpret_cast<const uint8_t*>(rec->data());
    limit = p + rec->size();
  } else {
    const uint64_t offset =
        decode_fixed64(file_.data() + meta_table_ + doc * doc_store::kMetaOffsetSize);
    // The pointer is formed only once the offset is known to be in the file.
    if (offset < meta_records_ || offset >= meta_table_) return bad();
    p = file_.data() + offset;
    limit = file_.data() + meta_table_;
  }
  Meta m;
  p = get_length_prefixed(p, limit, &m.id);
  if (p) p = get_length_prefixed(p, limit, &m.title);
  if (p) p = get_length_prefixed(p, limit, &m.source);
  if (p) p = get_varint32(p, limit, &m.length);
  if (p == nullptr) return bad();
  if (file_.version() < doc_store::kFrameVersion) return m;
  p = get_varint64(p, limit, &m.body_begin);
  if (p) p = get_varint32(p, limit, &m.body_bytes);
  if (p == nullptr || p == limit || (*p & ~doc_store::kHasCheckpoints) != 0 ||
      m.body_begin > text_bytes_ || m.body_bytes > text_bytes_ - m.body_begin) {
    return bad();
  }
  m.has_checkpoints = (*p++ & doc_store::kHasCheckpoints) != 0;
  if (!m.has_checkpoints) return m;
  p = get_varint32(p, limit, &m.body_position);
  if (p == nullptr) return bad();
  if (checkpoints == nullptr) return m;
  checkpoints->clear();
  uint32_t count = 0;
  p = get_varint32(p, limit, &count);
  // Each checkpoint takes two bytes at least: a damaged count must not
  // allocate before the record runs out.
  if (p == nullptr || count > static_cast<size_t>(limit - p) / 2) return bad();
  checkpoints->reserve(count);  // A no-op for a vector reused.

  // Most checkpoints are a one-byte position delta and a two-byte offset
  // delta: those are decoded by one test of their three bytes' high bits
  // (the record is checked to hold them first), the others as
  // get_varint32 decodes them. Positions and offsets only grow, so the
  // bounds are checked once, on the last checkpoint decoded; zero deltas
  // after the first are gathered into `zero`.
  uint64_t position = 0, offset = 0;
  bool zero = false;
  uint32_t i = 0;
  while (i < count && (i == 0 || position <= through)) {
    uint32_t dp = 0, doff = 0;
    if (limit - p >= 3 && (p[0] & 0x80) == 0 && (p[1] & 0x80) != 0 && (p[2] & 0x80) == 0) {
      dp = p[0];
      doff = (p[1] & 0x7Fu) | uint32_t{p[2]} << 7;
      p += 3;
    } else {
      p = get_varint32(p, limit, &dp);
      if (p) p = get_varint32(p, limit, &doff);
      if (p == nullptr) return bad();
    }
    zero |= i > 0 && (dp == 0 || doff == 0);
    position += dp;
    offset += doff;
    checkpoints->push_back({static_cast<uint32_t>(position), static_cast<uint32_t>(offset)});
    ++i;
  }
  if (zero || position > std::numeric_limits<uint32_t>::max() ||
      (i > 0 && offset >= m.body_bytes)) {
    return bad();
  }
  return m;
}

Result<StoredDocument> DocStoreReader::get_meta(uint32_t doc) {
  if (doc >= doc_count_) {
    return Status::invalid_argument(file_.path() + ": no document " + std::to_string(doc));
  }
  auto m = meta(doc, nullptr);
  if (!m) return m.status();
  return without_body(*m);
}

StoredDocument DocStoreReader::without_body(const Meta& m) {
  StoredDocument out;
  out.id.assign(m.id);
  out.title.assign(m.title);
  out.source.assign(m.source);
  out.length = m.length;
  out.has_checkpoints = m.has_checkpoints;
  out.body_position = m.body_position;
  return out;
}

Result<std::optional<uint32_t>> DocStoreReader::find_id(std::string_view id) {
  // The external id of `doc`: the first field of its meta record.
  const auto id_of = [this](uint32_t doc) -> Result<std::string_view> {
    auto m = meta(doc, nullptr);
    if (!m) return m.status();
    return m->id;
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
    const uint32_t doc = decode_fixed32(file_.data() + id_table_ + i * doc_store::kIdEntrySize);
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

Result<std::string_view> DocStoreReader::chunk_body(uint32_t doc) {
  auto rec = record(text_.get(), doc);
  if (!rec) return rec.status();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(rec->data());
  std::string_view body;
  get_length_prefixed(p, p + rec->size(), &body);
  return body;
}

Result<std::string_view> DocStoreReader::frame(uint32_t k) {
  if (zstd_->frame == k) return zstd_->bytes;
  const auto bad = [&](const char* what) {
    return Status::corruption(file_.path() + ": corrupted document store (frame " +
                              std::to_string(k) + what + ")");
  };
  const uint8_t* entry = file_.data() + frame_table_ + uint64_t{k} * doc_store::kFrameEntrySize;
  const uint64_t begin = decode_fixed64(entry);
  const uint64_t end = decode_fixed64(entry + doc_store::kFrameEntrySize);
  if (begin < dictionary_bytes_ || begin > end || end > meta_records_) return bad(" out of range");
  const size_t raw = k + 1 < frames_ ? frame_bytes_ : text_bytes_ - uint64_t{k} * frame_bytes_;
  const uint8_t* src = file_.data() + begin;
  if (file_.can_read_at()) {
    // Each frame is read once or so, at random: pread avoids a page fault
    // that maps (and at exit unmaps) the pages around it. read_stream may
    // have read this one already, with the frames after it.
    if (begin < zstd_->compressed_at || end > zstd_->compressed_at + zstd_->compressed.size()) {
      SCRY_RETURN_IF_ERROR(read_compressed(begin, end));
    }
    src =
        reinterpret_cast<const uint8_t*>(zstd_->compressed.data()) + (begin - zstd_->compressed_at);
  }
  // The frame header records its size too: checked before allocating.
  if (ZSTD_getFrameContentSize(src, end - begin) != raw) return bad("");
  zstd_->frame = UINT32_MAX;  // Until decoded.
  char* out = nullptr;
  size_t n = 0;
  if (dictionary_bytes_ > 0) {
    if (zstd_->ddict == nullptr) SCRY_RETURN_IF_ERROR(load_dictionary());
    out = zstd_->window.get() + dictionary_bytes_;
    n = ZSTD_decompress_usingDDict(zstd_->dctx, out, raw, src, end - begin, zstd_->ddict);
  } else {
    zstd_->plain.resize(raw);
    out = zstd_->plain.data();
    n = ZSTD_decompressDCtx(zstd_->dctx, out, raw, src, end - begin);
  }
  if (ZSTD_isError(n) || n != raw) return bad("");
  zstd_->frame = k;
  zstd_->bytes = std::string_view(out, raw);
  return zstd_->bytes;
}

Status DocStoreReader::load_dictionary() {
  Context& z = *zstd_;
  z.window = std::make_unique_for_overwrite<char[]>(dictionary_bytes_ + frame_bytes_);
  if (file_.can_read_at()) {
    SCRY_RETURN_IF_ERROR(
        file_.read_at(0, dictionary_bytes_, reinterpret_cast<uint8_t*>(z.window.get())));
  } else {
    std::memcpy(z.window.get(), file_.data(), dictionary_bytes_);
  }
  z.ddict = ZSTD_createDDict_byReference(z.window.get(), dictionary_bytes_);
  if (z.ddict == nullptr) {
    return Status::corruption(file_.path() + ": corrupted document store (dictionary)");
  }
  return Status::ok();
}

Status DocStoreReader::read_compressed(uint64_t begin, uint64_t end) {
  zstd_->compressed_at = begin;
  zstd_->compressed.resize(end - begin);
  Status read =
      file_.read_at(begin, end - begin, reinterpret_cast<uint8_t*>(zstd_->compressed.data()));
  if (!read.is_ok()) zstd_->compressed.clear();
  return read;
}

Status DocStoreReader::read_stream(uint64_t begin, uint64_t size, std::string* out) {
  out->reserve(out->size() + size);
  if (file_.can_read_at() && size > 0) {
    // The frames not kept, from the first of them to the range's last, in
    // one pread (frame() checks each frame's bounds; unchecked ones here
    // are left to it).
    uint64_t first = begin / frame_bytes_;
    const uint64_t last = (begin + size - 1) / frame_bytes_;
    if (first < last && zstd_->frame == first) ++first;
    const uint8_t* table = file_.data() + frame_table_;
    const uint64_t from = decode_fixed64(table + first * doc_store::kFrameEntrySize);
    const uint64_t to = decode_fixed64(table + (last + 1) * doc_store::kFrameEntrySize);
    // A damaged table must not make it read much more than the frames.
    const uint64_t most = (last + 1 - first) * ZSTD_compressBound(frame_bytes_);
    if (first < last && from >= dictionary_bytes_ && from <= to && to <= meta_records_ &&
        to - from <= most &&
        (from < zstd_->compressed_at || to > zstd_->compressed_at + zstd_->compressed.size())) {
      SCRY_RETURN_IF_ERROR(read_compressed(from, to));
    }
  }
  while (size > 0) {
    const uint64_t k = begin / frame_bytes_;
    const uint64_t at = begin % frame_bytes_;
    auto f = frame(static_cast<uint32_t>(k));
    if (!f) return f.status();
    const uint64_t take = std::min<uint64_t>(size, f->size() - at);
    out->append(f->substr(at, take));
    begin += take;
    size -= take;
  }
  return Status::ok();
}

Result<StoredDocument> DocStoreReader::get(uint32_t doc) {
  if (doc >= doc_count_) {
    return Status::invalid_argument(file_.path() + ": no document " + std::to_string(doc));
  }
  std::vector<TextCheckpoint> checkpoints;
  auto m = meta(doc, &checkpoints);
  if (!m) return m.status();
  StoredDocument out = without_body(*m);
  out.checkpoints = std::move(checkpoints);
  if (file_.version() >= doc_store::kFrameVersion) {
    SCRY_RETURN_IF_ERROR(read_stream(m->body_begin, m->body_bytes, &out.body));
    return out;
  }
  auto body = chunk_body(doc);
  if (!body) return body.status();
  out.body.assign(*body);
  return out;
}

Result<TextLayout> DocStoreReader::layout(uint32_t doc, uint64_t through) {
  TextLayout out;
  SCRY_RETURN_IF_ERROR(layout(doc, through, &out));
  return out;
}

Status DocStoreReader::layout(uint32_t doc, uint64_t through, TextLayout* out) {
  if (doc >= doc_count_) {
    return Status::invalid_argument(file_.path() + ": no document " + std::to_string(doc));
  }
  out->checkpoints.clear();
  if (file_.version() < doc_store::kFrameVersion) {
    auto body = chunk_body(doc);
    if (!body) return body.status();
    out->has_checkpoints = false;
    out->body_bytes = static_cast<uint32_t>(body->size());
    out->body_position = 0;
    out->body_begin = 0;
    return Status::ok();
  }
  auto m = meta(doc, &out->checkpoints, through);
  if (!m) return m.status();
  out->has_checkpoints = m->has_checkpoints;
  out->body_bytes = m->body_bytes;
  out->body_position = m->body_position;
  out->body_begin = m->body_begin;
  return Status::ok();
}

Result<std::string> DocStoreReader::body_range(uint32_t doc, uint32_t begin, uint32_t end) {
  TextLayout layout;
  SCRY_RETURN_IF_ERROR(this->layout(doc, 0, &layout));
  std::string out;
  SCRY_RETURN_IF_ERROR(read_body(doc, layout, begin, end, &out));
  return out;
}

void DocStoreReader::prefetch_body(uint32_t doc) {
  if (file_.version() < doc_store::kFrameVersion || doc >= doc_count_) return;
  auto m = meta(doc, nullptr);
  if (!m || m->body_bytes == 0) return;
  const uint64_t first = m->body_begin / frame_bytes_;
  const uint64_t last = std::min<uint64_t>((m->body_begin + m->body_bytes - 1) / frame_bytes_,
                                           first + kPrefetchedFrames - 1);
  // Entries first to last + 1 (a frame's end is the next one's start), by
  // cache line.
  constexpr uintptr_t kLine = 64;
  const uint8_t* table = file_.data() + frame_table_;
  const uint8_t* end = table + (last + 2) * doc_store::kFrameEntrySize;
  const uint8_t* p = table + first * doc_store::kFrameEntrySize;
  for (p -= reinterpret_cast<uintptr_t>(p) % kLine; p < end; p += kLine) __builtin_prefetch(p);
}

Status DocStoreReader::read_body(uint32_t doc, const TextLayout& layout, uint32_t begin,
                                 uint32_t end, std::string* out) {
  if (doc >= doc_count_) {
    return Status::invalid_argument(file_.path() + ": no document " + std::to_string(doc));
  }
  out->clear();
  if (file_.version() < doc_store::kFrameVersion) {
    auto body = chunk_body(doc);
    if (!body) return body.status();
    if (begin < end && begin < body->size()) out->assign(body->substr(begin, end - begin));
    return Status::ok();
  }
  // meta() checked the body's range against the stream when layout() read it.
  end = std::min(end, layout.body_bytes);
  if (begin < end) return read_stream(layout.body_begin + begin, end - begin, out);
  return Status::ok();
}

}  // namespace scry
