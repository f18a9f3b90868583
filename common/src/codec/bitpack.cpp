#include "scry/codec/bitpack.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace scry {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the payload words are little-endian and are copied as native words");

constexpr uint32_t kMaxWidth = 32;
constexpr size_t kLanes = 4;
// A row is kLanes consecutive values (one value of each lane), which is also
// the size of one interleaved group of words in the payload.
constexpr size_t kRows = kBlockSize / kLanes;
constexpr size_t kRowBytes = kLanes * sizeof(uint32_t);

// Four 32-bit lanes handled in lockstep: an SSE2 register where there is
// one, else a plain array. The kernels below are written once against these
// operations. Shift counts are template arguments so that every shift is an
// immediate.
#if defined(__SSE2__)

using Vec = __m128i;

[[gnu::always_inline]] inline Vec load(const void* p) {
  return _mm_loadu_si128(static_cast<const __m128i*>(p));
}
[[gnu::always_inline]] inline void store(void* p, Vec v) {
  _mm_storeu_si128(static_cast<__m128i*>(p), v);
}
[[gnu::always_inline]] inline Vec splat(uint32_t x) { return _mm_set1_epi32(static_cast<int>(x)); }
[[gnu::always_inline]] inline Vec bit_or(Vec a, Vec b) { return _mm_or_si128(a, b); }
[[gnu::always_inline]] inline Vec bit_and(Vec a, Vec b) { return _mm_and_si128(a, b); }
template <int S>
[[gnu::always_inline]] inline Vec shift_left(Vec a) {
  return _mm_slli_epi32(a, S);
}
template <int S>
[[gnu::always_inline]] inline Vec shift_right(Vec a) {
  return _mm_srli_epi32(a, S);
}
[[gnu::always_inline]] inline uint32_t or_lanes(Vec a) {
  a = _mm_or_si128(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(1, 0, 3, 2)));
  a = _mm_or_si128(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(2, 3, 0, 1)));
  return static_cast<uint32_t>(_mm_cvtsi128_si32(a));
}

#else

struct Vec {
  uint32_t lane[kLanes];
};

[[gnu::always_inline]] inline Vec load(const void* p) {
  Vec v;
  std::memcpy(v.lane, p, sizeof v.lane);
  return v;
}
[[gnu::always_inline]] inline void store(void* p, Vec v) { std::memcpy(p, v.lane, sizeof v.lane); }
[[gnu::always_inline]] inline Vec splat(uint32_t x) { return Vec{{x, x, x, x}}; }
template <typename Op>
[[gnu::always_inline]] inline Vec lanewise(Vec a, Op op) {
  for (uint32_t& x : a.lane) x = op(x);
  return a;
}
[[gnu::always_inline]] inline Vec bit_or(Vec a, Vec b) {
  for (size_t l = 0; l < kLanes; ++l) a.lane[l] |= b.lane[l];
  return a;
}
[[gnu::always_inline]] inline Vec bit_and(Vec a, Vec b) {
  for (size_t l = 0; l < kLanes; ++l) a.lane[l] &= b.lane[l];
  return a;
}
template <int S>
[[gnu::always_inline]] inline Vec shift_left(Vec a) {
  return lanewise(a, [](uint32_t x) { return x << S; });
}
template <int S>
[[gnu::always_inline]] inline Vec shift_right(Vec a) {
  return lanewise(a, [](uint32_t x) { return x >> S; });
}
[[gnu::always_inline]] inline uint32_t or_lanes(Vec a) {
  return a.lane[0] | a.lane[1] | a.lane[2] | a.lane[3];
}

#endif

// Row K of a block of width B starts at bit kShift of lane word kWord:
// the payload holds, for each lane, the 32 values of that lane packed
// LSB-first, and word j of every lane sits in the 16-byte group j.
template <uint32_t B, size_t K>
struct RowPosition {
  static constexpr size_t kWord = K * B / 32;
  static constexpr int kShift = static_cast<int>(K * B % 32);
  static constexpr int kEnd = kShift + static_cast<int>(B);  // > 32 when the row spills over.
};

// ORs row K into `acc`, the lane words being filled, and stores them to
// their group of out once they are full; `acc` then keeps the bits that
// spilled over into the next words.
template <uint32_t B, size_t K>
[[gnu::always_inline]] inline void pack_row(const uint32_t* in, uint8_t* out, Vec& acc) {
  using Pos = RowPosition<B, K>;
  const Vec v = load(in + K * kLanes);
  if constexpr (Pos::kShift == 0) {
    acc = v;
  } else {
    acc = bit_or(acc, shift_left<Pos::kShift>(v));
  }
  if constexpr (Pos::kEnd >= 32) {
    store(out + Pos::kWord * kRowBytes, acc);
    if constexpr (Pos::kEnd > 32) acc = shift_right<32 - Pos::kShift>(v);
  }
}

