#include "scry/codec/varint.h"

#include <bit>

namespace scry {
namespace {

constexpr uint8_t kMore = 0x80;  // Continuation bit: another byte follows.

constexpr int kMaxVarint32Bytes = 5;
constexpr int kMaxVarint64Bytes = 10;

// Decodes a varint of at most kMaxBytes bytes from [p, limit). The last
// byte may only carry the bits that still fit in UInt (so a 5th byte of a
// uint32 is at most 0x0F, a 10th byte of a uint64 at most 0x01), which
// rejects both overflow and a continuation bit past the maximum length.
// Padded encodings (e.g. 80 00 for 0) are accepted.
template <typename UInt, int kMaxBytes>
const uint8_t* decode_varint(const uint8_t* p, const uint8_t* limit, UInt* v) {
  constexpr unsigned kLastShift = 7 * (kMaxBytes - 1);
  constexpr unsigned kLastMax = (1u << (8 * sizeof(UInt) - kLastShift)) - 1;
  UInt result = 0;
  for (unsigned shift = 0; shift < kLastShift; shift += 7) {
    if (p >= limit) return nullptr;
    const uint8_t byte = *p++;
    result |= static_cast<UInt>(byte & ~kMore) << shift;
    if (byte < kMore) {
      *v = result;
      return p;
    }
  }
  if (p >= limit || *p > kLastMax) return nullptr;
  *v = result | static_cast<UInt>(static_cast<UInt>(*p) << kLastShift);
  return p + 1;
}

}  // namespace

void put_fixed32(std::string* dst, uint32_t v) {
  char buf[sizeof v];
  std::memcpy(buf, &v, sizeof v);  // Little-endian target, see decode_fixed32.
  dst->append(buf, sizeof buf);
}

void put_fixed64(std::string* dst, uint64_t v) {
  char buf[sizeof v];
  std::memcpy(buf, &v, sizeof v);
  dst->append(buf, sizeof buf);
}

void put_length_prefixed(std::string* dst, std::string_view bytes) {
  put_varint64(dst, bytes.size());
  dst->append(bytes);
}

int varint_length(uint64_t v) { return static_cast<int>((std::bit_width(v | 1) + 6) / 7); }

const uint8_t* get_varint32_long(const uint8_t* p, const uint8_t* limit, uint32_t* v) {
  return decode_varint<uint32_t, kMaxVarint32Bytes>(p, limit, v);
}

const uint8_t* get_varint64_long(const uint8_t* p, const uint8_t* limit, uint64_t* v) {
  return decode_varint<uint64_t, kMaxVarint64Bytes>(p, limit, v);
}

const uint8_t* skip_varints(const uint8_t* p, const uint8_t* limit, uint64_t n) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  while (n > 0 && limit - p >= 8) {
    // A byte ends a varint when its high bit is clear.
    const uint64_t ends = ~decode_fixed64(p) & kHighBits;
    // Their number: one bit a byte, summed into the top byte by the
    // multiplication (std::popcount is a call into libgcc on the baseline
    // x86-64, without the popcnt instruction).
    const uint64_t count = ((ends >> 7) * 0x0101010101010101ULL) >> 56;
    if (count < n) {
      n -= count;
      p += 8;
      continue;
    }
    // The n-th end is in this word: drop the n - 1 lowest ends before it.
    uint64_t rest = ends;
    for (uint64_t k = 1; k < n; ++k) rest &= rest - 1;
    return p + std::countr_zero(rest) / 8 + 1;
  }
  for (; n > 0; --n) {
    while (p < limit && (*p & 0x80) != 0) ++p;
    if (p >= limit) return nullptr;
    ++p;
  }
  return p;
}

}  // namespace scry
