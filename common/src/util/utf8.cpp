#include "scry/util/utf8.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

namespace scry {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Length of the run of ASCII bytes at the start of p[0, n), read 8 bytes at
// a time.
size_t ascii_run(const unsigned char* p, size_t n) {
  size_t i = 0;
  while (i + 8 <= n) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (word & kHighBits) break;
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

struct Sequence {
  size_t length;  // Bytes of the well-formed sequence, or of the maximal invalid subpart.
  bool valid;
};

// Examines the multi-byte sequence that starts at p[0] (REQUIRES: n > 0 and
// p[0] >= 0x80) against Table 3-7 of the Unicode standard (well-formed UTF-8
// byte sequences). When it is not well formed, `length` is that of its
// maximal subpart: the longest prefix that could still start a well-formed
// sequence, or 1 when p[0] can start none.
Sequence check_sequence(const unsigned char* p, size_t n) {
  const size_t need = utf8_sequence_length(p[0]);
  if (need == 0) return {1, false};  // Continuation byte, C0/C1 (overlong) or F5..FF.
  for (size_t i = 1; i < need; ++i) {
    const bool fits = i < n && (i == 1 ? utf8_valid_second(p[0], p[i]) : (p[i] & 0xC0) == 0x80);
    if (!fits) return {i, false};
  }
  return {need, true};
}

// Length of the longest valid UTF-8 prefix of p[0, n).
size_t valid_prefix(const unsigned char* p, size_t n) {
  size_t i = 0;
  for (;;) {
    i += ascii_run(p + i, n - i);
    if (i == n) return n;
    const Sequence seq = check_sequence(p + i, n - i);
    if (!seq.valid) return i;
    i += seq.length;
  }
}

}  // namespace

size_t repair_utf8(std::string* text) {
  const char* data = text->data();
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  const size_t n = text->size();
  size_t i = valid_prefix(bytes, n);
  if (i == n) return 0;

  std::string out;
  out.reserve(n + kReplacementUtf8.size());
  size_t count = 0;
  size_t copy_from = 0;
  while (i < n) {
    // [copy_from, i) is valid and bytes[i] starts an invalid subpart.
    out.append(data + copy_from, i - copy_from);
    out.append(kReplacementUtf8);
    ++count;
    i += check_sequence(bytes + i, n - i).length;
    copy_from = i;
    i += valid_prefix(bytes + i, n - i);
  }
  out.append(data + copy_from, n - copy_from);
  *text = std::move(out);
  return count;
}

size_t escape_invalid_utf8(std::string* text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text->data());
  const size_t n = text->size();
  size_t i = valid_prefix(bytes, n);
  if (i == n) return 0;
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out(text->data(), i);
  size_t count = 0;
  while (i < n) {
    // bytes[i] starts an invalid subpart.
    const size_t end = i + check_sequence(bytes + i, n - i).length;
    for (; i < end; ++i) {
      out += "\\x";
      out += kHex[bytes[i] >> 4];
      out += kHex[bytes[i] & 0xF];
    }
    ++count;
    const size_t valid = valid_prefix(bytes + i, n - i);
    out.append(text->data() + i, valid);
    i += valid;
  }
  *text = std::move(out);
  return count;
}

size_t ascii_run_end(std::string_view text, size_t pos, size_t limit, unsigned char lowest) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  while (limit - pos >= 8) {
    uint64_t w;
    std::memcpy(&w, bytes + pos, 8);
    // The high bit of each byte below `lowest`, or of each from 0x7F
    // (adding 1 sets it from 0x7F; a byte's own high bit covers 0x80 to
    // 0xFF). A borrow or carry only marks bytes after a marked one, so the
    // lowest mark is the run's end (bytes are read little-endian).
    const uint64_t marks = (((w - kOnes * lowest) & ~w) | (w + kOnes) | w) & kHighBits;
    if (marks != 0) return pos + static_cast<size_t>(std::countr_zero(marks)) / 8;
    pos += 8;
  }
  while (pos < limit && bytes[pos] >= lowest && bytes[pos] < 0x7F) ++pos;
  return pos;
}

size_t single_spaced_ascii_end(std::string_view text, size_t pos, size_t limit) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  // Nine bytes at least: the pair of spaces that starts at a word's last
  // byte ends at the next word's first.
  while (limit - pos >= 9) {
    uint64_t w;
    std::memcpy(&w, bytes + pos, 8);
    // As ascii_run_end's marks from 0x20: the lowest one is exact.
    const uint64_t outside = (((w - kOnes * 0x20) & ~w) | (w + kOnes) | w) & kHighBits;
    // The high bit of each space, exactly (no carry crosses a byte).
    const uint64_t z = w ^ (kOnes * 0x20);
    const uint64_t space = ~(((z & kLow7) + kLow7) | z) & kHighBits;
    const uint64_t next_space = (space >> 8) | (uint64_t{bytes[pos + 8] == ' '} << 63);
    const uint64_t marks = outside | (space & next_space);
    if (marks != 0) return pos + static_cast<size_t>(std::countr_zero(marks)) / 8;
    pos += 8;
  }
  for (; pos < limit; ++pos) {
    const unsigned char b = bytes[pos];
    if (b < 0x20 || b >= 0x7F || (b == ' ' && pos + 1 < limit && bytes[pos + 1] == ' ')) break;
  }
  return pos;
}

bool is_valid_utf8(std::string_view text) { return valid_utf8_prefix(text) == text.size(); }

size_t valid_utf8_prefix(std::string_view text) {
  return valid_prefix(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

Utf8Char decode_utf8(std::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  char32_t code = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code = lead & 0x1Fu;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code = lead & 0x0Fu;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code = lead & 0x07u;
    min = 0x10000;
  } else {
    return {kReplacementChar, 1};
  }
  if (length > text.size() - pos) return {kReplacementChar, 1};
  for (size_t k = 1; k < length; ++k) {
    const auto byte = static_cast<unsigned char>(text[pos + k]);
    if ((byte & 0xC0) != 0x80) return {kReplacementChar, 1};
    code = (code << 6) | (byte & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return {kReplacementChar, 1};
  }
  return {code, length};
}

void append_utf8(char32_t code, std::string* out) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

std::vector<char32_t> code_points(std::string_view text) {
  std::vector<char32_t> out;
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = decode_utf8(text, pos);
    out.push_back(c.code);
    pos += c.length;
  }
  return out;
}

size_t code_point_count(std::string_view text) {
  size_t count = 0;
  for (size_t pos = 0; pos < text.size(); ++count) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    pos += byte < 0x80 ? 1 : decode_utf8(text, pos).length;
  }
  return count;
}

}  // namespace scry
