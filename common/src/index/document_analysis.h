// How a document's tokens become postings (the rule of index_builder.h):
// its fields, positions, lengths and the body's checkpoints, the same for
// the one-thread build and the parallel build's analysis tasks.
//
// Thread safety: pure functions of their arguments (the analyzer is the
// caller's, one per thread).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "scry/format/doc_store.h"
#include "scry/format/format.h"
#include "scry/format/postings.h"
#include "scry/input/document.h"
#include "scry/text/analyzer.h"

namespace scry {

// What analyze_document() counts of a document.
struct DocumentLengths {
  uint32_t title = 0;          // Tokens indexed in the title field.
  uint32_t text = 0;           // Tokens indexed in the text field (title and body).
  bool too_long = false;       // Positions past PostingsCursor::kEnd - 1: not indexable.
  uint32_t body_position = 0;  // The text-field position of the body's position 0.
};

// A body token can be a checkpoint (doc_store.h) when analysis restarting at
// its first byte sees what the whole body's analysis saw: it starts the body
// or follows an ASCII blank, which no token spans or joins across.
inline bool restartable(std::string_view body, uint32_t start) {
  if (start == 0) return true;
  const char before = body[start - 1];
  return before == ' ' || before == '\t' || before == '\n' || before == '\r';
}

// The rule of index_builder.h for a document's tokens: each title token
// goes into the title field and the text field at its position; each body
// token into the text field, the body's positions following the title's
// after kTitleBodyPositionGap (from 0 when the title has no position).
// Calls on_token(term, term_hash, position, title) for every token, title
// first (the analyzer counts the words, see IndexBuilder::create()).
// Lengths count indexed tokens; positions also count left-out stop words.
// The body's checkpoints go into `checkpoints` (cleared first): the first
// restartable token, then the first one kCheckpointPositions or more
// positions after the last checkpoint.
template <typename OnToken>
DocumentLengths analyze_document(Analyzer* analyzer, const Document& doc,
                                 std::vector<TextCheckpoint>* checkpoints, OnToken&& on_token) {
  DocumentLengths lengths;
  const uint32_t title_positions = analyzer->analyze_counted(doc.title, [&](const Token& t) {
    on_token(t.term, t.term_hash, t.position, true);
    ++lengths.title;
  });
  const uint32_t base = title_positions == 0 ? 0 : title_positions + kTitleBodyPositionGap;
  lengths.body_position = base;
  checkpoints->clear();
  uint32_t next_checkpoint = 0;
  uint32_t body_len = 0;
  const uint32_t body_positions = analyzer->analyze_counted(doc.body, [&](const Token& t) {
    on_token(t.term, t.term_hash, base + t.position, false);
    ++body_len;
    if (t.position >= next_checkpoint && restartable(doc.body, t.start)) {
      checkpoints->push_back({t.position, t.start});
      next_checkpoint = t.position + kCheckpointPositions;
    }
  });
  lengths.text = lengths.title + body_len;
  lengths.too_long = uint64_t{base} + body_positions >= PostingsCursor::kEnd;
  return lengths;
}

}  // namespace scry
