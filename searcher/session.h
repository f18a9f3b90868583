// Session: an opened index and everything needed to answer queries on it —
// the parser, the planner with the index's own analyzer settings, the
// searcher, the document store and the snippets. The three ways into
// scry-search (one query, lines on stdin, the REPL) share it.
//
// Thread safety: not thread-safe (one Session per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/score/bm25.h"
#include "scry/search/searcher.h"
#include "scry/query/planner.h"
#include "scry/query/query_parser.h"
#include "scry/snippet/snippet.h"
#include "scry/text/analyzer.h"
#include "scry/util/status.h"

namespace scry {

// What one query asks for.
struct QuerySettings {
  Bm25 bm25;
  double title_weight = kDefaultTitleWeight;  // Extra weight of title matches (planner.h).
  ParseLimits limits;  // Query size bounds (max_clauses also bounds --plain terms).
  size_t k = 10;            // Hits to return.
  size_t offset = 0;        // Better hits to skip first.
  bool explain = false;     // Per-term score breakdown of each hit.
  bool snippets = true;     // Make a snippet of each hit (reads its stored text).
  bool count_only = false;  // Only count the matches: no hit, no document read.
  // Count every match (Answer::total_hits exact) instead of pruning the
  // documents that cannot make the top k.
  bool count_all = false;
  bool plain = false;       // The query is plain text, not the query language.
};

struct AnswerHit {
  size_t rank = 0;  // 1 for the best hit of the query, offset included.
  double score = 0;
  std::string id;  // External id.
  std::string title;
  std::string source;
  std::optional<Snippet> snippet;    // Set when QuerySettings::snippets.
  std::vector<TermExplain> explain;  // Set when QuerySettings::explain.
};

struct Answer {
  // Set when the query does not parse; nothing below is then.
  std::optional<QueryError> syntax_error;
  std::string syntax_message;  // Then "query:COLUMN: MESSAGE".
  std::string parsed;          // With QuerySettings::explain: the parsed query (to_string).
  uint64_t total_hits = 0;     // Documents matching the query, or a lower
  bool total_exact = true;     // bound of it when this is false (pruned).
  std::vector<AnswerHit> hits;
  double search_ms = 0;  // Parsing, planning and searching.
  double fetch_ms = 0;   // Reading the hits' documents and making snippets.
};

class Session {
 public:
  // Opens the index in folder `dir`. Errors: those of IndexReader::open
  // (they name the file).
  static Result<std::unique_ptr<Session>> open(const std::string& dir);

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const IndexReader& index() const { return *index_; }
  // Milliseconds IndexReader::open took.
  double open_ms() const { return open_ms_; }

  // Answers `query`. A syntax error is an Answer with syntax_error set; an
  // error is the index's (Corruption naming the file, met while reading).
  Result<Answer> answer(std::string_view query, const QuerySettings& settings);

 private:
  Session(std::unique_ptr<IndexReader> index, double open_ms);

  std::unique_ptr<IndexReader> index_;
  double open_ms_;
  Searcher searcher_;
  Analyzer analyzer_;
  Analyzer prefix_analyzer_;  // The index's settings without stemming or stop list.
};

}  // namespace scry
