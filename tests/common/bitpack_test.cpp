#include "scry/codec/bitpack.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace scry {
namespace {

using Block = std::array<uint32_t, kBlockSize>;
using Bytes = std::vector<uint8_t>;

// Where bit t of value i lives in the payload, straight from the documented
// layout: value i is entry r = i / 4 of lane l = i % 4; a lane is its values
// packed LSB-first into 32-bit words, so the bit is bit (r*b + t) % 32 of
// lane word j = (r*b + t) / 32; lane word j is payload word 4*j + l, stored
// little-endian.
struct BitAddress {
  size_t byte;
  unsigned bit;
};

BitAddress locate(size_t i, uint32_t width, uint32_t t) {
  const size_t lane = i % 4;
  const size_t lane_bit = (i / 4) * width + t;
  const size_t word = 4 * (lane_bit / 32) + lane;
  const size_t bit_in_word = lane_bit % 32;
  return {4 * word + bit_in_word / 8, static_cast<unsigned>(bit_in_word % 8)};
}

// Reference encoder, one bit at a time: the width byte, then the payload.
Bytes reference_encode(const Block& values) {
  uint32_t width = 0;
  for (const uint32_t v : values) {
    while (width < 32 && (v >> width) != 0) ++width;
  }
  Bytes out(1 + 16 * size_t{width}, 0);
  out[0] = static_cast<uint8_t>(width);
  for (size_t i = 0; i < kBlockSize; ++i) {
    for (uint32_t t = 0; t < width; ++t) {
      if ((values[i] >> t) & 1u) {
        const BitAddress a = locate(i, width, t);
        out[1 + a.byte] = static_cast<uint8_t>(out[1 + a.byte] | (1u << a.bit));
      }
    }
  }
  return out;
}

// Reference decoder of a payload of the given width, one bit at a time.
Block reference_decode(const Bytes& payload, uint32_t width) {
  Block out{};
  for (size_t i = 0; i < kBlockSize; ++i) {
    for (uint32_t t = 0; t < width; ++t) {
      const BitAddress a = locate(i, width, t);
      if ((uint32_t{payload[a.byte]} >> a.bit) & 1u) out[i] |= uint32_t{1} << t;
    }
  }
  return out;
}

Bytes encode(const Block& values) {
  std::string s;
  bitpack_encode(values.data(), &s);
  return {s.begin(), s.end()};
}

// Decodes a heap buffer holding exactly `in`, so that a read past the end is
// caught by sanitizers. Returns the bytes consumed, or -1 for nullptr.
ptrdiff_t decode(const Bytes& in, Block* out) {
  const Bytes copy = in;
  const uint8_t* end = bitpack_decode(copy.data(), copy.data() + copy.size(), out->data());
  return end == nullptr ? -1 : end - copy.data();
}

// Random values below 2^width, with one value exactly 2^width - 1 so the
// block's width is `width`.
Block random_block(std::mt19937& rng, uint32_t width) {
  Block values{};
  if (width == 0) return values;
  const uint32_t mask = width == 32 ? 0xFFFFFFFFu : (1u << width) - 1;
  for (uint32_t& v : values) v = static_cast<uint32_t>(rng()) & mask;
  values[rng() % kBlockSize] = mask;
  return values;
}

Bytes payload_of(const Bytes& block) { return {block.begin() + 1, block.end()}; }

}  // namespace

TEST_CASE("max_bits is the width of the largest value", "[bitpack]") {
  const std::vector<uint32_t> values = {0, 5, 3, 0x80000000u, 1};
  CHECK(max_bits(values.data(), 0) == 0);
  CHECK(max_bits(values.data(), 1) == 0);
  CHECK(max_bits(values.data(), 2) == 3);
  CHECK(max_bits(values.data(), 3) == 3);
  CHECK(max_bits(values.data(), 4) == 32);
  const Block zeros{};
  CHECK(max_bits(zeros.data(), kBlockSize) == 0);
  for (uint32_t width = 1; width <= 32; ++width) {
    Block values_of_width{};
    values_of_width[77] = uint32_t{1} << (width - 1);
    CHECK(max_bits(values_of_width.data(), kBlockSize) == width);
  }
}

TEST_CASE("bitpack_size counts the width byte and 16 bytes per bit", "[bitpack]") {
  CHECK(bitpack_size(0) == 1);
  CHECK(bitpack_size(1) == 17);
  CHECK(bitpack_size(32) == 513);
}

