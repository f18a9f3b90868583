// UTF-8 validation and repair.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace scry {

// U+FFFD REPLACEMENT CHARACTER, which stands for invalid UTF-8 everywhere in
// scry, and its UTF-8 encoding.
inline constexpr char32_t kReplacementChar = 0xFFFD;
inline constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

// Replaces every maximal invalid subsequence of `text` (as the Unicode
// standard's "U+FFFD substitution of maximal subparts" defines it: stray
// continuation bytes, truncated sequences, overlongs, surrogates, values
// above U+10FFFF) with U+FFFD. Returns how many replacements were made.
// Valid text is only scanned (ASCII 8 bytes at a time), never copied; the
// result is always valid UTF-8 and repairing it again returns 0.
// REQUIRES: text != nullptr
size_t repair_utf8(std::string* text);

// Writes each byte of every maximal invalid subsequence of `text` (as
// repair_utf8() finds them) as the four characters \xHH (two uppercase hex
// digits), keeping what a name's bytes were: two names that differ only in
// invalid bytes (Latin-1 file names) stay apart, where U+FFFD would make
// them equal. Returns how many subsequences were escaped (repair_utf8()'s
// count); the result is always valid UTF-8.
// REQUIRES: text != nullptr
size_t escape_invalid_utf8(std::string* text);

// True when `text` is entirely valid UTF-8.
bool is_valid_utf8(std::string_view text);

// The length of the longest prefix of `text` that is valid UTF-8: the
// offset of the first byte that starts no valid sequence (`text.size()`
// when all of it is valid).
size_t valid_utf8_prefix(std::string_view text);

// The end of the run of ASCII bytes from `lowest` to 0x7E of `text`
// starting at `pos`, at most `limit`, eight bytes at a time: the first
// byte from `pos` below `lowest`, at 0x7F (DEL) or above it (not ASCII).
// REQUIRES: pos <= limit <= text.size(); 0x01 <= lowest <= 0x80.
size_t ascii_run_end(std::string_view text, size_t pos, size_t limit, unsigned char lowest);

// The end of the run of printable ASCII bytes (0x20 to 0x7E) of `text`
// starting at `pos`, at most `limit`, in which no two spaces follow each
// other, eight bytes at a time: the first byte from `pos` that is not
// printable ASCII, or the first of two spaces (both before `limit`).
// REQUIRES: pos <= limit <= text.size().
size_t single_spaced_ascii_end(std::string_view text, size_t pos, size_t limit);

// One character of UTF-8 text: its code point and its length in bytes.
struct Utf8Char {
  char32_t code;
  size_t length;
};

// The character starting at text[pos]. An invalid or truncated sequence
// reads as U+FFFD of length 1, so that every byte belongs to exactly one
// character (the way the analyzer reads text).
// REQUIRES: pos < text.size().
Utf8Char decode_utf8(std::string_view text, size_t pos);

// The code points of `text`, read as decode_utf8 reads them.
std::vector<char32_t> code_points(std::string_view text);

// How many code points `text` has, read as decode_utf8 reads them.
size_t code_point_count(std::string_view text);

// Of a well-formed UTF-8 sequence that starts with the byte `lead` (Table
// 3-7 of the Unicode standard): its length in bytes, 1 to 4, or 0 when no
// sequence starts with `lead` (a continuation byte, C0, C1, F5 to FF).
inline size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Whether `byte` may follow `lead` in a well-formed sequence: a
// continuation byte that makes the code point neither overlong, nor a
// surrogate, nor above U+10FFFF. The bytes after the second may be any
// continuation byte (0x80 to 0xBF).
// REQUIRES: utf8_sequence_length(lead) >= 2.
inline bool utf8_valid_second(unsigned char lead, unsigned char byte) {
  switch (lead) {
    case 0xE0:
      return byte >= 0xA0 && byte <= 0xBF;
    case 0xED:
      return byte >= 0x80 && byte <= 0x9F;
    case 0xF0:
      return byte >= 0x90 && byte <= 0xBF;
    case 0xF4:
      return byte >= 0x80 && byte <= 0x8F;
    default:
      return (byte & 0xC0) == 0x80;
  }
}

// Appends the UTF-8 encoding of `code`.
// REQUIRES: code is a Unicode scalar value (<= U+10FFFF, not a surrogate).
void append_utf8(char32_t code, std::string* out);

}  // namespace scry
