// sort_by_key and sort_by_prefix (util/prefix_sort.h) against std::sort.
#include "util/prefix_sort.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scry {
namespace {

TEST_CASE("sort_by_key orders as std::sort of the keys does") {
  std::mt19937 rng(16);
  // Few letters, NUL and bytes above 0x7f, lengths around 8: long shared
  // prefixes, ties of the first 8 bytes, and keys that are prefixes of
  // others.
  const std::string alphabet = std::string("ab\0\x7f\x80\xff", 6);
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  std::uniform_int_distribution<size_t> length(0, 14);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> keys(static_cast<size_t>(round) * 5);
    for (std::string& key : keys) {
      key.resize(length(rng));
      for (char& c : key) c = alphabet[letter(rng)];
    }
    // Items are (key, its index): a payload that must travel with its key.
    std::vector<std::pair<std::string_view, size_t>> items;
    for (size_t i = 0; i < keys.size(); ++i) items.emplace_back(keys[i], i);
    sort_by_key(&items, [](const auto& item) { return item.first; });
    std::vector<std::string_view> expected(keys.begin(), keys.end());
    std::sort(expected.begin(), expected.end());
    std::vector<std::string_view> got;
    bool payloads = true;
    for (const auto& [key, index] : items) {
      got.push_back(key);
      payloads = payloads && key == keys[index];
    }
    INFO("round " << round);
    CHECK(got == expected);
    CHECK(payloads);
  }
}

TEST_CASE("sort_by_prefix orders as std::sort by prefix, then by the tie-break") {
  std::mt19937_64 rng(17);
  // Prefixes from a few values in some bytes and constant in others (the
  // radix passes skipped), many ties; below and above the radix sort's
  // threshold.
  for (size_t n : {size_t{0}, size_t{1}, size_t{100}, size_t{255}, size_t{256}, size_t{5000}}) {
    for (const uint64_t mask :
         {~uint64_t{0}, uint64_t{0x0300000000000003}, uint64_t{0x00ff00ff00000000}, uint64_t{0}}) {
      // (prefix, tie-break, payload): the payload must travel with its item.
      struct Item {
        uint64_t prefix = 0;
        uint32_t tie = 0;
        uint32_t payload = 0;
      };
      std::vector<Item> items(n);
      for (size_t i = 0; i < n; ++i) {
        const uint64_t prefix = (rng() & mask) | 0x4000000000000040;
        items[i] = {prefix, static_cast<uint32_t>(rng() % 7), static_cast<uint32_t>(i)};
      }
      std::vector<Item> expected = items;
      const auto by_tie = [](const Item& a, const Item& b) { return a.tie < b.tie; };
      std::sort(expected.begin(), expected.end(), [&](const Item& a, const Item& b) {
        return a.prefix != b.prefix ? a.prefix < b.prefix : by_tie(a, b);
      });
      const std::vector<Item> original = items;
      sort_by_prefix(
          &items, [](const Item& item) { return item.prefix; }, by_tie);
      INFO("n " << n << " mask " << mask);
      bool same_order = true, payloads = true;
      for (size_t i = 0; i < n; ++i) {
        same_order =
            same_order && items[i].prefix == expected[i].prefix && items[i].tie == expected[i].tie;
        const Item& from = original[items[i].payload];
        payloads = payloads && from.prefix == items[i].prefix && from.tie == items[i].tie;
      }
      CHECK(same_order);
      CHECK(payloads);
    }
  }
}

TEST_CASE("order_prefix orders keys that differ in their first 8 bytes") {
  CHECK(order_prefix("") == 0);
  CHECK(order_prefix("a") < order_prefix("b"));
  CHECK(order_prefix("a") < order_prefix("ab"));
  CHECK(order_prefix("abcdefgh") < order_prefix("abcdefgi"));
  CHECK(order_prefix("abcdefghX") == order_prefix("abcdefghY"));
  CHECK(order_prefix("\x7f") < order_prefix("\x80"));
}

}  // namespace
}  // namespace scry
