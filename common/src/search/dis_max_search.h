// A query whose root is a DisMax (a fuzzy word alone: "politics~2", a word
// and its variants) searched clause by clause (docs/PRUNING.md, "A DisMax
// at the root").
//
// A document's score is its best clause's, so the top k of the DisMax is
// the top k of its documents each held at its best clause's score: a
// document of the top k, whose best clause is c, scores at least the k-th
// best score held when c is searched (every held score is some document's
// score or less), so MaxScore over c alone offers it. The clauses are
// searched one after the other, the highest score limit first (a word
// before its variants, boosted 1/2 and 1/3), each with MaxScore over the
// threshold the ones before left, into a TopK that holds a document once
// (TopK's by_document); a clause whose limit cannot lift a document in is
// not even built. Document at a time, every clause's postings would be
// walked in step (DisMaxScorer), however few of them can still matter.
#pragma once

#include <cstdint>

#include "scry/format/index_reader.h"
#include "scry/search/interrupt.h"
#include "scry/search/searcher.h"
#include "scry/search/weight.h"
#include "search/top_k.h"

namespace scry {

// The most any document can score on `w`: each leaf's BM25 limit
// (Bm25::FieldWeight::limit) times its boost, summed over a Bool's required
// and optional clauses, the largest of a DisMax's.
double score_limit(const Weight& w);

// Searches one segment for `dis_max` (a DisMax Weight) clause by clause:
// offers the live documents that may enter to `top`, which must hold a
// document once (TopK's by_document), their global doc ids from `base`.
// Adds to result->total_hits the most matches one clause offered (or
// raises it to the number of documents `top` holds, if more), and clears
// result->total_exact when the DisMax has more than one clause or a
// clause's count was not exact: a lower bound of the matches then.
// The clauses' scorers take the terms' entries from `lookups` where it
// holds them (build_scorer). Errors: the scorers' (Corruption naming the
// file); Cancelled from `interrupt`.
Status dis_max_search(const Weight& dis_max, const SegmentReader& segment, uint64_t base,
                      uint32_t s, TopK* top, SearchResult* result, InterruptCheck* interrupt,
                      const TermLookups* lookups = nullptr);

}  // namespace scry