// Writes row K to out. `word` holds the lane words row K starts in and moves
// on to the next group of in when the row reaches the end of those words.
template <uint32_t B, size_t K>
[[gnu::always_inline]] inline void unpack_row(const uint8_t* in, uint32_t* out, Vec& word,
                                              Vec mask) {
  using Pos = RowPosition<B, K>;
  Vec v = shift_right<Pos::kShift>(word);
  if constexpr (Pos::kEnd >= 32 && K + 1 < kRows) {
    word = load(in + (Pos::kWord + 1) * kRowBytes);
    if constexpr (Pos::kEnd > 32) v = bit_or(v, shift_left<32 - Pos::kShift>(word));
  }
  if constexpr (Pos::kEnd != 32) v = bit_and(v, mask);
  store(out + K * kLanes, v);
}

// Packs in[0, kBlockSize), every value below 2^B, into the 16*B payload bytes at out.
template <uint32_t B>
void pack(const uint32_t* in, uint8_t* out) {
  if constexpr (B == 0) {
    return;
  } else if constexpr (B == 32) {
    std::memcpy(out, in, kBlockSize * sizeof(uint32_t));
  } else {
    Vec acc = splat(0);
    [&]<size_t... K>(std::index_sequence<K...>) { (pack_row<B, K>(in, out, acc), ...); }
    (std::make_index_sequence<kRows>{});
  }
}

// Unpacks the 16*B payload bytes at in into out[0, kBlockSize).
template <uint32_t B>
void unpack(const uint8_t* in, uint32_t* out) {
  if constexpr (B == 0) {
    std::fill_n(out, kBlockSize, 0u);
  } else if constexpr (B == 32) {
    std::memcpy(out, in, kBlockSize * sizeof(uint32_t));
  } else {
    const Vec mask = splat((1u << B) - 1);
    Vec word = load(in);
    [&]<size_t... K>(std::index_sequence<K...>) { (unpack_row<B, K>(in, out, word, mask), ...); }
    (std::make_index_sequence<kRows>{});
  }
}

using PackFn = void (*)(const uint32_t*, uint8_t*);
using UnpackFn = void (*)(const uint8_t*, uint32_t*);

template <size_t... B>
constexpr std::array<PackFn, sizeof...(B)> make_packers(std::index_sequence<B...>) {
  return {&pack<B>...};
}
template <size_t... B>
constexpr std::array<UnpackFn, sizeof...(B)> make_unpackers(std::index_sequence<B...>) {
  return {&unpack<B>...};
}

constexpr auto kPackers = make_packers(std::make_index_sequence<kMaxWidth + 1>{});
constexpr auto kUnpackers = make_unpackers(std::make_index_sequence<kMaxWidth + 1>{});

// max_bits of one whole block, a row at a time.
uint32_t block_max_bits(const uint32_t* values) {
  Vec acc = splat(0);
  for (size_t k = 0; k < kRows; ++k) acc = bit_or(acc, load(values + k * kLanes));
  return static_cast<uint32_t>(std::bit_width(or_lanes(acc)));
}

}  // namespace

uint32_t max_bits(const uint32_t* values, size_t n) {
  uint32_t acc = 0;
  for (size_t i = 0; i < n; ++i) acc |= values[i];
  return static_cast<uint32_t>(std::bit_width(acc));
}

void bitpack_encode(const uint32_t* values, std::string* dst) {
  const uint32_t bits = block_max_bits(values);
  const size_t start = dst->size();
  dst->resize(start + bitpack_size(bits));
  auto* out = reinterpret_cast<uint8_t*>(dst->data() + start);
  out[0] = static_cast<uint8_t>(bits);
  kPackers[bits](values, out + 1);
}

const uint8_t* bitpack_decode(const uint8_t* p, const uint8_t* limit, uint32_t* out) {
  if (p >= limit) return nullptr;
  const uint32_t bits = *p;
  if (bits > kMaxWidth || bitpack_size(bits) > static_cast<size_t>(limit - p)) return nullptr;
  kUnpackers[bits](p + 1, out);
  return p + bitpack_size(bits);
}

}  // namespace scry
