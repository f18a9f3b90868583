// Sentences and blanks in a hit's text, for snippets (snippet.h says how
// they shape the passage): which characters are blanks, where the gap
// between two tokens ends a sentence, and where a passage that starts or
// ends a sentence begins and ends.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace scry::sentences {

// is_blank() of a code point that is not ASCII or is DEL (cp >= 0x7F).
bool is_blank_beyond_ascii(char32_t cp);

// Whitespace, control characters (C0, DEL, C1) and Unicode separators (Z*):
// a run of them becomes one space in a snippet. Inline: a snippet asks it
// of every character of its passage, nearly all of them ASCII.
inline bool is_blank(char32_t cp) { return cp < 0x7F ? cp <= 0x20 : is_blank_beyond_ascii(cp); }

// gap_ends_sentence() of any gap, read a character at a time.
bool scan_gap_ends_sentence(std::string_view text, size_t from, size_t to);

// True when the gap text[from, to) between two tokens ends a sentence: it
// holds '。', '！' or '？', or '.', '!' or '?' followed by whitespace later in
// the gap, or a blank line (two line breaks with only whitespace between).
// Inline: a snippet asks it of every token it reads, and most gaps are one
// space, which never ends a sentence.
inline bool gap_ends_sentence(std::string_view text, size_t from, size_t to) {
  if (to == from + 1 && text[from] == ' ') return false;
  return scan_gap_ends_sentence(text, from, to);
}

// Where a passage that starts a sentence at the token beginning at
// `token_start` begins: before the punctuation leading into it ("“", "(",
// "$"), that is after the last blank, word character, stop or invalid byte
// of the gap text[gap_start, token_start).
size_t lead_in(std::string_view text, size_t gap_start, size_t token_start);

// Where a passage that ends a sentence at the token ending at `token_end`
// ends: after the sentence's stop and the closing quotes and brackets right
// after it ("%.", ".”", "。"), all within the gap's first run of
// punctuation in text[token_end, gap_end). With `whole` (the text's last
// token), after that whole run.
size_t lead_out(std::string_view text, size_t token_end, size_t gap_end, bool whole);

}  // namespace scry::sentences
