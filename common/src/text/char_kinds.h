// How the analyzer sees characters: each code point's kind (letter, mark,
// digit, CJK, the punctuation that joins tokens, or other), and tables and
// scans for the ASCII bytes that most text is made of.
//
// Thread safety: constants and pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace scry::chars {

// What a code point is to the tokenizer.
enum class Kind : uint8_t {
  kOther,        // Splits tokens (punctuation, symbols, spaces, U+FFFD, ...).
  kLetter,       // L*, outside the CJK ranges.
  kMark,         // M*: continues whatever run it follows.
  kDigit,        // N*, outside the CJK ranges.
  kCjk,          // A letter or number in the Han, kana or Hangul ranges.
  kCjkExtender,  // Continues the CJK character before it (halfwidth sound
                 // marks, Hangul medial vowels and final consonants).
  kDot,          // '.' or U+FF0E.
  kComma,        // ',' or U+FF0C.
  kApostrophe,   // '\'', U+2019 or U+FF07.
};

struct Char {
  uint32_t len;  // Bytes in the text; 0 at the end of the text.
  Kind kind;
  bool is_s;  // 's' or 'S' (the possessive suffix).
};

inline constexpr std::array<Kind, 128> kAsciiKind = [] {
  std::array<Kind, 128> kinds{};
  for (int c = 'a'; c <= 'z'; ++c) kinds[static_cast<size_t>(c)] = Kind::kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) kinds[static_cast<size_t>(c)] = Kind::kLetter;
  for (int c = '0'; c <= '9'; ++c) kinds[static_cast<size_t>(c)] = Kind::kDigit;
  kinds['.'] = Kind::kDot;
  kinds[','] = Kind::kComma;
  kinds['\''] = Kind::kApostrophe;
  return kinds;
}();

// An ASCII letter (kLetterByte, with kUpperByte for A-Z) or digit
// (kDigitByte), else 0 (any other byte, and every byte of a multi-byte
// character).
inline constexpr uint8_t kLetterByte = 1;
inline constexpr uint8_t kDigitByte = 2;
inline constexpr uint8_t kUpperByte = 4;
inline constexpr std::array<uint8_t, 256> kAsciiWordByte = [] {
  std::array<uint8_t, 256> bytes{};
  for (size_t b = 0; b < kAsciiKind.size(); ++b) {
    if (kAsciiKind[b] == Kind::kLetter) bytes[b] = kLetterByte;
    if (kAsciiKind[b] == Kind::kDigit) bytes[b] = kDigitByte;
  }
  for (size_t b = 'A'; b <= 'Z'; ++b) bytes[b] |= kUpperByte;
  return bytes;
}();

// An ASCII byte that no token spans or joins across (kOther): after a run
// of ASCII letters and digits, it ends the word whatever comes next.
inline constexpr std::array<bool, 256> kAsciiEndsWord = [] {
  std::array<bool, 256> ends{};
  for (size_t b = 0; b < kAsciiKind.size(); ++b) ends[b] = kAsciiKind[b] == Kind::kOther;
  return ends;
}();

// An ASCII byte that starts no token: not a letter nor a digit (a dot, a
// comma or an apostrophe joins tokens, but no token starts with one).
inline constexpr std::array<bool, 256> kAsciiStartsNoToken = [] {
  std::array<bool, 256> skipped{};
  for (size_t b = 0; b < kAsciiKind.size(); ++b) {
    skipped[b] = kAsciiKind[b] != Kind::kLetter && kAsciiKind[b] != Kind::kDigit;
  }
  return skipped;
}();

// The end of the run of ASCII letters and digits of data[0, size) from
// `pos`; with `seen`, ORs into it the kAsciiWordByte bits of the run's bytes.
// 16 bytes at a time while 16 are left, without a branch a byte (faster
// than a byte at a time even on short words, by wall time).
[[gnu::always_inline]] inline size_t ascii_word_end(const uint8_t* data, size_t size, size_t pos,
                                                    uint8_t* seen) {
  bool ended = false;  // pos is past the letters and digits.
#if defined(__SSE2__)
  // As signed bytes, those of 0x80 and up are negative: in no range of
  // ASCII bytes.
  const auto in_range = [](__m128i v, char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  while (!ended && pos + 16 <= size) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    const __m128i digit = in_range(bytes, '0', '9');
    const __m128i letter = in_range(_mm_or_si128(bytes, _mm_set1_epi8(0x20)), 'a', 'z');
    const auto word = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(letter, digit)));
    const unsigned n = word == 0xffff ? 16 : static_cast<unsigned>(__builtin_ctz(~word));
    if (seen != nullptr) {
      const unsigned taken = (1u << n) - 1;
      const __m128i upper = in_range(bytes, 'A', 'Z');
      if ((static_cast<unsigned>(_mm_movemask_epi8(digit)) & taken) != 0) *seen |= kDigitByte;
      if ((static_cast<unsigned>(_mm_movemask_epi8(upper)) & taken) != 0) *seen |= kUpperByte;
    }
    pos += n;
    ended = n < 16;
  }
#endif
  for (const uint8_t* p = data + pos; !ended && pos < size; ++p, ++pos) {
    const uint8_t word = kAsciiWordByte[*p];
    if (word == 0) break;
    if (seen != nullptr) *seen |= word;
  }
  return pos;
}

constexpr char ascii_lower(uint8_t b) {
  return static_cast<char>(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
}

// The kind of code point `cp` (0x80 or more: ASCII bytes read kAsciiKind),
// from its Unicode category and the CJK ranges.
Kind classify(int32_t cp);

}  // namespace scry::chars
