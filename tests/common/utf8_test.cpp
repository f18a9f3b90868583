// Tests for util/utf8.h: repair_utf8 against tables taken from the Unicode
// standard and against a slow reference implementation on random bytes.
#include "scry/util/utf8.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace scry {
namespace {

// `pattern` with every '?' replaced by U+FFFD, so that table rows stay
// readable.
std::string fffd(std::string_view pattern) {
  std::string out;
  for (char c : pattern) {
    if (c == '?') {
      out.append(kReplacementUtf8);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (!out.empty()) out.push_back(' ');
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// Reference decoder, written differently from the library on purpose: it
// decodes a candidate sequence arithmetically and checks the code point.
bool reference_well_formed(std::string_view s) {
  if (s.empty()) return false;
  const auto lead = static_cast<unsigned char>(s[0]);
  size_t length = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1Fu;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0Fu;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07u;
    min = 0x10000;
  } else {
    return false;
  }
  if (s.size() != length) return false;
  for (size_t i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

// True when some well-formed sequence starts with `prefix`. The library's
// byte ranges all have bounds among these values, so trying them suffices.
bool reference_is_prefix(std::string_view prefix) {
  static constexpr unsigned char kProbes[] = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF};
  for (size_t total = prefix.size() + 1; total <= 4; ++total) {
    const size_t missing = total - prefix.size();
    size_t combinations = 1;
    for (size_t i = 0; i < missing; ++i) combinations *= std::size(kProbes);
    for (size_t k = 0; k < combinations; ++k) {
      std::string candidate(prefix);
      for (size_t i = 0, rest = k; i < missing; ++i, rest /= std::size(kProbes)) {
        candidate.push_back(static_cast<char>(kProbes[rest % std::size(kProbes)]));
      }
      if (reference_well_formed(candidate)) return true;
    }
  }
  return false;
}

// Reference repair: copies well-formed sequences, replaces each maximal
// subpart (longest prefix of a well-formed sequence, at least one byte).
std::string reference_repair(std::string_view s, size_t* count) {
  std::string out;
  *count = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out.push_back(s[i++]);
      continue;
    }
    size_t valid = 0;
    for (size_t length = 2; length <= 4 && i + length <= s.size(); ++length) {
      if (reference_well_formed(s.substr(i, length))) valid = length;
    }
    if (valid > 0) {
      out.append(s.substr(i, valid));
      i += valid;
      continue;
    }
    size_t subpart = 1;
    while (subpart < 3 && i + subpart < s.size() && reference_is_prefix(s.substr(i, subpart + 1))) {
      ++subpart;
    }
    out.append(kReplacementUtf8);
    ++*count;
    i += subpart;
  }
  return out;
}

// The longest valid prefix, by the same reading: ASCII bytes and
// well-formed sequences, up to the first byte that starts neither.
size_t reference_valid_prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t valid = 0;
    for (size_t length = 2; length <= 4 && i + length <= s.size(); ++length) {
      if (reference_well_formed(s.substr(i, length))) valid = length;
    }
    if (valid == 0) break;
    i += valid;
  }
  return i;
}

struct RepairRow {
  const char* what;
  std::string input;
  std::string expected;
  size_t count;
};

TEST_CASE("repair_utf8 replaces each maximal invalid subpart with U+FFFD", "[utf8]") {
  const std::vector<RepairRow> rows = {
      {"empty", "", "", 0},
      {"ascii", "plain ascii text, long enough for the 8-byte path", "", 0},
      {"valid 2, 3 and 4 byte sequences", "\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E", "", 0},
      {"boundaries U+0080 U+07FF U+0800 U+D7FF", "\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF", "", 0},
      {"boundaries U+E000 U+FFFF U+10000 U+10FFFF",
       "\xEE\x80\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", "", 0},
      {"stray continuation bytes",
       "a\x80\xBF"
       "b",
       fffd("a??b"), 2},
      {"lone continuation at start", "\x80", fffd("?"), 1},
      {"overlong 2-byte (C0, C1)", "\xC0\xAF\xC1\xBF", fffd("????"), 4},
      {"overlong 3-byte", "\xE0\x80\xAF", fffd("???"), 3},
      {"overlong 4-byte", "\xF0\x80\x80\xAF", fffd("????"), 4},
      {"surrogate U+D800", "\xED\xA0\x80", fffd("???"), 3},
      {"surrogate U+DFFF", "\xED\xBF\xBF", fffd("???"), 3},
      {"above U+10FFFF via F4 90", "\xF4\x90\x80\x80", fffd("????"), 4},
      {"above U+10FFFF via F5..FF leads", "\xF5\x80\xF8\xFE\xFF", fffd("?????"), 5},
      {"truncated 2-byte at end", "ab\xC3", fffd("ab?"), 1},
      {"truncated 3-byte at end", "ab\xE2\x82", fffd("ab?"), 1},
      {"truncated 4-byte at end", "\xF0\x9D\x84", fffd("?"), 1},
      {"truncated sequence before ASCII",
       "\xE2\x82"
       "x",
       fffd("?x"), 1},
      {"truncated sequence before a valid one", "\xF0\x9D\x84\xC3\xA9", fffd("?") + "\xC3\xA9", 1},
      // Unicode 15.0, chapter 3, tables 3-8 to 3-12.
      {"table 3-8", "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", fffd("a???b?c??d"), 6},
      {"table 3-9 (non-shortest forms)", "\xC0\xAF\xE0\x80\xBF\xF0\x81\x82\x41", fffd("????????A"),
       8},
      {"table 3-10 (ill-formed sequences for surrogates)", "\xED\xA0\x80\xED\xBF\xBF\xED\xAF\x41",
       fffd("????????A"), 8},
      {"table 3-11 (other ill-formed sequences)", "\xF4\x91\x92\x93\xFF\x41\x80\xBF\x42",
       fffd("?????A??B"), 7},
      {"table 3-12 (truncated sequences)", "\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41", fffd("????A"),
       4},
  };
  for (const RepairRow& row : rows) {
    INFO(row.what << ": " << hex(row.input));
    const std::string expected = row.count == 0 ? row.input : row.expected;
    std::string text = row.input;
    CHECK(repair_utf8(&text) == row.count);
    CHECK(hex(text) == hex(expected));
    CHECK(is_valid_utf8(row.input) == (row.count == 0));
    CHECK(is_valid_utf8(text));
    size_t reference_count;
    CHECK(hex(reference_repair(row.input, &reference_count)) == hex(expected));
    CHECK(reference_count == row.count);
  }
}

