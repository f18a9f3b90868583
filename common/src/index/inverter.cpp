#include "index/inverter.h"

#include <algorithm>
#include <cassert>

#include <xxhash.h>

#include "scry/codec/varint.h"
#include "util/prefix_sort.h"
#include "util/short_bytes.h"

namespace scry {

namespace {
constexpr size_t kInitialSlots = 1 << 8;
// Heap bytes of a string beyond its capacity (malloc header) once it has
// left the small-string buffer.
constexpr size_t kAllocOverhead = 16;

size_t heap_bytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + kAllocOverhead : 0;
}
}  // namespace

uint64_t Inverter::term_hash(std::string_view term) {
  return XXH3_64bits(term.data(), term.size());
}

std::pair<uint32_t, Inverter::Entry*> Inverter::find_or_add(Field field, std::string_view term,
                                                            uint64_t hash) {
  if ((size_t{size_} + 1) * 4 > slot_count_ * 3) grow();
  uint64_t tag = hash >> 32;
  size_t mask = slot_count_ - 1;
  const char field_byte = static_cast<char>(field);
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint64_t slot = slots_[i];
    if (slot == 0) {
      if (locate(size_).first == chunks_.size()) {
        size_t n = chunk_entries(chunks_.size());
        chunks_.push_back(std::make_unique<Entry[]>(n));
        memory_ += sizeof(Entry) * n;
      }
      uint32_t index = size_++;
      Entry& e = entry(index);
      e.key.reserve(term.size() + 1);
      e.key.push_back(field_byte);
      e.key.append(term);
      memory_ += heap_bytes(e.key);
      slots_[i] = tag << 32 | size_;
      return {index, &e};
    }
    const uint32_t index = static_cast<uint32_t>(slot) - 1;
    if ((slot >> 32) == tag) {
      Entry& e = entry(index);
      const std::string& key = e.key;
      if (key.size() == term.size() + 1 && key[0] == field_byte &&
          bytes_equal(key.data() + 1, term.data(), term.size())) {
        return {index, &e};
      }
    }
  }
}

void Inverter::grow() {
  const size_t count = slot_count_ == 0 ? kInitialSlots : slot_count_ * 2;
  HugePageArray<uint64_t> slots = make_zeroed_table<uint64_t>(count);
  size_t mask = count - 1;
  for (size_t n = 0; n < slot_count_; ++n) {
    const uint64_t slot = slots_[n];
    if (slot == 0) continue;
    const std::string& key = entry(static_cast<uint32_t>(slot) - 1).key;
    uint64_t h = key_hash(static_cast<Field>(key[0]), term_hash(std::string_view(key).substr(1)));
    size_t i = h & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = slot;
  }
  memory_ += (count - slot_count_) * sizeof(uint64_t);
  slots_ = std::move(slots);
  slot_count_ = count;
}

void Inverter::begin_document(uint32_t doc) {
  doc_ = doc;
  touched_.clear();
  occurrences_.clear();
}

void Inverter::add_token(Field field, std::string_view term, uint64_t hash, uint32_t position) {
  assert(hash == term_hash(term));
  const auto [index, e] = find_or_add(field, term, key_hash(field, hash));
  if (e->pending_tf == 0) touched_.push_back(e);
  e->pending_tf += 1;
  occurrences_.push_back({index, position});
}

void Inverter::end_document() {
  // The positions grouped by entry, each entry's in the order added: the
  // entries' ranges laid out in touched_'s order, then filled from the
  // last occurrence back. Meanwhile each entry's second line (its stream,
  // last written documents ago), then its stream's end, are loaded for
  // the last pass, which writes the postings.
  uint32_t end = 0;
  for (Entry* e : touched_) {
    __builtin_prefetch(&e->stream);
    end += e->pending_tf;
    e->pending_at = end;
  }
  if (grouped_.size() < end) grouped_.resize(end);
  for (size_t i = occurrences_.size(); i-- > 0;) {
    grouped_[--entry(occurrences_[i].entry).pending_at] = occurrences_[i].position;
  }
  for (const Entry* e : touched_) __builtin_prefetch(e->stream.data() + e->stream.size(), 1);
  const size_t touched = touched_.size();
  for (size_t i = 0; i < touched; ++i) {
    Entry* e = touched_[i];
    const uint32_t tf = e->pending_tf;
    // Doc delta and tf (at most 10 + 5 bytes), then a varint a position gap.
    if (const size_t room = 15 + size_t{5} * tf; scratch_.size() < room) scratch_.resize(room);
    char* out = scratch_.data();
    out = encode_varint64(out, static_cast<uint64_t>(static_cast<int64_t>(doc_) - e->last_doc));
    out = encode_varint64(out, tf);
    const uint32_t* positions = grouped_.data() + e->pending_at;
    uint32_t last = 0;
    for (uint32_t k = 0; k < tf; ++k) {
      assert(k == 0 || positions[k] > last);
      out = encode_varint64(out, positions[k] - last);
      last = positions[k];
    }
    const size_t before = heap_bytes(e->stream);
    e->stream.append(scratch_.data(), static_cast<size_t>(out - scratch_.data()));
    e->last_doc = doc_;
    e->df += 1;
    e->cf += tf;
    e->pending_tf = 0;
    memory_ = memory_ - before + heap_bytes(e->stream);
  }
  touched_.clear();
  occurrences_.clear();
  // A long document left large buffers behind.
  constexpr size_t kKeptOccurrences = size_t{1} << 16;
  if (occurrences_.capacity() > kKeptOccurrences) {
    std::vector<Occurrence>().swap(occurrences_);
    std::vector<uint32_t>().swap(grouped_);
    std::string().swap(scratch_);
  }
}

std::vector<std::pair<std::string_view, const Inverter::Entry*>> Inverter::sorted() const {
  std::vector<std::pair<std::string_view, const Entry*>> out;
  out.reserve(size_);
  for (uint32_t i = 0; i < size_; ++i) {
    const Entry& e = entry(i);
    out.emplace_back(e.key, &e);
  }
  sort_by_key(&out, [](const auto& item) { return item.first; });
  return out;
}

void Inverter::clear() {
  std::vector<std::unique_ptr<Entry[]>>().swap(chunks_);
  size_ = 0;
  slots_.reset();
  slot_count_ = 0;
  touched_.clear();
  occurrences_.clear();
  memory_ = 0;
}

}  // namespace scry
