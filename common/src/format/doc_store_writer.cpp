// ZDICT_optimizeTrainFromBuffer_fastCover (zdict.h's "static linking only"
// section, exported by the shared library since 1.3.6).
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

#include "format/doc_store_layout.h"
#include "scry/codec/varint.h"
#include "scry/format/doc_store.h"
#include "scry/format/format.h"

namespace scry {

struct DocStoreWriter::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Context() { ZSTD_freeCCtx(cctx); }
};

std::string train_store_dictionary(std::string_view text, size_t capacity) {
  const size_t n = std::min(text.size(), kStoreTrainBytes);
  if (n < kStoreMinTrainBytes) return {};
  std::vector<size_t> samples;
  for (size_t at = 0; at < n; at += kStoreFrameBytes) {
    samples.push_back(std::min(kStoreFrameBytes, n - at));
  }
  std::string dictionary(std::min(capacity, n / 16), '\0');
  // One trial of the five ZDICT_trainFromBuffer makes (fastCover, d 8,
  // f 20, accel 1, trained on 3/4 of the samples, zstd's default level):
  // the one with the segment size it keeps on Wikipedia and 20newsgroups
  // (k 50), so the same dictionary there in a quarter of its time; on text
  // where it keeps another, another (docs/PERFORMANCE.md, branch ix4).
  ZDICT_fastCover_params_t params{};
  params.k = kStoreTrainSegment;
  params.d = kStoreTrainDmer;
  params.steps = 1;
  params.splitPoint = kStoreTrainSplit;
  params.zParams.compressionLevel = ZSTD_CLEVEL_DEFAULT;
  const size_t size = ZDICT_optimizeTrainFromBuffer_fastCover(
      dictionary.data(), dictionary.size(), text.data(), samples.data(),
      static_cast<unsigned>(samples.size()), &params);
  dictionary.resize(ZDICT_isError(size) ? 0 : size);
  return dictionary;
}

DocStoreWriter::DocStoreWriter(FileWriter* out) : out_(out), zstd_(std::make_unique<Context>()) {}
DocStoreWriter::~DocStoreWriter() = default;

Status DocStoreWriter::add(const StoredDocument& doc) {
  const auto invalid = [&](const std::string& what) {
    return Status::invalid_argument(out_->path() + ": document " + std::to_string(doc_count_) +
                                    ": " + what);
  };
  if (doc.body.size() > std::numeric_limits<uint32_t>::max()) {
    return invalid("body of 4 GiB or more");
  }
  std::string checkpoints;
  if (doc.has_checkpoints) {
    put_varint32(&checkpoints, doc.body_position);
    put_varint32(&checkpoints, static_cast<uint32_t>(doc.checkpoints.size()));
    TextCheckpoint last{0, 0};
    for (size_t i = 0; i < doc.checkpoints.size(); ++i) {
      const TextCheckpoint& c = doc.checkpoints[i];
      const bool increasing = i == 0 || (c.position > last.position && c.offset > last.offset);
      if (!increasing || c.offset >= doc.body.size()) {
        return invalid("checkpoint " + std::to_string(i) + " out of order or outside the body");
      }
      put_varint32(&checkpoints, c.position - last.position);
      put_varint32(&checkpoints, c.offset - last.offset);
      last = c;
    }
  }
  meta_offsets_.push_back(meta_.size());
  put_length_prefixed(&meta_, doc.id);
  put_length_prefixed(&meta_, doc.title);
  put_length_prefixed(&meta_, doc.source);
  put_varint32(&meta_, doc.length);
  put_varint64(&meta_, text_bytes_);
  put_varint32(&meta_, static_cast<uint32_t>(doc.body.size()));
  meta_.push_back(static_cast<char>(doc.has_checkpoints ? doc_store::kHasCheckpoints : 0));
  meta_ += checkpoints;
  pending_ += doc.body;
  text_bytes_ += doc.body.size();
  ++doc_count_;
  if (!trained_) {
    if (pending_.size() < kStoreTrainBytes) return Status::ok();
    SCRY_RETURN_IF_ERROR(train());
  }
  return compress_frames(false);
}

