#include "scry/format/postings.h"

#include <algorithm>

#include "scry/codec/bitpack.h"
#include "scry/codec/varint.h"
#include "scry/format/format.h"

namespace scry {

static_assert(kPostingsBlockSize == kBlockSize, "postings blocks are bitpack blocks");

void pareto_impacts(std::vector<Impact>* impacts) {
  auto& v = *impacts;
  // Only the shortest document of each tf can be kept. Most tfs are small:
  // their shortest lengths go into a table indexed by tf (no sort); the
  // pairs of larger tfs move to the front of `v` and are sorted, highest tf
  // first and, for equal tf, shortest document first.
  constexpr uint32_t kSmallTfs = 32;
  uint32_t shortest_of[kSmallTfs];
  uint32_t present = 0;  // Bit tf: some pair has that small tf.
  size_t large = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const Impact im = v[i];
    if (im.tf >= kSmallTfs) {
      v[large++] = im;
    } else if ((present >> im.tf & 1) == 0) {
      present |= uint32_t{1} << im.tf;
      shortest_of[im.tf] = im.doc_len;
    } else {
      shortest_of[im.tf] = std::min(shortest_of[im.tf], im.doc_len);
    }
  }
  std::sort(v.begin(), v.begin() + static_cast<ptrdiff_t>(large),
            [](const Impact& a, const Impact& b) {
              return a.tf != b.tf ? a.tf > b.tf : a.doc_len < b.doc_len;
            });
  // By descending tf, a pair is kept only when shorter than every pair with
  // a higher or equal tf. `kept` never passes the pairs read.
  size_t kept = 0;
  uint64_t shortest = UINT64_MAX;
  const auto offer = [&](Impact im) {
    if (im.doc_len < shortest) {
      v[kept++] = im;
      shortest = im.doc_len;
    }
  };
  for (size_t i = 0; i < large; ++i) offer(v[i]);
  for (uint32_t tf = kSmallTfs; tf-- > 0;) {
    if (present >> tf & 1) offer({tf, shortest_of[tf]});
  }
  v.resize(kept);
  std::reverse(v.begin(), v.end());
}

void put_impacts(std::string* dst, const std::vector<Impact>& impacts) {
  put_varint32(dst, static_cast<uint32_t>(impacts.size()));
  uint32_t prev_tf = 0;
  uint32_t prev_len = 0;
  for (size_t i = 0; i < impacts.size(); ++i) {
    const Impact& im = impacts[i];
    if (i == 0) {
      put_varint32(dst, im.tf - 1);
      put_varint32(dst, im.doc_len);
    } else {
      put_varint32(dst, im.tf - prev_tf - 1);
      put_varint32(dst, im.doc_len - prev_len - 1);
    }
    prev_tf = im.tf;
    prev_len = im.doc_len;
  }
}

const uint8_t* get_impacts(const uint8_t* p, const uint8_t* limit, std::vector<Impact>* out) {
  out->clear();
  uint32_t n = 0;
  p = get_varint32(p, limit, &n);
  if (p == nullptr || n > static_cast<size_t>(limit - p)) return nullptr;  // >= 2 bytes a pair.
  out->reserve(n);
  uint64_t tf = 0;
  uint64_t len = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t dtf = 0;
    uint32_t dlen = 0;
    p = get_varint32(p, limit, &dtf);
    if (p == nullptr) return nullptr;
    p = get_varint32(p, limit, &dlen);
    if (p == nullptr) return nullptr;
    tf = (i == 0 ? 0 : tf) + dtf + 1;
    len = i == 0 ? dlen : len + dlen + 1;
    if (tf > UINT32_MAX || len > UINT32_MAX) return nullptr;
    out->push_back({static_cast<uint32_t>(tf), static_cast<uint32_t>(len)});
  }
  return p;
}

namespace {

// Tail encoding: per posting varint((gap - 1) << 1 | (tf == 1)), then varint
// tf when tf != 1. `prev` is the doc before the first (or -1).
void put_tail(std::string* dst, int64_t prev, const uint32_t* docs, const uint32_t* tfs,
              uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t gap = static_cast<uint64_t>(static_cast<int64_t>(docs[i]) - prev - 1);
    put_varint64(dst, gap << 1 | (tfs[i] == 1 ? 1u : 0u));
    if (tfs[i] != 1) put_varint32(dst, tfs[i]);
    prev = docs[i];
  }
}

