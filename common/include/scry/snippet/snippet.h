// Snippets: the best passage of a hit's stored text, with every query match
// highlighted.
//
// Tokens are the text's words as the index's analyzer sees them, stop
// words included (Analyzer::analyze_words): token i is position i, as the
// index counts positions, and window sizes count them.
//
// Matches: a token whose term is a query term is a match; so is every set
// of tokens at a query phrase's offsets whose terms are the phrase's terms
// (one match spanning from its first token's start to its last token's
// end). Stop words never match.
//
// How the passage is chosen:
//   1. A window of `window_tokens` consecutive tokens slides over the text.
//      Its value is the sum of the weights of the distinct query terms and
//      phrases it contains (a phrase counts when all its tokens are inside),
//      so the rarest matched terms decide first. Ties go to more matched
//      tokens, then to the earlier window.
//   2. Every window holding the same matches (from the chosen window's
//      first match to its last) is as good: the one starting at the start
//      of the first match's sentence is taken when there is one, else the
//      one with the matches in its middle.
//   3. Sentences: a sentence ends at '。', '！', '？', at '.', '!', '?'
//      followed by whitespace, or at a blank line (or U+2029). The passage
//      starts at the nearest sentence start up to 8 tokens before the
//      window, else at the first one after the window's start that loses no
//      match (up to 8 tokens in), else where the window starts; it ends at
//      the first sentence end up to 8 tokens after the window's end, else
//      at the last one before it that loses no match (up to 8 tokens back),
//      else where the window ends. So a passage has at most
//      window_tokens + 16 tokens. At a sentence start, the punctuation
//      leading into it is kept ("“", "("); at a sentence end, the stop and
//      the closing quotes and brackets after it.
//   A text with no match gives its first window, adjusted the same way.
//
// The passage's text: each run of whitespace, control characters (C0, DEL,
// C1) and Unicode separators becomes one space (so no control character
// reaches a terminal), none at either end; invalid UTF-8 becomes U+FFFD.
// "… " (U+2026 and a space) is prepended when the passage does not start
// at the text's first token, " …" appended when it does not end at its last
// token. Highlights are the passage's matches (a phrase only when all of it
// is in the passage) in the output's byte offsets, merged where they
// overlap or touch (the bigrams of "资本市场" make one highlight).
//
// Cost: make_snippet() runs the analyzer over the whole text, in linear
// time and memory proportional to window_tokens. make_snippet_at() makes
// the same snippet from the index: the positions of the query's terms in
// the body choose the window, and only the passage's neighbourhood (from
// the checkpoint before it to the one after) is read and analyzed.
//
// Thread safety: pure functions (the Analyzer passed in is used, not shared).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/format/doc_store.h"
#include "scry/text/analyzer.h"
#include "scry/util/status.h"

namespace scry {

struct SnippetQuery {
  struct Term {
    std::string term;  // Analyzed term, as the index stores it.
    double weight;     // Its idf (higher = rarer = more important).
  };
  struct Phrase {
    std::vector<std::string> terms;  // Analyzed terms.
    double weight;                   // Sum of its terms' idf.
    // The position of each term from the first's (0, increasing; a stop
    // word left out of a phrase leaves a gap); empty or invalid means
    // consecutive.
    std::vector<uint32_t> offsets = {};
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

// Chooses and builds the snippet of `text` for `query`, as described at the
// top. A text without tokens (e.g. empty) gives an empty snippet. Weights
// that are not finite and positive count as 0; a term or phrase given twice
// counts once, with the larger weight; a one-term phrase is a term.
// REQUIRES: window_tokens > 0; analyzer != nullptr, with the index's config.
Snippet make_snippet(Analyzer* analyzer, std::string_view text, const SnippetQuery& query,
                     size_t window_tokens = 30);

// Gives the sorted positions, in the body, of an analyzed term.
using TermPositions = std::function<Status(std::string_view term, std::vector<uint32_t>* out)>;
// Gives the body's bytes [begin, end) in `out` (replacing what it held);
// `layout` is the body's layout, as the snippet's maker was given it.
using ReadBody =
    std::function<Status(const TextLayout& layout, uint32_t begin, uint32_t end, std::string* out)>;

// make_snippet(analyzer, body, query, window_tokens), made from the index:
// `positions` must give the positions where each term of `query` occurs in
// the body (Analyzer::analyze_words's, as the index stores them less the
// layout's body_position), and `layout` the body's size and checkpoints;
// `read` is called once, for the bytes from the checkpoint before the
// passage to the one after it. The snippet is make_snippet's when these are
// true of the body (tests compare them on random texts).
// Errors: those of the callbacks; Corruption when the checkpoints do not fit
// the text read.
Result<Snippet> make_snippet_at(Analyzer* analyzer, const TextLayout& layout,
                                const SnippetQuery& query, size_t window_tokens,
                                const TermPositions& positions, const ReadBody& read);

enum class Highlight { kAnsi, kMarkers, kNone };

// The snippet as a printable string: highlights in bold red (kAnsi: ESC[1;31m
// ... ESC[0m), between "**" and "**" (kMarkers, Markdown's bold), or plain
// (kNone). Control characters of the text never reach the terminal: they
// are replaced by spaces when the snippet is made. Highlights that are out
// of order or out of the text's bounds are ignored.
std::string render(const Snippet& snippet, Highlight mode);

}  // namespace scry
