// Snippets: the best passage of a hit's stored text, with every query match
// highlighted.
//
// How the passage is chosen: the text is re-analyzed with the index's
// analyzer. Every token that is a query term, and every run of tokens that
// matches a query phrase, is a match. The candidate windows are runs of
// about `window_tokens` consecutive tokens; a window's value is the sum of
// the weights (idf) of the distinct query terms and phrases it contains, so
// the rarest matched terms decide first; ties go to more matches, then to
// the earlier window. The chosen window is then widened or moved a little
// so that it starts at a sentence start and ends at a sentence end where
// one is near (a sentence ends at '.', '!', '?', '。', '！', '？' or a blank
// line), and line breaks inside become spaces. A text with no match gives
// its first window.
//
// Cut edges are marked with "…" (U+2026): at the start when the passage
// does not begin the text, at the end when it does not end it.
//
// Thread safety: pure functions (the Analyzer passed in is used, not shared).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scry/text/analyzer.h"

namespace scry {

struct SnippetQuery {
  struct Term {
    std::string term;  // Analyzed term, as the index stores it.
    double weight;     // Its idf (higher = rarer = more important).
  };
  struct Phrase {
    std::vector<std::string> terms;  // Analyzed terms at consecutive positions.
    double weight;                   // Sum of its terms' idf.
  };
  std::vector<Term> terms;
  std::vector<Phrase> phrases;
};

struct Snippet {
  std::string text;  // The passage (with "…" at cut edges), valid UTF-8.
  // Byte ranges [start, end) of `text` to highlight, sorted, not overlapping
  // (overlapping or adjacent matches are merged).
  std::vector<std::pair<uint32_t, uint32_t>> highlights;
};

// Chooses and builds the snippet of `text` for `query`.
// REQUIRES: window_tokens > 0.
Snippet make_snippet(Analyzer* analyzer, std::string_view text, const SnippetQuery& query,
                     size_t window_tokens = 30);

enum class Highlight { kAnsi, kMarkers, kNone };

// The snippet as a printable string: highlights in bold red (kAnsi: ESC[1;31m
// ... ESC[0m), between "**" and "**" (kMarkers, Markdown's bold), or plain
// (kNone). Control characters of the text never reach the terminal: they
// are replaced by spaces when the snippet is made.
std::string render(const Snippet& snippet, Highlight mode);

}  // namespace scry
