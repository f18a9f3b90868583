// The snippets of a query's hits. A hit in a store with checkpoints (format
// version 4) gets make_snippet_at's snippet: the positions of the query's
// terms in it come from the postings, and only the passage's neighbourhood
// is decompressed and analyzed. Older stores give make_snippet's over the
// whole text (the same snippet, at the cost of reading all of it).
//
// Thread safety: one HitSnippets per query and thread (it keeps cursors).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/search/term_lookups.h"
#include "scry/snippet/snippet.h"
#include "scry/text/analyzer.h"
#include "snippet/passage.h"

namespace scry {

class HitSnippets {
 public:
  // `index`, `analyzer` (with the index's settings), `query`, `buffers`
  // and `lookups` must outlive this. The snippets are made in `buffers`
  // (what they held before is dropped; a caller keeps them from query to
  // query so that their memory is reused). The terms' dictionary entries
  // are taken from `lookups` (the ones weighing the query recorded) where
  // it holds them (may be null), else looked up.
  HitSnippets(const IndexReader& index, Analyzer* analyzer, const SnippetQuery& query,
              size_t window_tokens, snippets::SnippetAtBuffers* buffers,
              const TermLookups* lookups = nullptr);

  // Of a hit's meta record (SegmentReader::document_meta), what make()
  // needs before anything else: whether its store has checkpoints for it,
  // and its body's position (StoredDocument's fields of the same names).
  struct BodyStart {
    bool has_checkpoints = false;
    uint32_t body_position = 0;
  };
  // The snippet of document `doc` of segment `segment`, whose meta record
  // gave `start`. Cheapest when the hits of a segment are asked in
  // increasing doc order (the postings cursors only move forward).
  // Errors: Corruption naming the file.
  Result<Snippet> make(size_t segment, uint32_t doc, BodyStart start);

 private:
  // The positions of `term` in the text field of `doc`, from a cursor kept
  // per segment and term.
  Status text_positions(size_t segment, uint32_t doc, std::string_view term,
                        std::vector<uint32_t>* out);

  const IndexReader& index_;
  Analyzer* analyzer_;
  const SnippetQuery& query_;
  const snippets::QueryIndex query_index_;  // Of query_, for every hit.
  size_t window_tokens_;
  const TermLookups* lookups_;
  // Per segment and term met: its cursor, or nullopt when the segment lacks
  // the term (a query has a few terms: a list is the fastest map), and the
  // last doc it was sought for. A cursor past a later hit's doc has no
  // posting there when it was sought for a doc before it; it starts again
  // only for a doc before that one.
  struct Cursor {
    size_t segment;
    std::string term;
    std::optional<PostingsCursor> cursor;
    uint32_t sought = 0;
  };
  std::vector<Cursor> cursors_;
  snippets::SnippetAtBuffers* buffers_;
};

}  // namespace scry