TEST_CASE("repair_utf8 finds an invalid byte at every offset of the ASCII fast path", "[utf8]") {
  for (size_t offset = 0; offset < 40; ++offset) {
    INFO("offset " << offset);
    const std::string ascii_before(offset, 'a');
    std::string text = ascii_before + "\xFF" + std::string(offset % 13, 'b');
    CHECK(!is_valid_utf8(text));
    CHECK(repair_utf8(&text) == 1);
    CHECK(text == ascii_before + std::string(kReplacementUtf8) + std::string(offset % 13, 'b'));
  }
}

TEST_CASE("repair_utf8 agrees with the reference on random bytes", "[utf8]") {
  // Bytes at the edges of every range in table 3-7, plus ASCII.
  static constexpr unsigned char kInteresting[] = {
      'a',  ' ',  0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
      0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFE, 0xFF};
  std::mt19937 rng(20240607);
  std::uniform_int_distribution<size_t> length_of(0, 40);
  std::uniform_int_distribution<size_t> pick(0, std::size(kInteresting) - 1);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<int> coin(0, 3);
  for (int round = 0; round < 20000; ++round) {
    std::string input;
    const size_t length = length_of(rng);
    for (size_t i = 0; i < length; ++i) {
      input.push_back(coin(rng) == 0 ? static_cast<char>(any_byte(rng))
                                     : static_cast<char>(kInteresting[pick(rng)]));
    }
    size_t expected_count;
    const std::string expected = reference_repair(input, &expected_count);
    std::string repaired = input;
    const size_t count = repair_utf8(&repaired);
    INFO(hex(input));
    REQUIRE(hex(repaired) == hex(expected));
    REQUIRE(count == expected_count);
    REQUIRE(is_valid_utf8(repaired));
    REQUIRE(is_valid_utf8(input) == (count == 0));
    REQUIRE(valid_utf8_prefix(input) == reference_valid_prefix(input));
    std::string again = repaired;
    REQUIRE(repair_utf8(&again) == 0);
    REQUIRE(again == repaired);
  }
}

TEST_CASE("escape_invalid_utf8 keeps invalid bytes as \\xHH, reversibly", "[utf8]") {
  static constexpr unsigned char kInteresting[] = {
      'a',  ' ',  0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
      0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFE, 0xFF};
  // The inverse, for texts without a backslash of their own.
  const auto unescape = [](const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x') {
        out.push_back(static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16)));
        i += 3;
      } else {
        out.push_back(text[i]);
      }
    }
    return out;
  };
  std::mt19937 rng(20261207);
  std::uniform_int_distribution<size_t> length_of(0, 40);
  std::uniform_int_distribution<size_t> pick(0, std::size(kInteresting) - 1);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<int> coin(0, 3);
  size_t escaped_texts = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string input;
    const size_t length = length_of(rng);
    for (size_t i = 0; i < length; ++i) {
      char c = coin(rng) == 0 ? static_cast<char>(any_byte(rng))
                              : static_cast<char>(kInteresting[pick(rng)]);
      input.push_back(c == '\\' ? 'a' : c);
    }
    INFO(hex(input));
    std::string escaped = input;
    const size_t count = escape_invalid_utf8(&escaped);
    std::string repaired = input;
    REQUIRE(count == repair_utf8(&repaired));
    REQUIRE(is_valid_utf8(escaped));
    REQUIRE(unescape(escaped) == input);
    if (count == 0) REQUIRE(escaped == input);
    escaped_texts += count > 0;
  }
  CHECK(escaped_texts > 10000);
  std::string latin1 = "caf\xE9 \xFF\xFE.txt";
  CHECK(escape_invalid_utf8(&latin1) == 3);
  CHECK(latin1 == "caf\\xE9 \\xFF\\xFE.txt");
}

