#include "scry/format/term_dictionary.h"

#include <algorithm>
#include <cassert>

#include "scry/codec/varint.h"
#include "scry/format/format.h"
#include "scry/format/term_trie.h"
#include "scry/util/utf8.h"
#include "util/prefix_sort.h"

namespace scry {

namespace {
// Versions 1-5: u64 index offset, u64 term count, u32 block count. Version
// 6 adds u64 trie offset, u64 trie root offset (within the trie); version 7
// u64 reversed trie offset, u64 its root offset.
constexpr size_t kTrailerSizeV5 = 20;
constexpr size_t kTrailerSizeV6 = 36;
constexpr size_t kTrailerSize = 52;
constexpr uint32_t kFirstTrieVersion = 6;
// The first version whose trie nodes record their keys' lengths, and whose
// dictionary also holds the trie of the reversed keys.
constexpr uint32_t kFirstReversedTrieVersion = 7;

// Steps over an impact list as get_impacts() reads it; nullptr when it
// runs past `limit` (the values' lengths are not checked, as skip_varints()
// says).
const uint8_t* skip_impact_list(const uint8_t* p, const uint8_t* limit) {
  uint32_t n = 0;
  p = get_varint32(p, limit, &n);
  if (p == nullptr || n > static_cast<size_t>(limit - p)) return nullptr;
  return skip_varints(p, limit, 2 * uint64_t{n});
}

// Whether `key` sorts after `prev` (bytewise). A byte loop: the first keys
// of neighbouring blocks differ in their first few bytes, and open()
// compares every pair (and a lookup's binary search a dozen), where a call
// of memcmp cost more than the loop.
bool sorts_after(std::string_view prev, std::string_view key) {
  const size_t n = std::min(prev.size(), key.size());
  for (size_t i = 0; i < n; ++i) {
    if (prev[i] != key[i]) {
      return static_cast<unsigned char>(prev[i]) < static_cast<unsigned char>(key[i]);
    }
  }
  return prev.size() < key.size();
}

// The fields of one block entry before its impact list (docs/FORMAT.md,
// "seg1.terms"): the key as front-coded, the df, cf - df and the two
// offsets' deltas from the previous entry of the block.
struct EntryHead {
  uint32_t shared = 0;
  std::string_view suffix;
  uint32_t df = 0;
  uint64_t extra = 0;
  uint64_t dpost = 0;
  uint64_t dpos = 0;
};

// Reads an entry's head from `p`; returns where its impact list starts
// (where a list is, df >= kPostingsBlockSize), or nullptr when it is
// malformed (a df of 0 included). Inlined: a lookup reads about half a
// block of heads, and the call was most of each one's cost.
[[gnu::always_inline]] inline const uint8_t* get_entry_head(const uint8_t* p, const uint8_t* limit,
                                                            EntryHead* e) {
  p = get_varint32(p, limit, &e->shared);
  if (p) p = get_length_prefixed(p, limit, &e->suffix);
  if (p) p = get_varint32(p, limit, &e->df);
  if (p) p = get_varint64(p, limit, &e->extra);
  if (p) p = get_varint64(p, limit, &e->dpost);
  if (p) p = get_varint64(p, limit, &e->dpos);
  return p == nullptr || e->df == 0 ? nullptr : p;
}

}  // namespace

void ReversedKeys::add(std::string_view key, uint32_t df) {
  const std::string reversed = reversed_key(key);
  list_.push_back({order_prefix(reversed), keys_.size(), static_cast<uint32_t>(reversed.size()), df,
                   code_point_count(key)});
  keys_ += reversed;
}

bool ReversedKeys::before(const Key& a, const ReversedKeys& b_set, const Key& b) const {
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  return key_of(a) < b_set.key_of(b);
}

void ReversedKeys::sort() {
  // The keys are distinct (reversed_key() can be undone), so the order is
  // the keys' order whatever the sort.
  sort_by_prefix(
      &list_, [](const Key& k) { return k.prefix; },
      [this](const Key& a, const Key& b) { return key_of(a) < key_of(b); });
}

void ReversedKeys::add_to(std::span<const ReversedKeys> sets, TermTrieBuilder* trie) {
  std::vector<size_t> next(sets.size(), 0);
  for (;;) {
    // The smallest of the sets' next keys (a few sets: a scan).
    size_t best = sets.size();
    for (size_t i = 0; i < sets.size(); ++i) {
      if (next[i] == sets[i].list_.size()) continue;
      if (best == sets.size() ||
          sets[i].before(sets[i].list_[next[i]], sets[best], sets[best].list_[next[best]])) {
        best = i;
      }
    }
    if (best == sets.size()) return;
    const Key& k = sets[best].list_[next[best]++];
    trie->add(sets[best].key_of(k), k.df, k.code_points);
  }
}

TermDictionaryWriter::TermDictionaryWriter(FileWriter* out, bool reversed_apart)
    : out_(out), trie_(std::make_unique<TermTrieBuilder>()), reversed_apart_(reversed_apart) {}

TermDictionaryWriter::~TermDictionaryWriter() = default;

void TermDictionaryWriter::add(std::string_view key, const TermInfo& info) {
  assert(count_ == 0 || key > last_key_);
  if (in_block_ == 0) {
    put_length_prefixed(&index_, key);
    put_varint64(&index_, out_->offset() + block_.size());
    prev_postings_ = 0;
    prev_positions_ = 0;
  }
  size_t shared = 0;
  if (in_block_ > 0) {
    size_t limit = std::min(key.size(), last_key_.size());
    while (shared < limit && key[shared] == last_key_[shared]) ++shared;
  }
  put_varint32(&block_, static_cast<uint32_t>(shared));
  put_length_prefixed(&block_, key.substr(shared));
  put_varint32(&block_, info.df);
  put_varint64(&block_, info.cf - info.df);
  put_varint64(&block_, info.postings_offset - prev_postings_);
  put_varint64(&block_, info.positions_offset - prev_positions_);
  if (info.df >= kPostingsBlockSize) put_impacts(&block_, info.impacts);
  prev_postings_ = info.postings_offset;
  prev_positions_ = info.positions_offset;
  trie_->add(key, info.df);
  if (!reversed_apart_) reversed_.add(key, info.df);
  last_key_.assign(key);
  ++count_;
  if (++in_block_ == kTermsPerBlock) flush_block();
}

void TermDictionaryWriter::flush_block() {
  out_->append(block_);
  block_.clear();
  if (in_block_ > 0) ++blocks_;
  in_block_ = 0;
}

void TermDictionaryWriter::finish() {
  assert(!reversed_apart_);
  reversed_.sort();
  TermTrieBuilder reversed_trie;
  ReversedKeys::add_to(std::span(&reversed_, 1), &reversed_trie);
  reversed_trie.finish();
  reversed_ = ReversedKeys();
  finish(reversed_trie);
}

void TermDictionaryWriter::finish(const TermTrieBuilder& reversed) {
  flush_block();
  uint64_t index_offset = out_->offset();
  out_->append(index_);
  trie_->finish();
  const uint64_t trie_offset = out_->offset();
  out_->append(trie_->bytes());
  const uint64_t root_offset = trie_->root_offset();
  trie_.reset();
  const uint64_t reversed_offset = out_->offset();
  out_->append(reversed.bytes());
  std::string trailer;
  put_fixed64(&trailer, index_offset);
  put_fixed64(&trailer, count_);
  put_fixed32(&trailer, blocks_);
  put_fixed64(&trailer, trie_offset);
  put_fixed64(&trailer, root_offset);
  put_fixed64(&trailer, reversed_offset);
  put_fixed64(&trailer, reversed.root_offset());
  out_->append(trailer);
}

TermDictionaryReader::TermDictionaryReader(const MappedFile& file) : file_(file) {}

TermDictionaryReader::~TermDictionaryReader() = default;

Result<std::unique_ptr<TermDictionaryReader>> TermDictionaryReader::open(const MappedFile& file) {
  auto reader = std::unique_ptr<TermDictionaryReader>(new TermDictionaryReader(file));
  auto bad = [&](const char* what) {
    return Status::corruption(file.path() + ": corrupted term dictionary (" + what + ")");
  };
  const bool has_trie = file.version() >= kFirstTrieVersion;
  const bool has_reversed = file.version() >= kFirstReversedTrieVersion;
  const size_t trailer_size =
      has_reversed ? kTrailerSize : (has_trie ? kTrailerSizeV6 : kTrailerSizeV5);
  if (file.size() < trailer_size) return bad("too short");
  const uint8_t* trailer = file.data() + file.size() - trailer_size;
  reader->index_offset_ = decode_fixed64(trailer);
  reader->term_count_ = decode_fixed64(trailer + 8);
  uint32_t blocks = decode_fixed32(trailer + 16);
  if (reader->index_offset_ > file.size() - trailer_size) return bad("index offset");
  const uint8_t* p = file.data() + reader->index_offset_;
  const uint8_t* limit = trailer;
  if (has_trie) {
    const uint64_t trie_offset = decode_fixed64(trailer + 20);
    const uint64_t root = decode_fixed64(trailer + 28);
    // The trie ends where the reversed one starts (version 7), or at the
    // trailer.
    uint64_t trie_end = file.size() - trailer_size;
    if (has_reversed) {
      const uint64_t reversed_offset = decode_fixed64(trailer + 36);
      const uint64_t reversed_root = decode_fixed64(trailer + 44);
      if (reversed_offset < reader->index_offset_ || reversed_offset > trie_end) {
        return bad("reversed trie offset");
      }
      const auto reversed_size = static_cast<size_t>(trie_end - reversed_offset);
      if (reversed_root >= reversed_size) return bad("reversed trie root offset");
      reader->reversed_trie_ = std::make_unique<TermTrie>(
          file.data() + reversed_offset, reversed_size, reversed_root, file.path(), true);
      trie_end = reversed_offset;
    }
    if (trie_offset < reader->index_offset_ || trie_offset > trie_end) return bad("trie offset");
    const auto trie_size = static_cast<size_t>(trie_end - trie_offset);
    if (root >= trie_size) return bad("trie root offset");
    limit = file.data() + trie_offset;
    reader->trie_ = std::make_unique<TermTrie>(limit, trie_size, root, file.path(), has_reversed);
  }
  if (blocks > static_cast<size_t>(limit - p)) return bad("block count");
  // BlockRef holds 32-bit positions of the keys.
  if (static_cast<uint64_t>(limit - p) > UINT32_MAX) {
    return Status::not_supported(file.path() + ": term dictionary's sparse index over 4 GiB");
  }
  reader->sparse_index_ = p;
  reader->blocks_.reserve(blocks);
  std::string_view previous;
  for (uint32_t i = 0; i < blocks; ++i) {
    std::string_view key;
    uint64_t offset = 0;
    p = get_length_prefixed(p, limit, &key);
    if (p) p = get_varint64(p, limit, &offset);
    if (p == nullptr) return bad("sparse index");
    if (offset > reader->index_offset_ || (i > 0 && offset <= reader->blocks_.back().offset)) {
      return bad("block offsets");
    }
    if (i > 0 && !sorts_after(previous, key)) return bad("key order");
    previous = key;
    reader->blocks_.push_back({offset,
                               static_cast<uint32_t>(reinterpret_cast<const uint8_t*>(key.data()) -
                                                     reader->sparse_index_),
                               static_cast<uint32_t>(key.size())});
  }
  if (p != limit) return bad("sparse index length");
  if (blocks == 0 && reader->term_count_ != 0) return bad("term count");
  return reader;
}

TermDictionaryReader::Iterator::Iterator(const TermDictionaryReader* reader, size_t block)
    : reader_(reader), block_(block) {
  if (load_block(block)) valid_ = read_entry();
}

size_t TermDictionaryReader::first_block_after(std::string_view key, size_t from) const {
  size_t lo = from;
  size_t hi = blocks_.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (sorts_after(key, first_key(mid))) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

bool TermDictionaryReader::Iterator::load_block(size_t block) {
  const std::vector<BlockRef>& blocks = reader_->blocks_;
  if (block >= blocks.size()) return false;
  block_ = block;
  const uint8_t* base = reader_->file_.data();
  p_ = base + blocks[block].offset;
  block_end_ =
      base + (block + 1 < blocks.size() ? blocks[block + 1].offset : reader_->index_offset_);
  first_in_block_ = true;
  return true;
}

bool TermDictionaryReader::Iterator::read_entry() {
  if (p_ >= block_end_) {
    if (!load_block(block_ + 1)) return false;
  }
  auto bad = [&]() {
    status_ = reader_->corrupted_block(block_);
    return false;
  };
  EntryHead e;
  const uint8_t* p = get_entry_head(p_, block_end_, &e);
  if (p == nullptr || e.shared > key_.size() || (first_in_block_ && e.shared != 0)) return bad();
  key_.resize(e.shared);
  key_.append(e.suffix);
  info_.df = e.df;
  info_.cf = e.df + e.extra;
  info_.postings_offset = (first_in_block_ ? 0 : info_.postings_offset) + e.dpost;
  info_.positions_offset = (first_in_block_ ? 0 : info_.positions_offset) + e.dpos;
  if (info_.df >= kPostingsBlockSize) {
    if (with_impacts_) {
      p = get_impacts(p, block_end_, &info_.impacts);
    } else {
      info_.impacts.clear();
      p = skip_impact_list(p, block_end_);
    }
    if (p == nullptr) return bad();
  } else {
    info_.impacts.clear();
  }
  p_ = p;
  first_in_block_ = false;
  return true;
}

void TermDictionaryReader::Iterator::next() {
  if (valid_) valid_ = read_entry();
}

void TermDictionaryReader::Iterator::seek_forward(std::string_view key) {
  if (!valid_ || key_ >= key) return;
  if (block_ + 1 < reader_->blocks_.size() && key >= reader_->first_key(block_ + 1)) {
    // The last block whose first key is <= key.
    load_block(reader_->first_block_after(key, block_ + 2) - 1);
  }
  do {
    valid_ = read_entry();
  } while (valid_ && key_ < key);
}

TermDictionaryReader::Iterator TermDictionaryReader::seek(std::string_view key) const {
  // The last block whose first key is <= key (or the first block).
  const size_t after = first_block_after(key, 0);
  const size_t block = after == 0 ? 0 : after - 1;
  Iterator iter(this, block);
  while (iter.valid() && iter.key() < key) iter.next();
  return iter;
}

Status TermDictionaryReader::corrupted_block(size_t block) const {
  return Status::corruption(file_.path() + ": corrupted term dictionary block " +
                            std::to_string(block));
}

Result<std::optional<TermInfo>> TermDictionaryReader::find(std::string_view key,
                                                           bool with_impacts) const {
  // The only block that may hold `key`: the last whose first key is <= key.
  const size_t after = first_block_after(key, 0);
  if (after == 0) return std::optional<TermInfo>();
  const size_t block = after - 1;
  const uint8_t* p = file_.data() + blocks_[block].offset;
  const uint8_t* const end =
      file_.data() + (block + 1 < blocks_.size() ? blocks_[block + 1].offset : index_offset_);
  // The entries are compared with `key` without building their keys: every
  // entry passed sorts before `key`; `matched` is the length of the common
  // prefix of the last one and `key`, and `size` that key's length. An
  // entry sharing more than `matched` bytes with the last one differs from
  // `key` where the last one did, and sorts before it too; one sharing
  // `shared` <= `matched` bytes has key[0, shared) and is compared from
  // there by its suffix alone.
  size_t matched = 0;
  size_t size = 0;
  uint64_t postings_offset = 0;
  uint64_t positions_offset = 0;
  for (bool first = true; p < end; first = false) {
    EntryHead e;
    p = get_entry_head(p, end, &e);
    if (p == nullptr || e.shared > size || (first && e.shared != 0)) return corrupted_block(block);
    size = e.shared + e.suffix.size();
    postings_offset += e.dpost;
    positions_offset += e.dpos;
    if (e.shared <= matched) {
      const std::string_view rest = key.substr(e.shared);
      const size_t n = std::min(rest.size(), e.suffix.size());
      size_t same = 0;
      while (same < n && rest[same] == e.suffix[same]) ++same;
      matched = e.shared + same;
      if (same == e.suffix.size() && same == rest.size()) {
        TermInfo info;
        info.df = e.df;
        info.cf = e.df + e.extra;
        info.postings_offset = postings_offset;
        info.positions_offset = positions_offset;
        if (with_impacts && e.df >= kPostingsBlockSize &&
            get_impacts(p, end, &info.impacts) == nullptr) {
          return corrupted_block(block);
        }
        return std::optional<TermInfo>(std::move(info));
      }
      // Past `key`: it is a proper prefix of this entry's key, or sorts
      // before it at the first differing byte.
      if (same == rest.size() ||
          (same < e.suffix.size() &&
           static_cast<unsigned char>(e.suffix[same]) > static_cast<unsigned char>(rest[same]))) {
        return std::optional<TermInfo>();
      }
    }
    if (e.df >= kPostingsBlockSize && (p = skip_impact_list(p, end)) == nullptr) {
      return corrupted_block(block);
    }
  }
  return std::optional<TermInfo>();
}

std::string reversed_key(std::string_view key) {
  assert(!key.empty());
  std::string out(key.substr(0, 1));
  const std::string_view term = key.substr(1);
  if (!is_valid_utf8(term)) {
    out += kInvalidReversedMark;
    out += term;
    return out;
  }
  for (size_t end = term.size(); end > 0;) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(term[start]) & 0xC0) == 0x80) --start;
    out += term.substr(start, end - start);
    end = start;
  }
  return out;
}

}  // namespace scry