// Decodes n postings of the tail encoding; nullptr on malformed input or a
// doc id at or above `doc_count`.
const uint8_t* get_tail(const uint8_t* p, const uint8_t* limit, int64_t prev, uint32_t n,
                        uint32_t doc_count, uint32_t* docs, uint32_t* tfs) {
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t v = 0;
    p = get_varint64(p, limit, &v);
    if (p == nullptr) return nullptr;
    // Bound the gap before adding it: a damaged varint may hold up to
    // 2^64 - 1, and prev + gap + 1 would overflow int64_t (undefined
    // behaviour; found by tests/fuzz/fuzz_index).
    if ((v >> 1) >= PostingsCursor::kEnd) return nullptr;
    int64_t doc = prev + static_cast<int64_t>(v >> 1) + 1;
    if (doc >= doc_count) return nullptr;
    uint32_t tf = 1;
    if ((v & 1) == 0) {
      p = get_varint32(p, limit, &tf);
      if (p == nullptr || tf == 0) return nullptr;
    }
    docs[i] = static_cast<uint32_t>(doc);
    tfs[i] = tf;
    prev = doc;
  }
  return p;
}

std::vector<Impact> impacts_of(const uint32_t* tfs, const uint32_t* lens, uint32_t n) {
  std::vector<Impact> v(n);
  for (uint32_t i = 0; i < n; ++i) v[i] = {tfs[i], lens[i]};
  pareto_impacts(&v);
  return v;
}

}  // namespace

PostingsWriter::PostingsWriter(FileWriter* postings, FileWriter* positions)
    : postings_(postings), positions_(positions) {}

void PostingsWriter::begin_term() {
  info_ = TermInfo();
  info_.postings_offset = postings_->offset();
  info_.positions_offset = positions_->offset();
  last_block_doc_ = -1;
  count_ = 0;
  block_positions_.clear();
  term_impacts_.clear();
}

void PostingsWriter::add(uint32_t doc, uint32_t doc_len, std::span<const uint32_t> positions) {
  assert(!positions.empty());
  assert(count_ == 0 ? static_cast<int64_t>(doc) > last_block_doc_ : doc > docs_[count_ - 1]);
  docs_[count_] = doc;
  tfs_[count_] = static_cast<uint32_t>(positions.size());
  lens_[count_] = doc_len;
  uint32_t prev = 0;
  for (uint32_t p : positions) {
    put_varint32(&block_positions_, p - prev);
    prev = p;
  }
  info_.df++;
  info_.cf += positions.size();
  if (++count_ == kPostingsBlockSize) flush_block();
}

void PostingsWriter::add_gaps(uint32_t doc, uint32_t doc_len, uint32_t tf, std::string_view gaps) {
  assert(tf > 0);
  assert(count_ == 0 ? static_cast<int64_t>(doc) > last_block_doc_ : doc > docs_[count_ - 1]);
  docs_[count_] = doc;
  tfs_[count_] = tf;
  lens_[count_] = doc_len;
  block_positions_.append(gaps);
  info_.df++;
  info_.cf += tf;
  if (++count_ == kPostingsBlockSize) flush_block();
}

void PostingsWriter::flush_block() {
  std::vector<Impact> block_impacts = impacts_of(tfs_, lens_, count_);
  term_impacts_.insert(term_impacts_.end(), block_impacts.begin(), block_impacts.end());
  if (term_impacts_.size() > 256) pareto_impacts(&term_impacts_);

  std::string body;
  if (count_ == kPostingsBlockSize) {
    uint32_t values[kPostingsBlockSize];
    int64_t prev = last_block_doc_;
    for (uint32_t i = 0; i < count_; ++i) {
      values[i] = static_cast<uint32_t>(static_cast<int64_t>(docs_[i]) - prev - 1);
      prev = docs_[i];
    }
    bitpack_encode(values, &body);
    for (uint32_t i = 0; i < count_; ++i) values[i] = tfs_[i] - 1;
    bitpack_encode(values, &body);
  } else {
    put_tail(&body, last_block_doc_, docs_, tfs_, count_);
  }
  uint32_t last = docs_[count_ - 1];
  scratch_.clear();
  put_varint64(&scratch_, static_cast<uint64_t>(static_cast<int64_t>(last) - last_block_doc_));
  put_varint64(&scratch_, body.size());
  put_varint64(&scratch_, block_positions_.size());
  put_impacts(&scratch_, block_impacts);
  postings_->append(scratch_);
  postings_->append(body);
  positions_->append(block_positions_);
  block_positions_.clear();
  last_block_doc_ = last;
  count_ = 0;
}

