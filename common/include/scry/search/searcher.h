// Searcher: evaluates a query's Weight (weight.h) over an opened index and
// returns the top k documents by BM25 score (score/bm25.h), exactly.
//
// Scoring: a term scores its BM25 weight in its field, with N, df and avgdl
// of the Weight's statistics: summed over all segments (IndexStatistics),
// so a score does not depend on how the index is split. A phrase scores as
// one term whose tf is the number of places the phrase occurs in the
// document and whose idf is the sum of its terms'. A term's or phrase's
// score is then multiplied by its boost. A Bool scores the sum of the
// clauses the document matches (must_not never scores). Ranking: higher score first; equal scores
// by ascending internal doc id (segment order, then doc id within the segment).
//
// Deleted documents (SegmentReader::is_deleted) never match; the statistics
// still count them until their segment is merged (docs/SEGMENTS.md).
//
// Evaluation is document-at-a-time: scorers are built for each segment from
// the Weight (src/search/scorer_builder.h), pruned by block-max MaxScore: every
// clause has upper bounds of its score, per block of postings and overall
// (from the impacts stored in the index, with this query's k1, b and
// statistics), and documents that cannot enter the top k are skipped or left
// half-scored; the hits and their scores are exactly the exhaustive ones
// (the tests compare them), only total_hits becomes a lower bound unless
// SearchOptions::count_all. Required clauses are evaluated by leapfrogging
// seeks, which skip whole blocks undecoded.
// docs/PRUNING.md has the details.
//
// Thread safety: a Searcher holds no state between calls; search() may run
// concurrently from several threads on one IndexReader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/score/bm25.h"
#include "scry/search/interrupt.h"
#include "scry/search/search_plan.h"
#include "scry/search/term_lookups.h"
#include "scry/search/weight.h"
#include "scry/util/status.h"

namespace scry {

struct SearchOptions {
  Bm25 bm25;             // BM25 parameters of search(PlanNode); a Weight carries its own.
  size_t k = 10;         // Hits to return.
  size_t offset = 0;     // Hits to skip first (paging).
  bool explain = false;  // Fill Hit::explain.
  // Count every matching document (no pruning), so that total_hits is exact.
  bool count_all = false;
  // Checked every few thousand candidates (and once per segment): a query
  // past its time limit or cancelled stops with Status::cancelled().
  // Null: never. Must outlive the call.
  const Interrupt* interrupt = nullptr;
  // The segments searched: [first_segment, end_segment) of the index's
  // (one shard's of a sharded index: IndexReader::shard_segments). Hits keep
  // their numbers among all the index's segments. Default: all.
  size_t first_segment = 0;
  size_t end_segment = SIZE_MAX;
  // The dictionary entries weighing the Weight looked up (term_lookups.h),
  // taken instead of looking them up again; null: none. Must outlive the
  // call.
  const TermLookups* lookups = nullptr;
};

// One scoring leaf's share of a hit's score.
struct TermExplain {
  std::string term;  // The term, or the phrase's terms joined by spaces.
  Field field = Field::kText;
  double idf = 0;
  uint32_t tf = 0;  // Occurrences (phrase occurrences for a phrase).
  uint32_t doc_len = 0;
  double score = 0;  // Its contribution.
};

struct Hit {
  uint32_t segment = 0;  // Index into IndexReader::segments().
  uint32_t doc = 0;      // Doc id within the segment.
  double score = 0;
  std::vector<TermExplain> explain;  // With SearchOptions::explain.
};

struct SearchResult {
  std::vector<Hit> hits;    // At most k, after `offset` better ones.
  uint64_t total_hits = 0;  // Documents matching the query (with total_exact).
  // False when pruning skipped matching documents: total_hits is then a lower
  // bound (at least the hits returned and offset).
  bool total_exact = true;
};

class Searcher {
 public:
  // `index` must outlive the Searcher.
  explicit Searcher(const IndexReader& index);

  // Runs `weight` (made with this index's statistics, or with statistics
  // that include them, such as a sharded collection's). Errors: Corruption
  // (a damaged file met while reading), naming the file.
  Result<SearchResult> search(const Weight& weight, const SearchOptions& options) const;

  // Runs `plan` with this index's own statistics (IndexStatistics): its
  // Weight, then search(). Errors: make_weight()'s and search()'s.
  Result<SearchResult> search(const PlanNode& plan, const SearchOptions& options) const;

 private:
  const IndexReader& index_;
};

}  // namespace scry
