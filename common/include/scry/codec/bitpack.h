// Bit-packing of blocks of 128 unsigned 32-bit integers: the postings codec.
//
// A block is stored as one byte `b` (the bit width: the number of bits of
// the largest value, 0..32) followed by 128*b/8 = 16*b bytes of payload.
// The payload is laid out as 32-bit little-endian words in 4 interleaved
// lanes (value i sits in lane i % 4), the layout of Lemire's SIMD-BP128, so
// the decoder is a straight-line loop the compiler vectorises; every width
// has its own unrolled kernel.
//
// Why this layout and not varint or streamvbyte: see docs/CODEC.md and
// bench/micro/codec_bench.cpp.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace scry {

inline constexpr size_t kBlockSize = 128;

// Number of bits needed for the largest of `n` values (0 when all are 0).
uint32_t max_bits(const uint32_t* values, size_t n);

// Appends the packed block (width byte plus payload) of exactly kBlockSize values.
void bitpack_encode(const uint32_t* values, std::string* dst);

// Bytes taken by a packed block of width `bits`, the width byte included.
inline size_t bitpack_size(uint32_t bits) { return 1 + 16 * static_cast<size_t>(bits); }

// Decodes one block into out[0..kBlockSize). Returns the position after the
// block, or nullptr when [p, limit) is too short or the width byte exceeds 32.
const uint8_t* bitpack_decode(const uint8_t* p, const uint8_t* limit, uint32_t* out);

}  // namespace scry
