#include "scry/format/word_dictionary.h"

#include <cassert>

#include "scry/codec/varint.h"
#include "scry/format/format.h"
#include "scry/text/analyzer.h"

namespace scry {

namespace {
// u64 words, u64 total occurrences, u32 blocks, u32 reserved.
constexpr size_t kWordTrailerSize = 24;
}  // namespace

void WordDictionaryWriter::add(std::string_view word, uint64_t count) {
  assert(!word.empty() && count >= 1 && (words_ == 0 || word > last_));
  if (words_ % kWordsPerBlock == 0) {
    flush_block();
    put_fixed64(&offsets_, out_->offset());
    ++blocks_;
    last_.clear();
  }
  size_t shared = 0;
  while (shared < last_.size() && shared < word.size() && last_[shared] == word[shared]) ++shared;
  put_varint32(&block_, static_cast<uint32_t>(shared));
  put_length_prefixed(&block_, word.substr(shared));
  put_varint64(&block_, count);
  last_.assign(word);
  ++words_;
  total_ += count;
}

void WordDictionaryWriter::flush_block() {
  out_->append(block_);
  block_.clear();
}

Status WordDictionaryWriter::finish() {
  flush_block();
  std::string trailer;
  put_fixed64(&trailer, words_);
  put_fixed64(&trailer, total_);
  put_fixed32(&trailer, blocks_);
  put_fixed32(&trailer, 0);
  out_->append(offsets_);
  out_->append(trailer);
  return out_->finish();
}

Result<WordDictionaryReader> WordDictionaryReader::open(const MappedFile& file) {
  auto bad = [&](const char* what) {
    return Status::corruption(file.path() + ": damaged word dictionary (" + what + ")");
  };
  if (file.size() < kWordTrailerSize) return bad("too short");
  const uint8_t* trailer = file.data() + file.size() - kWordTrailerSize;
  WordDictionaryReader r;
  r.file_ = &file;
  r.words_ = decode_fixed64(trailer);
  r.total_ = decode_fixed64(trailer + 8);
  r.blocks_ = decode_fixed32(trailer + 16);
  if (decode_fixed32(trailer + 20) != 0) return bad("reserved field");
  if (r.blocks_ != (r.words_ + kWordsPerBlock - 1) / kWordsPerBlock) return bad("block count");
  if (uint64_t{r.blocks_} * 8 > file.size() - kWordTrailerSize) return bad("block table");
  r.table_ = file.size() - kWordTrailerSize - size_t{r.blocks_} * 8;
  uint64_t previous = 0;
  for (uint32_t b = 0; b < r.blocks_; ++b) {
    const uint64_t offset = decode_fixed64(file.data() + r.table_ + size_t{b} * 8);
    if ((b == 0 && offset != 0) || (b > 0 && offset <= previous) || offset >= r.table_) {
      return bad("block offsets");
    }
    previous = offset;
  }
  if (r.blocks_ == 0 && r.table_ != 0) return bad("bytes without words");
  if (r.total_ < r.words_) return bad("total below the word count");
  return r;
}

bool WordDictionaryReader::Iterator::fail(const char* what) {
  status_ = Status::corruption(r_->file_->path() + ": damaged word dictionary (" + what +
                               " at word " + std::to_string(index_) + ")");
  return false;
}

bool WordDictionaryReader::Iterator::next() {
  if (!status_.is_ok()) return false;
  const uint8_t* data = r_->file_->data();
  if (index_ == r_->words_) {
    if (total_ != r_->total_) return fail("total count");
    return false;
  }
  uint32_t shared = 0;
  if (index_ % kWordsPerBlock == 0) {
    const size_t b = index_ / kWordsPerBlock;
    p_ = data + decode_fixed64(data + r_->table_ + b * 8);
    limit_ = b + 1 < r_->blocks_ ? data + decode_fixed64(data + r_->table_ + (b + 1) * 8)
                                 : data + r_->table_;
  }
  std::string_view suffix;
  p_ = get_varint32(p_, limit_, &shared);
  if (p_ != nullptr) p_ = get_length_prefixed(p_, limit_, &suffix);
  if (p_ != nullptr) p_ = get_varint64(p_, limit_, &count_);
  if (p_ == nullptr) return fail("truncated entry");
  if (shared > word_.size() || (index_ % kWordsPerBlock == 0 && shared != 0)) {
    return fail("shared prefix");
  }
  const bool first = index_ == 0;
  last_.swap(word_);
  word_.assign(last_, 0, shared);
  word_.append(suffix);
  if (word_.empty() || word_.size() > Analyzer::kMaxTermBytes) return fail("word length");
  if (!first && word_ <= last_) return fail("words out of order");
  if (count_ == 0) return fail("zero count");
  total_ += count_;
  ++index_;
  if (index_ % kWordsPerBlock == 0 && p_ != limit_) return fail("bytes after a block");
  if (index_ == r_->words_ && p_ != limit_) return fail("bytes after the last word");
  return true;
}

Status WordDictionaryReader::verify() const {
  Iterator it = begin();
  while (it.next()) {
  }
  return it.status();
}

}  // namespace scry
