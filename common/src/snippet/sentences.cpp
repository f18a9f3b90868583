#include "snippet/sentences.h"

#include <utf8proc.h>

#include "scry/util/utf8.h"

namespace scry::sentences {
namespace {

// Letters, marks and digits: what tokens are made of.
bool is_word_char(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_NO;
}

// '.', '!' and '?' end a sentence when whitespace follows them.
bool is_latin_stop(char32_t cp) { return cp == '.' || cp == '!' || cp == '?'; }

// '。', '！', '？' (and a paragraph separator) end a sentence by themselves.
bool is_cjk_stop(char32_t cp) {
  return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0x2029;
}

bool is_stop(char32_t cp) { return is_latin_stop(cp) || is_cjk_stop(cp); }

// Closing brackets and quotes, kept after a sentence's final stop.
bool is_closing(char32_t cp) {
  if (cp == '"' || cp == '\'') return true;
  if (cp < 0x80) return cp == ')' || cp == ']' || cp == '}';
  const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category == UTF8PROC_CATEGORY_PE || category == UTF8PROC_CATEGORY_PF;
}

}  // namespace

bool is_blank_beyond_ascii(char32_t cp) {
  if (cp <= 0x9F) return true;  // DEL and C1.
  const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
         category == UTF8PROC_CATEGORY_ZP;
}

bool scan_gap_ends_sentence(std::string_view text, size_t from, size_t to) {
  bool stop = false;
  bool line_break = false;
  for (size_t pos = from; pos < to;) {
    // Most gaps are a space or two, and ASCII: decoded here.
    const auto byte = static_cast<unsigned char>(text[pos]);
    const Utf8Char c = byte < 0x80 ? Utf8Char{byte, 1} : decode_utf8(text, pos);
    pos += c.length;
    if (is_latin_stop(c.code)) {
      stop = true;
      line_break = false;
    } else if (is_cjk_stop(c.code)) {
      return true;
    } else if (c.code == '\n') {
      if (stop || line_break) return true;
      line_break = true;
    } else if (is_blank(c.code)) {
      if (stop) return true;
    } else {
      line_break = false;
    }
  }
  return false;
}

size_t lead_in(std::string_view text, size_t gap_start, size_t token_start) {
  size_t begin = gap_start;
  for (size_t pos = gap_start; pos < token_start;) {
    const Utf8Char c = decode_utf8(text, pos);
    pos += c.length;
    if (is_blank(c.code) || is_word_char(c.code) || is_stop(c.code) || c.code == kReplacementChar) {
      begin = pos;
    }
  }
  return begin;
}

size_t lead_out(std::string_view text, size_t token_end, size_t gap_end, bool whole) {
  size_t end = token_end;
  bool after_stop = false;
  for (size_t pos = token_end; pos < gap_end;) {
    const Utf8Char c = decode_utf8(text, pos);
    if (is_blank(c.code) || is_word_char(c.code) || c.code == kReplacementChar) break;
    pos += c.length;
    if (is_stop(c.code)) {
      after_stop = true;
      end = pos;
    } else if (whole || (after_stop && is_closing(c.code))) {
      end = pos;
    } else if (after_stop) {
      break;
    }
  }
  return end;
}

}  // namespace scry::sentences
