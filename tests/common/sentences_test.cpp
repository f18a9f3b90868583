// Tests for snippet/sentences.h: its ASCII fast paths (is_blank inline,
// gap_ends_sentence decoding ASCII bytes itself) against slow references
// that decode every character with decode_utf8 and classify every code
// point with utf8proc.
#include "snippet/sentences.h"

#include <utf8proc.h>

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "scry/util/utf8.h"

namespace scry {
namespace {

bool reference_is_blank(char32_t cp) {
  if (cp <= 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  if (cp < 0xA0) return false;
  const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
         category == UTF8PROC_CATEGORY_ZP;
}

bool reference_gap_ends_sentence(std::string_view text, size_t from, size_t to) {
  bool stop = false;
  bool line_break = false;
  for (size_t pos = from; pos < to;) {
    const Utf8Char c = decode_utf8(text, pos);
    pos += c.length;
    if (c.code == '.' || c.code == '!' || c.code == '?') {
      stop = true;
      line_break = false;
    } else if (c.code == 0x3002 || c.code == 0xFF01 || c.code == 0xFF1F || c.code == 0x2029) {
      return true;
    } else if (c.code == '\n') {
      if (stop || line_break) return true;
      line_break = true;
    } else if (reference_is_blank(c.code)) {
      if (stop) return true;
    } else {
      line_break = false;
    }
  }
  return false;
}

TEST_CASE("is_blank equals its reference on every code point") {
  size_t mismatches = 0;
  size_t blanks = 0;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const bool expected = reference_is_blank(cp);
    blanks += expected;
    mismatches += sentences::is_blank(cp) != expected;
  }
  CHECK(mismatches == 0);
  CHECK(blanks > 33 + 33);  // C0, space, DEL, C1 and the separators.
}

TEST_CASE("gap_ends_sentence equals its reference on random gaps") {
  // Pieces that matter to sentences: stops, line breaks, blanks ASCII or
  // not, CJK stops, letters, and invalid or truncated UTF-8.
  const std::vector<std::string> pieces = {" ",
                                           "  ",
                                           "\n",
                                           "\t",
                                           "\r",
                                           ".",
                                           "!",
                                           "?",
                                           "a",
                                           ",",
                                           ")",
                                           "\"",
                                           "\x7f",
                                           "\xc2\x85",
                                           "\xc2\xa0",
                                           "\xe3\x80\x82",
                                           "\xef\xbc\x81",
                                           "\xef\xbc\x9f",
                                           "\xe2\x80\xa9",
                                           "\xe2\x80\x83",
                                           "\xc3\xa9",
                                           "\xc3",
                                           "\xe3\x80",
                                           "\xff",
                                           "\x80",
                                           "\x01"};
  std::mt19937 rng(20261206);
  size_t ends = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t n = rng() % 8;
    for (size_t k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
    const size_t from = text.empty() ? 0 : rng() % (text.size() + 1);
    const size_t to = from + (text.size() == from ? 0 : rng() % (text.size() - from + 1));
    const bool expected = reference_gap_ends_sentence(text, from, to);
    ends += expected;
    INFO("text of " << text.size() << " bytes, gap [" << from << ", " << to << ")");
    REQUIRE(sentences::gap_ends_sentence(text, from, to) == expected);
  }
  CHECK(ends > 1000);
}

}  // namespace
}  // namespace scry
