// UTF-8 validation and repair.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace scry {

// Replaces every maximal invalid subsequence of `text` (as the Unicode
// standard's "U+FFFD substitution of maximal subparts" defines it: stray
// continuation bytes, truncated sequences, overlongs, surrogates, values
// above U+10FFFF) with U+FFFD. Returns how many replacements were made.
// Valid text is only scanned (ASCII 8 bytes at a time), never copied; the
// result is always valid UTF-8 and repairing it again returns 0.
// REQUIRES: text != nullptr
size_t repair_utf8(std::string* text);

// True when `text` is entirely valid UTF-8.
bool is_valid_utf8(std::string_view text);

}  // namespace scry