TEST_CASE("bitpack encodes the pinned bytes", "[bitpack]") {
  SECTION("all zeros: the width byte alone") { CHECK(encode(Block{}) == Bytes{0x00}); }
  SECTION("width 1: values 0, 5 and 127 set") {
    Block values{};
    values[0] = 1;                                   // Lane 0, lane bit 0: payload word 0, bit 0.
    values[5] = 1;                                   // Lane 1, lane bit 1: payload word 1, bit 1.
    values[127] = 1;                                 // Lane 3, lane bit 31: payload word 3, bit 31.
    const Bytes expected = {0x01,                    // Width.
                            0x01, 0x00, 0x00, 0x00,  // Word 0 (lane 0).
                            0x02, 0x00, 0x00, 0x00,  // Word 1 (lane 1).
                            0x00, 0x00, 0x00, 0x00,  // Word 2 (lane 2).
                            0x00, 0x00, 0x00, 0x80};  // Word 3 (lane 3).
    CHECK(encode(values) == expected);
  }
  SECTION("width 5: a value straddling two words of its lane") {
    Block values{};
    values[24] = 31;  // Lane 0, lane bits 30..34: word 0 bits 30-31, word 4 bits 0-2.
    Bytes expected(1 + 80, 0x00);
    expected[0] = 0x05;
    expected[1 + 3] = 0xC0;
    expected[1 + 16] = 0x07;
    CHECK(encode(values) == expected);
  }
  SECTION("width 32: the values in order, little-endian") {
    Block values{};
    for (size_t i = 0; i < kBlockSize; ++i) values[i] = 0x01000000u * static_cast<uint32_t>(i + 1);
    values[3] = 0xFFFFFFFF;
    const Bytes got = encode(values);
    REQUIRE(got.size() == 513);
    CHECK(got[0] == 32);
    for (size_t i = 0; i < kBlockSize; ++i) {
      const uint32_t word =
          static_cast<uint32_t>(got[1 + 4 * i]) | static_cast<uint32_t>(got[2 + 4 * i]) << 8 |
          static_cast<uint32_t>(got[3 + 4 * i]) << 16 | static_cast<uint32_t>(got[4 + 4 * i]) << 24;
      REQUIRE(word == values[i]);
    }
  }
}

TEST_CASE("bitpack matches the reference encoder and round-trips at every width", "[bitpack]") {
  std::mt19937 rng(12345);
  for (uint32_t width = 0; width <= 32; ++width) {
    for (int rep = 0; rep < 20; ++rep) {
      INFO("width " << width << ", block " << rep);
      const Block values = random_block(rng, width);
      const Bytes encoded = encode(values);
      REQUIRE(encoded.size() == bitpack_size(width));
      REQUIRE(encoded[0] == width);
      REQUIRE(encoded == reference_encode(values));
      Block decoded{};
      REQUIRE(decode(encoded, &decoded) == static_cast<ptrdiff_t>(encoded.size()));
      REQUIRE(decoded == values);
    }
  }
}

TEST_CASE("bitpack decoder matches the reference decoder on arbitrary payloads", "[bitpack]") {
  std::mt19937 rng(777);
  for (uint32_t width = 0; width <= 32; ++width) {
    for (int rep = 0; rep < 20; ++rep) {
      INFO("width " << width << ", payload " << rep);
      Bytes block(bitpack_size(width));
      block[0] = static_cast<uint8_t>(width);
      for (size_t i = 1; i < block.size(); ++i) block[i] = static_cast<uint8_t>(rng());
      Block decoded{};
      REQUIRE(decode(block, &decoded) == static_cast<ptrdiff_t>(block.size()));
      REQUIRE(decoded == reference_decode(payload_of(block), width));
    }
  }
}

TEST_CASE("bitpack blocks of mixed widths decode in sequence", "[bitpack]") {
  std::mt19937 rng(99);
  std::vector<Block> blocks;
  std::string encoded = "prefix";
  for (int i = 0; i < 200; ++i) {
    blocks.push_back(random_block(rng, static_cast<uint32_t>(rng() % 33)));
    bitpack_encode(blocks.back().data(), &encoded);
  }
  REQUIRE(encoded.substr(0, 6) == "prefix");
  const auto* p = reinterpret_cast<const uint8_t*>(encoded.data()) + 6;
  const uint8_t* limit = reinterpret_cast<const uint8_t*>(encoded.data()) + encoded.size();
  for (const Block& expected : blocks) {
    Block decoded{};
    p = bitpack_decode(p, limit, decoded.data());
    REQUIRE(p != nullptr);
    REQUIRE(decoded == expected);
  }
  CHECK(p == limit);
}

TEST_CASE("truncated bitpack blocks decode to nullptr", "[bitpack]") {
  std::mt19937 rng(5);
  for (uint32_t width = 0; width <= 32; ++width) {
    const Bytes full = encode(random_block(rng, width));
    for (size_t n = 0; n < full.size(); ++n) {
      INFO("width " << width << ", first " << n << " bytes");
      Block decoded{};
      REQUIRE(decode(Bytes(full.begin(), full.begin() + static_cast<ptrdiff_t>(n)), &decoded) ==
              -1);
    }
  }
}

TEST_CASE("bitpack width bytes above 32 decode to nullptr", "[bitpack]") {
  for (uint32_t width = 33; width <= 255; ++width) {
    INFO("width byte " << width);
    Bytes block(1 + 16 * 255, 0x00);  // Long enough for any width byte.
    block[0] = static_cast<uint8_t>(width);
    Block decoded{};
    CHECK(decode(block, &decoded) == -1);
  }
}

}  // namespace scry