TermInfo PostingsWriter::end_term() {
  assert(info_.df > 0);
  if (info_.df < kPostingsBlockSize) {
    scratch_.clear();
    put_tail(&scratch_, -1, docs_, tfs_, count_);
    postings_->append(scratch_);
    positions_->append(block_positions_);
    block_positions_.clear();
    count_ = 0;
  } else {
    if (count_ > 0) flush_block();
    pareto_impacts(&term_impacts_);
    info_.impacts = term_impacts_;
  }
  return info_;
}

PostingsCursor::PostingsCursor(const MappedFile& postings, const MappedFile& positions,
                               const TermInfo& info, uint32_t doc_count, Impacts impacts)
    : post_file_(postings),
      pos_file_(positions),
      post_end_(postings.data() + postings.size()),
      pos_end_(positions.data() + positions.size()),
      df_(info.df),
      doc_count_(doc_count),
      long_list_(info.df >= kPostingsBlockSize),
      read_impacts_(impacts == Impacts::kRead) {
  if (info.postings_offset > postings.size() || info.positions_offset > positions.size() ||
      df_ == 0) {
    fail(post_file_, "term offsets out of range");
    return;
  }
  const uint8_t* p = postings.data() + info.postings_offset;
  const uint8_t* pos = positions.data() + info.positions_offset;
  if (long_list_) {
    next_block_ = p;
    next_pos_block_ = pos;
    remaining_ = df_;
    if (!read_block_header() || !decode_block_body()) return;
  } else {
    block_size_ = df_;
    body_ = p;
    body_end_ = post_end_;
    pos_block_ = pos;
    if (!decode_block_body()) return;
    block_last_doc_ = docs_[df_ - 1];
  }
  doc_ = docs_[0];
}

void PostingsCursor::fail(const MappedFile& file, const std::string& what) {
  status_ = Status::corruption(file.path() + ": corrupted postings (" + what + ")");
  doc_ = kEnd;
  remaining_ = 0;
  block_size_ = 0;
}

bool PostingsCursor::read_block_header() {
  if (block_size_ > 0) prev_block_last_ = block_last_doc_;
  uint64_t delta = 0;
  uint64_t body_bytes = 0;
  uint64_t pos_bytes = 0;
  const uint8_t* p = get_varint64(next_block_, post_end_, &delta);
  if (p) p = get_varint64(p, post_end_, &body_bytes);
  if (p) p = get_varint64(p, post_end_, &pos_bytes);
  if (p && read_impacts_) {
    p = get_impacts(p, post_end_, &block_impacts_);
  } else if (p) {
    // As get_impacts reads them: a count, then two varints a pair.
    uint32_t n = 0;
    p = get_varint32(p, post_end_, &n);
    if (p != nullptr && n > static_cast<size_t>(post_end_ - p)) p = nullptr;
    if (p != nullptr) p = skip_varints(p, post_end_, uint64_t{n} * 2);
  }
  // A damaged delta may be any u64: one past INT64_MAX would overflow the
  // sum (undefined behaviour), one at or above 2^63 would turn negative and
  // pass the check below. Doc ids are below kEnd, so a larger delta is
  // corrupt (found by tests/fuzz/fuzz_index).
  int64_t last = delta < kEnd ? prev_block_last_ + static_cast<int64_t>(delta) : INT64_MAX;
  if (p == nullptr || delta == 0 || last >= doc_count_ ||
      body_bytes > static_cast<uint64_t>(post_end_ - p) || next_pos_block_ > pos_end_ ||
      pos_bytes > static_cast<uint64_t>(pos_end_ - next_pos_block_)) {
    fail(post_file_, "bad block header");
    return false;
  }
  block_last_doc_ = static_cast<uint32_t>(last);
  block_size_ = std::min(remaining_, kPostingsBlockSize);
  remaining_ -= block_size_;
  body_ = p;
  body_end_ = p + body_bytes;
  next_block_ = body_end_;
  pos_block_ = next_pos_block_;
  next_pos_block_ += pos_bytes;
  decoded_ = false;
  return true;
}

