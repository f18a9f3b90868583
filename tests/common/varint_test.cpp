#include "scry/codec/varint.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace scry {
namespace {

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

std::string encode32(uint32_t v) {
  std::string s;
  put_varint32(&s, v);
  return s;
}

std::string encode64(uint64_t v) {
  std::string s;
  put_varint64(&s, v);
  return s;
}

// Decodes exactly the bytes of `in` (a heap copy of just those bytes, so a
// read past the end is caught by sanitizers); true when the decoder succeeded
// and consumed all of them.
bool decode32(const std::vector<uint8_t>& in, uint32_t* v) {
  const std::vector<uint8_t> copy = in;
  const uint8_t* end = copy.data() + copy.size();
  const uint8_t* got = get_varint32(copy.data(), end, v);
  return got != nullptr && got == end;
}

bool decode64(const std::vector<uint8_t>& in, uint64_t* v) {
  const std::vector<uint8_t> copy = in;
  const uint8_t* end = copy.data() + copy.size();
  const uint8_t* got = get_varint64(copy.data(), end, v);
  return got != nullptr && got == end;
}

// A random value of a random bit width, so every encoded length shows up.
uint32_t random_value(std::mt19937& rng) { return static_cast<uint32_t>(rng()) >> (rng() % 32); }

// Values around every 7-bit group boundary, where the encoded length changes.
std::vector<uint64_t> boundary_values() {
  std::vector<uint64_t> values = {0, std::numeric_limits<uint64_t>::max()};
  for (unsigned bits = 7; bits < 64; bits += 7) {
    const uint64_t edge = uint64_t{1} << bits;
    values.insert(values.end(), {edge - 1, edge, edge + 1});
  }
  return values;
}

}  // namespace

TEST_CASE("varint32 encodes the pinned LEB128 bytes", "[varint]") {
  using Bytes = std::vector<uint8_t>;
  CHECK(bytes_of(encode32(0)) == Bytes{0x00});
  CHECK(bytes_of(encode32(1)) == Bytes{0x01});
  CHECK(bytes_of(encode32(127)) == Bytes{0x7F});
  CHECK(bytes_of(encode32(128)) == Bytes{0x80, 0x01});
  CHECK(bytes_of(encode32(300)) == Bytes{0xAC, 0x02});
  CHECK(bytes_of(encode32(16384)) == Bytes{0x80, 0x80, 0x01});
  CHECK(bytes_of(encode32(0xFFFFFFFF)) == Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x0F});
}

TEST_CASE("varint64 encodes the pinned LEB128 bytes", "[varint]") {
  using Bytes = std::vector<uint8_t>;
  CHECK(bytes_of(encode64(300)) == Bytes{0xAC, 0x02});
  CHECK(bytes_of(encode64(uint64_t{1} << 32)) == Bytes{0x80, 0x80, 0x80, 0x80, 0x10});
  CHECK(bytes_of(encode64(std::numeric_limits<uint64_t>::max())) ==
        Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01});
}

TEST_CASE("varint32 and varint64 agree on 32-bit values", "[varint]") {
  std::mt19937 rng(7);
  for (int i = 0; i < 1000; ++i) {
    const uint32_t v = random_value(rng);
    CHECK(encode32(v) == encode64(v));
  }
}

TEST_CASE("varint_length is the size put_varint64 appends", "[varint]") {
  for (const uint64_t v : boundary_values()) {
    INFO("v = " << v);
    CHECK(static_cast<size_t>(varint_length(v)) == encode64(v).size());
  }
  CHECK(varint_length(0) == 1);
  CHECK(varint_length(127) == 1);
  CHECK(varint_length(128) == 2);
  CHECK(varint_length(0xFFFFFFFF) == 5);
  CHECK(varint_length(std::numeric_limits<uint64_t>::max()) == 10);
}

TEST_CASE("varints round-trip at the group boundaries", "[varint]") {
  for (const uint64_t v : boundary_values()) {
    INFO("v = " << v);
    uint64_t got64 = 0;
    REQUIRE(decode64(bytes_of(encode64(v)), &got64));
    CHECK(got64 == v);
    if (v <= std::numeric_limits<uint32_t>::max()) {
      uint32_t got32 = 0;
      REQUIRE(decode32(bytes_of(encode32(static_cast<uint32_t>(v))), &got32));
      CHECK(got32 == v);
    }
  }
}

TEST_CASE("varint sequences round-trip on random input", "[varint]") {
  std::mt19937 rng(20240611);
  std::mt19937_64 rng64(20240611);
  std::vector<uint32_t> values32(5000);
  std::vector<uint64_t> values64(5000);
  std::string encoded;
  for (size_t i = 0; i < values32.size(); ++i) {
    values32[i] = random_value(rng);
    values64[i] = rng64() >> (rng64() % 64);  // Every length again.
    put_varint32(&encoded, values32[i]);
    put_varint64(&encoded, values64[i]);
  }
  const auto* p = reinterpret_cast<const uint8_t*>(encoded.data());
  const uint8_t* limit = p + encoded.size();
  for (size_t i = 0; i < values32.size(); ++i) {
    uint32_t v32 = 0;
    uint64_t v64 = 0;
    p = get_varint32(p, limit, &v32);
    REQUIRE(p != nullptr);
    p = get_varint64(p, limit, &v64);
    REQUIRE(p != nullptr);
    REQUIRE(v32 == values32[i]);
    REQUIRE(v64 == values64[i]);
  }
  CHECK(p == limit);
}

