// sort_by_key (util/prefix_sort.h) against std::sort of the keys.
#include "util/prefix_sort.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
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