bool PostingsCursor::decode_block_body() {
  index_ = 0;
  pos_cursor_ = pos_block_;
  pos_index_ = 0;
  decoded_ = true;
  int64_t prev = long_list_ ? prev_block_last_ : -1;
  if (block_size_ == kPostingsBlockSize) {
    const uint8_t* p = bitpack_decode(body_, body_end_, docs_);
    if (p) p = bitpack_decode(p, body_end_, freqs_);
    if (p == nullptr) {
      fail(post_file_, "bad packed block");
      return false;
    }
    // Gaps are at least 1, so the last doc is the largest: one test after
    // the prefix sum (an earlier doc past the end is in no block returned).
    // Both loops are free of branches, and the second vectorizes.
    for (uint32_t i = 0; i < kPostingsBlockSize; ++i) {
      prev += static_cast<int64_t>(docs_[i]) + 1;
      docs_[i] = static_cast<uint32_t>(prev);
    }
    if (prev >= doc_count_) {
      fail(post_file_, "doc id beyond the last document");
      return false;
    }
    uint32_t overflow = 0;
    for (uint32_t i = 0; i < kPostingsBlockSize; ++i) {
      freqs_[i] += 1;
      overflow |= static_cast<uint32_t>(freqs_[i] == 0);
    }
    if (overflow != 0) {
      fail(post_file_, "frequency overflow");
      return false;
    }
  } else if (get_tail(body_, body_end_, prev, block_size_, doc_count_, docs_, freqs_) == nullptr) {
    fail(post_file_, "bad tail block");
    return false;
  }
  if (long_list_ && docs_[block_size_ - 1] != block_last_doc_) {
    fail(post_file_, "block does not end at its header's last doc");
    return false;
  }
  return true;
}

void PostingsCursor::next_block() {
  if (doc_ == kEnd) return;
  if (remaining_ == 0) {
    doc_ = kEnd;
    return;
  }
  if (!read_block_header() || !decode_block_body()) return;
  doc_ = docs_[0];
}

void PostingsCursor::seek(uint32_t target) {
  if (doc_ >= target) return;
  while (block_last_doc_ < target) {
    if (remaining_ == 0) {
      doc_ = kEnd;
      return;
    }
    if (!read_block_header()) return;
  }
  if (!decoded_ && !decode_block_body()) return;
  while (docs_[index_] < target) ++index_;
  doc_ = docs_[index_];
}

void PostingsCursor::shallow_seek(uint32_t target) {
  if (doc_ == kEnd) return;
  while (block_last_doc_ < target && remaining_ > 0) {
    if (!read_block_header()) return;
  }
}

Status PostingsCursor::positions(std::vector<uint32_t>* out) {
  out->clear();
  if (doc_ == kEnd) return status_;
  if (index_ < pos_index_) {
    pos_cursor_ = pos_block_;
    pos_index_ = 0;
  }
  const uint8_t* p = pos_cursor_;
  // Skip the positions of the postings passed over since the last call.
  uint64_t skipped = 0;
  for (; pos_index_ < index_; ++pos_index_) skipped += freqs_[pos_index_];
  p = skip_varints(p, pos_end_, skipped);
  if (p == nullptr) {
    fail(pos_file_, "positions truncated");
    return status_;
  }
  // Each position takes at least one byte: a (damaged) frequency larger than
  // what is left of the file must not reserve gigabytes before failing.
  if (freqs_[index_] > static_cast<size_t>(pos_end_ - p)) {
    fail(pos_file_, "positions truncated");
    return status_;
  }
  uint64_t pos = 0;
  out->reserve(freqs_[index_]);
  for (uint32_t k = 0; k < freqs_[index_]; ++k) {
    uint32_t delta = 0;
    p = get_varint32(p, pos_end_, &delta);
    if (p == nullptr || (k > 0 && delta == 0)) {
      fail(pos_file_, "bad positions");
      out->clear();
      return status_;
    }
    pos += delta;
    if (pos > UINT32_MAX) {
      fail(pos_file_, "position overflow");
      out->clear();
      return status_;
    }
    out->push_back(static_cast<uint32_t>(pos));
  }
  pos_cursor_ = p;
  pos_index_ = index_ + 1;
  return Status::ok();
}

}  // namespace scry
