// Varint (LEB128) and fixed-width little-endian helpers, append style.
//
// A varint stores 7 bits a byte, least significant group first, with the
// high bit set on every byte but the last: 0..127 take one byte, a uint32
// at most 5, a uint64 at most 10.
//
// The get_* functions decode from [p, limit) and return the position after
// the value, or nullptr when the input ends early or is malformed (so a
// corrupted index is reported, never read past). They never throw.
// Malformed means longer than 5 bytes (uint32) or 10 bytes (uint64), or a
// value that does not fit the type; padded encodings such as 80 00 for 0
// are accepted.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace scry {

namespace varint_detail {
// Appends the varint of v a byte at a time: push_back inlines, where an
// append(buf, n) per value is an out-of-line call (about 1.5x slower in
// codec_bench).
template <typename UInt>
inline void append(std::string* dst, UInt v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>(static_cast<uint8_t>(v) | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}
}  // namespace varint_detail

// Inline: the index builder appends two or three a token.
inline void put_varint32(std::string* dst, uint32_t v) { varint_detail::append(dst, v); }
inline void put_varint64(std::string* dst, uint64_t v) { varint_detail::append(dst, v); }
// Writes the varint of v at dst and returns the position after it: the
// same bytes as put_varint64(). REQUIRES: room for 10 bytes at dst.
inline char* encode_varint64(char* dst, uint64_t v) {
  while (v >= 0x80) {
    *dst++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *dst++ = static_cast<char>(v);
  return dst;
}
void put_fixed32(std::string* dst, uint32_t v);
void put_fixed64(std::string* dst, uint64_t v);
// A varint length followed by the bytes.
void put_length_prefixed(std::string* dst, std::string_view bytes);

// Number of bytes put_varint64(v) appends.
int varint_length(uint64_t v);

// Decode a varint of [p, limit) into *v and return the position after it;
// nullptr when it is malformed or runs past `limit`. A one-byte varint (the
// most common: small gaps and counts) is decoded inline; longer ones by
// the out-of-line get_varint32_long / get_varint64_long.
const uint8_t* get_varint32_long(const uint8_t* p, const uint8_t* limit, uint32_t* v);
const uint8_t* get_varint64_long(const uint8_t* p, const uint8_t* limit, uint64_t* v);
inline const uint8_t* get_varint32(const uint8_t* p, const uint8_t* limit, uint32_t* v) {
  if (p < limit && *p < 0x80) {
    *v = *p;
    return p + 1;
  }
  return get_varint32_long(p, limit, v);
}
inline const uint8_t* get_varint64(const uint8_t* p, const uint8_t* limit, uint64_t* v) {
  if (p < limit && *p < 0x80) {
    *v = *p;
    return p + 1;
  }
  return get_varint64_long(p, limit, v);
}
// A length varint, then that many bytes (put_length_prefixed), into *out;
// nullptr when malformed or past `limit`. Inline: dictionary lookups and
// document metadata read one per key or field.
inline const uint8_t* get_length_prefixed(const uint8_t* p, const uint8_t* limit,
                                          std::string_view* out) {
  uint64_t length = 0;
  p = get_varint64(p, limit, &length);
  if (p == nullptr || length > static_cast<uint64_t>(limit - p)) return nullptr;
  *out = std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(length));
  return p + length;
}

// Skips `n` varints of [p, limit) (counting their last bytes, those with
// the high bit clear, eight bytes at a time) and returns the position after
// the n-th; nullptr when fewer than n end before `limit`. Lengths are not
// checked: it finds where a well-formed sequence's n-th value ends.
const uint8_t* skip_varints(const uint8_t* p, const uint8_t* limit, uint64_t n);

// Little-endian fixed-width reads. REQUIRES: 4 (or 8) readable bytes at p.
inline uint32_t decode_fixed32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;  // x86-64 and every supported target are little-endian.
}
inline uint64_t decode_fixed64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace scry
