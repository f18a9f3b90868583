// Sorting by a string key, faster than comparing the strings: each item is
// sorted with the first 8 bytes of its key as one integer (a radix sort),
// and only keys whose first 8 bytes tie are compared whole. The index
// builder sorts its terms (hundreds of thousands a shard), their reversed
// keys and its words (millions) this way.
//
// Thread safety: pure functions.
#pragma once

#include <algorithm>
#include <array>
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

// Sorts `items` by prefix(item), a uint64_t, ascending, and the items of
// equal prefixes by `less` (a strict weak order): as std::sort with the
// comparison "prefixes, then less" (items equivalent under it end in an
// unspecified order). A least-significant-byte-first radix sort of the
// prefixes (a pass skipped where all share the byte), then std::sort of
// each run of equal prefixes; small inputs go to std::sort directly.
// REQUIRES: T default-constructible and movable.
template <typename T, typename Prefix, typename Less>
void sort_by_prefix(std::vector<T>* items, Prefix prefix, Less less) {
  const size_t n = items->size();
  constexpr size_t kRadixMin = 256;  // Below this, std::sort is cheaper.
  if (n < kRadixMin) {
    std::sort(items->begin(), items->end(), [&](const T& a, const T& b) {
      const uint64_t pa = prefix(a), pb = prefix(b);
      if (pa != pb) return pa < pb;
      return less(a, b);
    });
    return;
  }
  std::array<std::array<size_t, 256>, 8> counts{};
  for (const T& item : *items) {
    const uint64_t p = prefix(item);
    for (size_t d = 0; d < 8; ++d) ++counts[d][(p >> (8 * d)) & 0xff];
  }
  std::vector<T> buffer(n);
  T* from = items->data();
  T* to = buffer.data();
  for (size_t d = 0; d < 8; ++d) {
    const unsigned shift = static_cast<unsigned>(8 * d);
    std::array<size_t, 256>& next = counts[d];
    if (next[(prefix(from[0]) >> shift) & 0xff] == n) continue;  // One byte value.
    size_t at = 0;
    for (size_t& count : next) at += std::exchange(count, at);
    for (size_t i = 0; i < n; ++i) {
      to[next[(prefix(from[i]) >> shift) & 0xff]++] = std::move(from[i]);
    }
    std::swap(from, to);
  }
  if (from != items->data()) std::move(from, from + n, items->data());
  T* sorted = items->data();
  for (size_t i = 0; i < n;) {
    const uint64_t p = prefix(sorted[i]);
    size_t end = i + 1;
    while (end < n && prefix(sorted[end]) == p) ++end;
    if (end - i > 1) std::sort(sorted + i, sorted + end, less);
    i = end;
  }
}

// Sorts items (order_prefix(key(item)), item) by key(item) (a
// std::string_view), ascending as std::string_view's operator< orders
// them, like std::sort (items with equal keys end in an unspecified order).
// REQUIRES: each item's first is order_prefix(key(its second)).
template <typename T, typename Key>
void sort_keyed(std::vector<std::pair<uint64_t, T>>* keyed, Key key) {
  sort_by_prefix(
      keyed, [](const auto& item) { return item.first; },
      [&key](const auto& a, const auto& b) { return key(a.second) < key(b.second); });
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
