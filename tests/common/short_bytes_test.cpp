// bytes_equal (util/short_bytes.h) against memcmp on random byte ranges.
#include "util/short_bytes.h"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

namespace scry {
namespace {

TEST_CASE("bytes_equal agrees with memcmp on every length and differing byte") {
  std::mt19937 rng(14);
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t n = 0; n <= 40; ++n) {
    for (int round = 0; round < 300; ++round) {
      // Heap copies of exactly n bytes: a read past either end is caught by
      // the sanitizers' build.
      auto a = std::make_unique<char[]>(n + 1);
      auto b = std::make_unique<char[]>(n + 1);
      for (size_t i = 0; i < n; ++i) a[i] = b[i] = static_cast<char>(byte(rng));
      // Most rounds change one byte of b (a random one, or one at either
      // end), some change none; a change may leave it equal (same byte).
      if (n > 0 && round % 4 != 0) {
        const size_t at = round % 4 == 1   ? 0
                          : round % 4 == 2 ? n - 1
                                           : static_cast<size_t>(rng() % n);
        b[at] = static_cast<char>(byte(rng));
      }
      const bool expected = std::memcmp(a.get(), b.get(), n) == 0;
      INFO("n = " << n << ", round " << round);
      CHECK(bytes_equal(a.get(), b.get(), n) == expected);
      CHECK(bytes_equal(b.get(), a.get(), n) == expected);
    }
  }
}

TEST_CASE("copy_bytes copies exactly the bytes memcpy copies") {
  std::mt19937 rng(15);
  std::uniform_int_distribution<int> byte(0, 255);
  constexpr size_t kGuard = 24;
  for (size_t n = 0; n <= 70; ++n) {
    for (int round = 0; round < 50; ++round) {
      auto src = std::make_unique<char[]>(n + 1);
      for (size_t i = 0; i < n; ++i) src[i] = static_cast<char>(byte(rng));
      // dst[kGuard, kGuard + n) receives the copy; the guards around it must
      // keep their bytes.
      std::vector<char> dst(n + 2 * kGuard);
      for (char& c : dst) c = static_cast<char>(byte(rng));
      std::vector<char> expected = dst;
      std::memcpy(expected.data() + kGuard, src.get(), n);
      copy_bytes(dst.data() + kGuard, src.get(), n);
      INFO("n = " << n << ", round " << round);
      CHECK(dst == expected);
    }
  }
}

}  // namespace
}  // namespace scry
