#include "scry/index/inverter.h"

#include <algorithm>
#include <cassert>

#include "scry/codec/varint.h"

namespace scry {

namespace {
// Heap bytes of one hash table node and bucket beyond the key and stream
// buffers (measured order of magnitude for libstdc++).
constexpr size_t kEntryOverhead = 112;
}  // namespace

void Inverter::begin_document(uint32_t doc) {
  doc_ = doc;
  touched_.clear();
}

void Inverter::add_token(Field field, std::string_view term, uint32_t position) {
  key_.assign(1, static_cast<char>(field));
  key_.append(term);
  auto it = terms_.find(std::string_view(key_));
  if (it == terms_.end()) {
    it = terms_.emplace(key_, Entry()).first;
    memory_ += it->first.capacity() + kEntryOverhead;
  }
  Entry& e = it->second;
  size_t before = e.pending.capacity();
  if (e.pending_tf == 0) {
    touched_.push_back(&e);
    put_varint32(&e.pending, position);
  } else {
    assert(position > e.pending_last);
    put_varint32(&e.pending, position - e.pending_last);
  }
  e.pending_last = position;
  e.pending_tf += 1;
  memory_ += e.pending.capacity() - before;
}

void Inverter::end_document() {
  for (Entry* e : touched_) {
    size_t before = e->stream.capacity() + e->pending.capacity();
    put_varint64(&e->stream, static_cast<uint64_t>(static_cast<int64_t>(doc_) - e->last_doc));
    put_varint32(&e->stream, e->pending_tf);
    e->stream.append(e->pending);
    e->last_doc = doc_;
    e->df += 1;
    e->cf += e->pending_tf;
    e->pending_tf = 0;
    e->pending.clear();
    if (e->pending.capacity() > 256) e->pending.shrink_to_fit();
    memory_ = memory_ - before + e->stream.capacity() + e->pending.capacity();
  }
  touched_.clear();
}

std::vector<std::pair<std::string_view, const Inverter::Entry*>> Inverter::sorted() const {
  std::vector<std::pair<std::string_view, const Entry*>> out;
  out.reserve(terms_.size());
  for (const auto& [key, entry] : terms_) out.emplace_back(key, &entry);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

void Inverter::clear() {
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>>().swap(terms_);
  touched_.clear();
  touched_.shrink_to_fit();
  memory_ = 0;
}

}  // namespace scry
