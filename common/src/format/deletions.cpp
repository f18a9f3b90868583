#include "scry/format/deletions.h"

#include <bit>
#include <cassert>

#include "scry/codec/varint.h"
#include "scry/format/format.h"

namespace scry {

namespace {
size_t word_count(uint32_t documents) { return (size_t{documents} + 63) / 64; }
}  // namespace

Result<Deletions> Deletions::parse(const MappedFile& file, uint32_t documents) {
  auto bad = [&](const char* what) {
    return Status::corruption(file.path() + ": damaged deletions (" + what + ")");
  };
  const size_t words = word_count(documents);
  if (file.size() != 8 + words * 8) return bad("size does not match the manifest");
  const uint8_t* p = file.data();
  if (decode_fixed32(p) != documents) return bad("document count does not match the manifest");
  Deletions d(documents);
  d.words_.resize(words);
  uint64_t count = 0;
  for (size_t i = 0; i < words; ++i) {
    d.words_[i] = decode_fixed64(p + 8 + i * 8);
    count += static_cast<uint64_t>(std::popcount(d.words_[i]));
  }
  if (documents % 64 != 0 && words > 0 && (d.words_.back() >> (documents % 64)) != 0) {
    return bad("bits past the last document");
  }
  if (count != decode_fixed32(p + 4)) return bad("count does not match the bits");
  d.count_ = static_cast<uint32_t>(count);
  return d;
}

Status Deletions::write(const std::string& path) const {
  auto out = FileWriter::create(path, kKindDeletions);
  if (!out) return out.status();
  std::string bytes;
  put_fixed32(&bytes, documents_);
  put_fixed32(&bytes, count_);
  for (size_t i = 0; i < word_count(documents_); ++i) {
    put_fixed64(&bytes, words_.empty() ? 0 : words_[i]);
  }
  (*out)->append(bytes);
  return (*out)->finish();
}

bool Deletions::mark(uint32_t doc) {
  assert(doc < documents_);
  if (words_.empty()) words_.assign(word_count(documents_), 0);
  uint64_t bit = uint64_t{1} << (doc & 63);
  if (words_[doc >> 6] & bit) return false;
  words_[doc >> 6] |= bit;
  ++count_;
  return true;
}

}  // namespace scry
