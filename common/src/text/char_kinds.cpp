#include "text/char_kinds.h"

#include <utf8proc.h>

namespace scry::chars {
namespace {

constexpr bool in(int32_t cp, int32_t lo, int32_t hi) { return cp >= lo && cp <= hi; }

// Han (incl. CJK numerals and iteration marks), Hiragana, Katakana, Hangul.
bool is_cjk(int32_t cp) {
  if (cp < 0x1100) return false;
  return in(cp, 0x1100, 0x11FF) ||    // Hangul Jamo
         in(cp, 0x3005, 0x3007) ||    // 々 〆 〇
         in(cp, 0x3021, 0x3029) ||    // Hangzhou numerals
         in(cp, 0x3038, 0x303C) ||    // more Han numerals and marks
         in(cp, 0x3040, 0x30FF) ||    // Hiragana, Katakana
         in(cp, 0x3130, 0x318F) ||    // Hangul Compatibility Jamo
         in(cp, 0x31F0, 0x31FF) ||    // Katakana Phonetic Extensions
         in(cp, 0x3400, 0x4DBF) ||    // CJK Extension A
         in(cp, 0x4E00, 0x9FFF) ||    // CJK Unified Ideographs
         in(cp, 0xA960, 0xA97F) ||    // Hangul Jamo Extended-A
         in(cp, 0xAC00, 0xD7FF) ||    // Hangul Syllables, Jamo Extended-B
         in(cp, 0xF900, 0xFAFF) ||    // CJK Compatibility Ideographs
         in(cp, 0xFF66, 0xFFDC) ||    // Halfwidth Katakana and Hangul
         in(cp, 0x1AFF0, 0x1B16F) ||  // Kana Extended-B, Supplement, Extended-A
         in(cp, 0x20000, 0x3FFFF);    // CJK Extensions B.. and Compatibility Supplement
}

bool is_cjk_extender(int32_t cp) {
  return in(cp, 0xFF9E, 0xFF9F) || in(cp, 0x1160, 0x11FF) || in(cp, 0xD7B0, 0xD7FF);
}

}  // namespace

Kind classify(int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      if (is_cjk(cp)) return is_cjk_extender(cp) ? Kind::kCjkExtender : Kind::kCjk;
      return Kind::kLetter;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return Kind::kMark;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return is_cjk(cp) ? Kind::kCjk : Kind::kDigit;
    default:
      break;
  }
  switch (cp) {
    case 0x2019:
    case 0xFF07:
      return Kind::kApostrophe;
    case 0xFF0E:
      return Kind::kDot;
    case 0xFF0C:
      return Kind::kComma;
    default:
      return Kind::kOther;
  }
}

}  // namespace scry::chars