TEST_CASE("skip_varints lands where decoding n varints one by one does", "[varint]") {
  std::mt19937_64 rng(20261202);
  for (int round = 0; round < 300; ++round) {
    // Mostly one-byte values (positions gaps), some of every length.
    const size_t count = 1 + rng() % 200;
    std::string encoded;
    for (size_t i = 0; i < count; ++i) {
      put_varint64(&encoded, rng() % 4 != 0 ? rng() % 128 : rng() >> (rng() % 64));
    }
    // A heap copy of just these bytes, so a read past the end is caught.
    const std::vector<uint8_t> bytes = bytes_of(encoded);
    const uint8_t* begin = bytes.data();
    const uint8_t* limit = begin + bytes.size();
    const size_t start = rng() % count;  // Varints skipped first.
    const uint8_t* from = begin;
    for (size_t i = 0; i < start; ++i) from = skip_varints(from, limit, 1);
    REQUIRE(from != nullptr);
    const uint8_t* naive = from;
    for (uint64_t n = 0; n <= count - start; ++n) {
      INFO("round " << round << ", from varint " << start << ", skip " << n);
      REQUIRE(skip_varints(from, limit, n) == naive);
      uint64_t v = 0;
      if (n < count - start) naive = get_varint64(naive, limit, &v);
    }
    CHECK(naive == limit);
    CHECK(skip_varints(from, limit, count - start + 1) == nullptr);
    CHECK(skip_varints(begin, limit - 1, count) == nullptr);
  }
}

TEST_CASE("truncated varints decode to nullptr", "[varint]") {
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  CHECK(get_varint32(nullptr, nullptr, &v32) == nullptr);
  CHECK(get_varint64(nullptr, nullptr, &v64) == nullptr);
  for (const uint64_t v : boundary_values()) {
    const std::vector<uint8_t> full = bytes_of(encode64(v));
    for (size_t n = 0; n < full.size(); ++n) {
      INFO("v = " << v << ", first " << n << " bytes");
      const std::vector<uint8_t> prefix(full.begin(), full.begin() + static_cast<ptrdiff_t>(n));
      CHECK_FALSE(decode64(prefix, &v64));
      CHECK_FALSE(decode32(prefix, &v32));
    }
  }
}

TEST_CASE("overlong and overflowing varints decode to nullptr", "[varint]") {
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  // Largest values: accepted.
  REQUIRE(decode32({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, &v32));
  CHECK(v32 == 0xFFFFFFFF);
  REQUIRE(decode64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, &v64));
  CHECK(v64 == std::numeric_limits<uint64_t>::max());
  // Bit 32 (or 64) set: overflow.
  CHECK_FALSE(decode32({0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, &v32));
  CHECK_FALSE(decode32({0x80, 0x80, 0x80, 0x80, 0x10}, &v32));
  CHECK_FALSE(decode64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}, &v64));
  // A continuation bit on the last allowed byte: longer than 5 (or 10) bytes.
  CHECK_FALSE(decode32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &v32));
  CHECK_FALSE(decode64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, &v64));
  // Valid as a uint64 but too large for a uint32.
  CHECK_FALSE(decode32(bytes_of(encode64(uint64_t{1} << 32)), &v32));
}

TEST_CASE("padded varints decode to their value", "[varint]") {
  uint32_t v32 = 1;
  REQUIRE(decode32({0x80, 0x00}, &v32));
  CHECK(v32 == 0);
  REQUIRE(decode32({0xAC, 0x82, 0x80, 0x80, 0x00}, &v32));
  CHECK(v32 == 300);
}

TEST_CASE("fixed32 and fixed64 are little-endian", "[varint]") {
  using Bytes = std::vector<uint8_t>;
  std::string s;
  put_fixed32(&s, 0x01020304);
  CHECK(bytes_of(s) == Bytes{0x04, 0x03, 0x02, 0x01});
  put_fixed64(&s, 0x1122334455667788);
  CHECK(bytes_of(s) ==
        Bytes{0x04, 0x03, 0x02, 0x01, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11});
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  CHECK(decode_fixed32(p) == 0x01020304);
  CHECK(decode_fixed64(p + 4) == 0x1122334455667788);
}

TEST_CASE("length-prefixed strings", "[varint]") {
  using Bytes = std::vector<uint8_t>;
  std::string s;
  put_length_prefixed(&s, "abc");
  put_length_prefixed(&s, "");
  const std::string big(300, 'x');
  put_length_prefixed(&s, big);
  const Bytes head = {0x03, 'a', 'b', 'c', 0x00, 0xAC, 0x02};
  REQUIRE(s.size() == head.size() + big.size());
  CHECK(Bytes(s.begin(), s.begin() + static_cast<ptrdiff_t>(head.size())) == head);

  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const uint8_t* limit = p + s.size();
  std::string_view out;
  p = get_length_prefixed(p, limit, &out);
  REQUIRE(p != nullptr);
  CHECK(out == "abc");
  p = get_length_prefixed(p, limit, &out);
  REQUIRE(p != nullptr);
  CHECK(out.empty());
  p = get_length_prefixed(p, limit, &out);
  REQUIRE(p != nullptr);
  CHECK(out == big);
  CHECK(p == limit);
}

TEST_CASE("truncated length-prefixed strings decode to nullptr", "[varint]") {
  std::string s;
  put_length_prefixed(&s, std::string(200, 'y'));  // Two-byte length.
  for (size_t n = 0; n < s.size(); ++n) {
    INFO("first " << n << " bytes");
    const std::vector<uint8_t> prefix(s.begin(), s.begin() + static_cast<ptrdiff_t>(n));
    std::string_view out;
    CHECK(get_length_prefixed(prefix.data(), prefix.data() + prefix.size(), &out) == nullptr);
  }
  // A length far beyond the input (and beyond any pointer range).
  const std::vector<uint8_t> huge = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x01, 'z'};
  std::string_view out;
  CHECK(get_length_prefixed(huge.data(), huge.data() + huge.size(), &out) == nullptr);
}

}  // namespace scry
