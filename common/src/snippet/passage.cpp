#include "snippet/passage.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "scry/util/utf8.h"
#include "snippet/sentences.h"

namespace scry::snippets {
namespace {

using sentences::is_blank;
using sentences::lead_in;
using sentences::lead_out;

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

// Copies text[begin, end) into `out`, collapsing each run of blanks to one
// space (none at either end) and replacing invalid bytes with U+FFFD, and
// sets `mapped` to the byte ranges of `out` that the source ranges `spans`
// (sorted, disjoint, not adjacent, within [begin, end), starting and ending
// at code point boundaries) became.
void copy_passage(std::string_view text, size_t begin, size_t end,
                  const std::vector<std::pair<size_t, size_t>>& spans, std::string* out,
                  std::vector<std::pair<uint32_t, uint32_t>>* mapped_ranges) {
  std::vector<std::pair<uint32_t, uint32_t>>& mapped = *mapped_ranges;
  mapped.clear();
  const auto here = [out] { return static_cast<uint32_t>(out->size()); };
  size_t next = 0;
  bool open = false;
  bool pending_space = false;
  for (size_t pos = begin; pos < end;) {
    if (open && spans[next].second <= pos) {
      mapped.back().second = here();
      open = false;
      ++next;
    }
    const auto byte = static_cast<unsigned char>(text[pos]);
    const Utf8Char c = byte > 0x20 && byte < 0x7F ? Utf8Char{byte, 1} : decode_utf8(text, pos);
    if (is_blank(c.code)) {
      pending_space = true;
    } else {
      if (pending_space) out->push_back(' ');
      pending_space = false;
      if (!open && next < spans.size() && spans[next].first <= pos) {
        mapped.emplace_back(here(), here());
        open = true;
      }
      if (c.length == 1 && c.code < 0x80) {
        // A run of printable ASCII and single spaces up to the next span
        // boundary, at once; its trailing spaces and a run of two or more
        // spaces are left to the loop to collapse.
        size_t limit = end;
        if (next < spans.size())
          limit = std::min(limit, open ? spans[next].second : spans[next].first);
        size_t run = single_spaced_ascii_end(text, pos + 1, limit);
        while (text[run - 1] == ' ') --run;
        out->append(text.data() + pos, run - pos);
        pos = run;
        continue;
      }
      if (c.code == kReplacementChar && c.length == 1) {
        out->append(kReplacementUtf8);
      } else {
        out->append(text.substr(pos, c.length));
      }
    }
    pos += c.length;
  }
  if (open) mapped.back().second = here();
}

}  // namespace

Snippet build_snippet(std::string_view text, const QueryIndex& query, const Window& window,
                      size_t window_tokens, PassageBuffers* buffers) {
  const size_t n = window.n;
  const size_t first = window.captured_first;
  const std::vector<TokenRecord>& tokens = *window.captured;
  const size_t captured_last = first + tokens.size() - 1;
  const auto at = [&](size_t i) -> const TokenRecord& { return tokens[i - first]; };
  const auto ends_sentence = [&](size_t i) { return i + 1 == n || at(i + 1).sentence_start; };

  // Every match among the captured tokens, by first token.
  std::vector<TokenMatch>& matches = buffers->matches;
  matches.clear();
  for (size_t i = first; i <= captured_last; ++i) {
    const int32_t term = at(i).term;
    if (query.term_item(term) != kNoItem) matches.push_back({i, i});
    for (uint32_t p : query.starting(term)) {
      const QueryIndex::Phrase& phrase = query.phrases()[p];
      const size_t last = i + phrase.span() - 1;
      if (last <= captured_last && phrase_matches(phrase, i, at)) matches.push_back({i, last});
    }
  }

  // Every window holding the tokens from the best window's first match to
  // its last is as good. Take the one starting at the sentence of the first
  // match, else the one with the matches in its middle.
  const size_t w = window_tokens;
  const auto in_window = [w](const TokenMatch& m, size_t from, size_t to) {
    return m.first >= from && m.last <= to && m.last - m.first < w;
  };
  size_t s = window.first;
  size_t e = window.last;
  size_t first_match = SIZE_MAX;
  size_t last_match = 0;
  for (const TokenMatch& m : matches) {
    if (in_window(m, s, e)) {
      first_match = std::min(first_match, m.first);
      last_match = std::max(last_match, m.last);
    }
  }
  if (first_match != SIZE_MAX && n > w) {
    const size_t latest = std::min(first_match, n - w);
    size_t moved = latest + 1;
    for (size_t i = latest + 1; i-- > s;) {
      if (at(i).sentence_start) {
        moved = i;
        break;
      }
    }
    if (moved > latest) {
      const size_t centre_offset = (w - (last_match - first_match + 1)) / 2;
      moved = std::clamp(first_match - std::min(first_match, centre_offset), s, latest);
    }
    s = moved;
    e = s + w - 1;
  }

  // Start at a sentence start up to kSentenceSlack tokens before the window,
  // else move forward to one, but never past the window's first match.
  size_t a = s;
  bool found = false;
  for (size_t i = s + 1; i-- > s - std::min(s, kSentenceSlack);) {
    if (at(i).sentence_start) {
      a = i;
      found = true;
      break;
    }
  }
  if (!found) {
    size_t limit = std::min(e, s + kSentenceSlack);
    for (const TokenMatch& m : matches) {
      if (in_window(m, s, e)) limit = std::min(limit, m.first);
    }
    for (size_t i = s + 1; i <= limit; ++i) {
      if (at(i).sentence_start) {
        a = i;
        break;
      }
    }
  }
  // End at a sentence end up to kSentenceSlack tokens after the window,
  // else back at one, but never before the window's last match.
  size_t b = e;
  found = false;
  for (size_t i = e; i <= std::min(n - 1, e + kSentenceSlack); ++i) {
    if (ends_sentence(i)) {
      b = i;
      found = true;
      break;
    }
  }
  if (!found) {
    size_t limit = std::max(a, e - std::min(e, kSentenceSlack));
    for (const TokenMatch& m : matches) {
      if (in_window(m, s, e)) limit = std::max(limit, m.last);
    }
    for (size_t i = e; i-- > limit;) {
      if (ends_sentence(i)) {
        b = i;
        break;
      }
    }
  }

  const size_t begin =
      at(a).sentence_start ? lead_in(text, at(a).gap_start, at(a).start) : at(a).start;
  const size_t end =
      ends_sentence(b)
          ? lead_out(text, at(b).end, b + 1 < n ? at(b + 1).start : text.size(), b + 1 == n)
          : at(b).end;

  std::vector<std::pair<size_t, size_t>>& spans = buffers->spans;
  spans.clear();
  for (const TokenMatch& m : matches) {
    if (m.first >= a && m.last <= b) spans.emplace_back(at(m.first).start, at(m.last).end);
  }
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<size_t, size_t>>& merged = buffers->merged;
  merged.clear();
  for (const auto& span : spans) {
    if (!merged.empty() && span.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, span.second);
    } else {
      merged.push_back(span);
    }
  }

  Snippet snippet;
  snippet.text.reserve(end - begin + 2 * (kEllipsis.size() + 1));
  snippet.highlights.reserve(merged.size());
  if (a > 0) {
    snippet.text.append(kEllipsis);
    snippet.text.push_back(' ');
  }
  copy_passage(text, begin, end, merged, &snippet.text, &buffers->mapped);
  for (const auto& range : buffers->mapped) {
    if (!snippet.highlights.empty() && range.first <= snippet.highlights.back().second) {
      snippet.highlights.back().second = range.second;
    } else {
      snippet.highlights.push_back(range);
    }
  }
  if (b + 1 < n) {
    snippet.text.push_back(' ');
    snippet.text.append(kEllipsis);
  }
  return snippet;
}

}  // namespace scry::snippets
