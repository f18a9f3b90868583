// Sorting by a string key, faster than comparing the strings: each item is
// sorted with the first 8 bytes of its key as one integer, and only keys
// whose first 8 bytes tie are compared whole. The index builder sorts its
// terms (hundreds of thousands a shard) and words (millions) this way.
//
// Thread safety: pure functions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace scry {

// The first 8 bytes of `s` as a big-endian integer, zero bytes past its
// end: where two of them differ, they order their strings as the strings'
// bytes (unsigned) do; equal ones say nothing.
inline uint64_t order_prefix(std::string_view s) {
  if (s.size() >= 8) {
    uint64_t v;
    std::memcpy(&v, s.data(), 8);
    return __builtin_bswap64(v);  // Little-endian targets (as scry/codec/varint.h).
  }
  unsigned char bytes[8] = {};
  std::memcpy(bytes, s.data(), std::min<size_t>(s.size(), 8));
  uint64_t v = 0;
  for (unsigned char b : bytes) v = v << 8 | b;
  return v;
}

// Sorts items (order_prefix(key(item)), item) by key(item) (a
// std::string_view), ascending as std::string_view's operator< orders
// them, like std::sort (items with equal keys end in an unspecified order).
// REQUIRES: each item's first is order_prefix(key(its second)).
template <typename T, typename Key>
void sort_keyed(std::vector<std::pair<uint64_t, T>>* keyed, Key key) {
  std::sort(keyed->begin(), keyed->end(), [&key](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return key(a.second) < key(b.second);
  });
}

// Sorts `items` by key(item) in the same way (through a keyed copy).
template <typename T, typename Key>
void sort_by_key(std::vector<T>* items, Key key) {
  std::vector<std::pair<uint64_t, T>> keyed;
  keyed.reserve(items->size());
  for (T& item : *items) keyed.emplace_back(order_prefix(key(item)), std::move(item));
  sort_keyed(&keyed, key);
  for (size_t i = 0; i < keyed.size(); ++i) (*items)[i] = std::move(keyed[i].second);
}

}  // namespace scry