TEST_CASE("repair_utf8 output is always valid on long random buffers", "[utf8]") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::string text(4096 + static_cast<size_t>(round), '\0');
    for (char& c : text) c = static_cast<char>(rng() & 0xFF);
    repair_utf8(&text);
    REQUIRE(is_valid_utf8(text));
  }
}

}  // namespace
}  // namespace scry

TEST_CASE("utf8: append_utf8 and decode_utf8 round-trip every scalar value", "[utf8]") {
  std::string text;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    text.clear();
    scry::append_utf8(cp, &text);
    REQUIRE(scry::is_valid_utf8(text));
    const scry::Utf8Char c = scry::decode_utf8(text, 0);
    REQUIRE(c.code == cp);
    REQUIRE(c.length == text.size());
  }
  // Invalid bytes read as U+FFFD of length 1.
  for (const char* bad : {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                          "\xE6\x99", "\xFF"}) {
    const scry::Utf8Char c = scry::decode_utf8(bad, 0);
    CHECK(c.code == scry::kReplacementChar);
    CHECK(c.length == 1);
  }
  // The two spellings of U+FFFD agree.
  CHECK(scry::kReplacementChar == 0xFFFD);
  text.clear();
  scry::append_utf8(scry::kReplacementChar, &text);
  CHECK(text == scry::kReplacementUtf8);
}

TEST_CASE("ascii_run_end equals a byte-by-byte scan", "[utf8]") {
  // Bytes at the edges of the runs (0x1F/0x20/0x21, 0x7E/0x7F, 0x80, 0xFF,
  // 0) more often than the rest.
  const std::vector<uint8_t> edges = {0x00, 0x1F, 0x20, 0x21, 0x7E, 0x7F,
                                      0x80, 0xFF, 0x01, 0xFE, 0x9F, 0xC2};
  std::mt19937 rng(20261206);
  size_t long_runs = 0;
  for (int round = 0; round < 40000; ++round) {
    const unsigned char lowest = round % 2 == 0 ? 0x20 : 0x21;
    std::string text(rng() % 40, '\0');
    const auto odds = static_cast<uint32_t>(1 + rng() % 30);  // One edge byte in `odds`.
    for (char& c : text) {
      const auto r = static_cast<uint32_t>(rng());
      c = static_cast<char>(r % odds == 0 ? edges[(r / odds) % edges.size()]
                                          : 0x21 + (r / odds) % (0x7F - 0x21));
    }
    const size_t limit = text.empty() ? 0 : rng() % (text.size() + 1);
    const size_t pos = limit == 0 ? 0 : rng() % (limit + 1);
    size_t expected = pos;
    while (expected < limit && static_cast<uint8_t>(text[expected]) >= lowest &&
           static_cast<uint8_t>(text[expected]) < 0x7F) {
      ++expected;
    }
    long_runs += expected - pos >= 8;
    INFO("round " << round << ", pos " << pos << ", limit " << limit);
    REQUIRE(scry::ascii_run_end(text, pos, limit, lowest) == expected);
  }
  CHECK(long_runs > 2000);
}

TEST_CASE("single_spaced_ascii_end equals a byte-by-byte scan", "[utf8]") {
  // One byte in four a space, so that pairs of them fall anywhere in the
  // eight-byte words, across them and across `limit`; and the edges of the
  // printable range.
  const std::vector<uint8_t> edges = {0x00, 0x1F, 0x21, 0x7E, 0x7F, 0x80, 0xFF, 0x9F, 0xC2};
  std::mt19937 rng(20261207);
  size_t long_runs = 0;
  size_t pairs = 0;
  for (int round = 0; round < 40000; ++round) {
    std::string text(rng() % 40, '\0');
    const auto odds = static_cast<uint32_t>(1 + rng() % 30);  // One edge byte in `odds`.
    for (char& c : text) {
      const auto r = static_cast<uint32_t>(rng());
      c = static_cast<char>(r % odds == 0         ? edges[(r / odds) % edges.size()]
                            : (r / odds) % 4 == 0 ? ' '
                                                  : 0x21 + (r / odds / 4) % (0x7F - 0x21));
    }
    const size_t limit = text.empty() ? 0 : rng() % (text.size() + 1);
    const size_t pos = limit == 0 ? 0 : rng() % (limit + 1);
    size_t expected = pos;
    while (expected < limit) {
      const auto b = static_cast<uint8_t>(text[expected]);
      if (b < 0x20 || b > 0x7E) break;
      if (b == ' ' && expected + 1 < limit && text[expected + 1] == ' ') {
        ++pairs;
        break;
      }
      ++expected;
    }
    long_runs += expected - pos >= 8;
    INFO("round " << round << ", pos " << pos << ", limit " << limit);
    REQUIRE(scry::single_spaced_ascii_end(text, pos, limit) == expected);
  }
  CHECK(long_runs > 2000);
  CHECK(pairs > 2000);
}