Status DocStoreWriter::train() {
  trained_ = true;
  const std::string dictionary = train_store_dictionary(pending_, kStoreDictionaryBytes);
  const auto failed = [&](size_t code) {
    return Status::io_error(out_->path() + ": zstd: " + ZSTD_getErrorName(code));
  };
  ZSTD_CCtx* cctx = zstd_->cctx;
  for (auto [param, value] :
       {std::pair{ZSTD_c_compressionLevel, kStoreZstdLevel},
        std::pair{ZSTD_c_minMatch, kStoreZstdMinMatch}, std::pair{ZSTD_c_contentSizeFlag, 1},
        std::pair{ZSTD_c_checksumFlag, 0}, std::pair{ZSTD_c_dictIDFlag, 0}}) {
    const size_t r = ZSTD_CCtx_setParameter(cctx, param, value);
    if (ZSTD_isError(r)) return failed(r);
  }
  if (!dictionary.empty()) {
    // Digested once, with the parameters above (a dictionary made by
    // ZSTD_createCDict would bring its level's own, minMatch too), and kept
    // for every frame.
    const size_t r = ZSTD_CCtx_loadDictionary(cctx, dictionary.data(), dictionary.size());
    if (ZSTD_isError(r)) return failed(r);
  }
  out_->append(dictionary);
  return Status::ok();
}

Status DocStoreWriter::compress_frames(bool last) {
  size_t at = 0;
  while (pending_.size() - at >= kStoreFrameBytes || (last && at < pending_.size())) {
    const size_t size = std::min(kStoreFrameBytes, pending_.size() - at);
    compressed_.resize(ZSTD_compressBound(size));
    const size_t n = ZSTD_compress2(zstd_->cctx, compressed_.data(), compressed_.size(),
                                    pending_.data() + at, size);
    if (ZSTD_isError(n)) {
      return Status::io_error(out_->path() + ": zstd: " + ZSTD_getErrorName(n));
    }
    put_fixed64(&frame_table_, out_->offset());
    out_->append(std::string_view(compressed_.data(), n));
    at += size;
  }
  pending_.erase(0, at);
  // A long body, or the training text, left a large buffer behind.
  if (pending_.capacity() > 64 * kStoreFrameBytes && pending_.size() < kStoreFrameBytes) {
    pending_.shrink_to_fit();
  }
  return Status::ok();
}

Status DocStoreWriter::finish() {
  if (!trained_) SCRY_RETURN_IF_ERROR(train());
  SCRY_RETURN_IF_ERROR(compress_frames(true));
  const uint64_t frames = frame_table_.size() / doc_store::kFrameEntrySize;
  const uint64_t records = out_->offset();
  put_fixed64(&frame_table_, records);  // Where the last frame ends.
  out_->append(meta_);
  std::string table;
  table.reserve(meta_offsets_.size() * (doc_store::kMetaOffsetSize + doc_store::kIdEntrySize));
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
  const uint64_t frame_table = out_->offset();
  const uint64_t dictionary = decode_fixed64(reinterpret_cast<const uint8_t*>(frame_table_.data()));
  out_->append(frame_table_);
  std::string trailer;
  put_fixed64(&trailer, records);
  put_fixed64(&trailer, frame_table);
  put_fixed64(&trailer, text_bytes_);
  put_fixed32(&trailer, static_cast<uint32_t>(dictionary));
  put_fixed32(&trailer, static_cast<uint32_t>(frames));
  put_fixed32(&trailer, doc_count_);
  put_fixed32(&trailer, static_cast<uint32_t>(kStoreFrameBytes));
  out_->append(trailer);
  meta_.clear();
  meta_.shrink_to_fit();
  meta_offsets_.clear();
  meta_offsets_.shrink_to_fit();
  frame_table_.clear();
  frame_table_.shrink_to_fit();
  return Status::ok();
}

}  // namespace scry
