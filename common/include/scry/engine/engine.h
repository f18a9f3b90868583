// Engine: the query pipeline as one API. It opens an index and answers
// query strings: parse (query/query_parser.h) -> plan with the index's
// analyzer (query/planner.h) -> weigh with the collection's statistics
// (search/weight.h) -> top-k search (search/searcher.h) -> the hits' ids,
// titles and sources from the document store -> snippets with highlight
// offsets (snippet/snippet.h). Results are format-independent: printing
// them (text, TSV, JSON lines, TREC) is the caller's job (scry-search's
// searcher/output.h). scry-search, the benchmarks and the fuzzers all
// search through it; docs/ARCHITECTURE.md shows where each step lives.
//
// Thread safety: not thread-safe (it holds analyzers and the document
// store's decompression cache): one Engine per thread, or calls from one
// thread at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/query/planner.h"
#include "scry/query/query_parser.h"
#include "scry/score/bm25.h"
#include "scry/search/collection_statistics.h"
#include "scry/search/searcher.h"
#include "scry/search/statistics_snapshot.h"
#include "scry/search/weight.h"
#include "scry/snippet/snippet.h"
#include "scry/spell/speller.h"
#include "scry/spell/word_table.h"
#include "scry/text/analyzer.h"
#include "scry/util/status.h"

namespace scry {

namespace snippets {
struct SnippetAtBuffers;
}  // namespace snippets

// What one query asks for.
struct QueryOptions {
  Bm25 bm25;
  double title_weight = kDefaultTitleWeight;  // Extra weight of title matches (planner.h).
  TypoTolerance typos;                        // Typo-tolerant words (planner.h); off unless set.
  ParseLimits limits;    // Query size bounds (max_clauses also bounds --plain terms).
  size_t k = 10;         // Hits to return.
  size_t offset = 0;     // Better hits to skip first.
  bool explain = false;  // Per-term score breakdown of each hit, and the parsed query.
  // Read each hit's id, title and source from the document store; false:
  // hits carry their rank, score and explanation only (to time the search
  // alone, as bench/e2e/query_bench --no-snippets does).
  bool documents = true;
  bool snippets = true;        // Make a snippet of each hit (reads its stored text).
  size_t snippet_tokens = 30;  // The snippet's window (make_snippet). REQUIRES: > 0.
  bool count_only = false;     // Only count the matches: no hit, no document read.
  // Count every match (Answer::total_hits exact) instead of pruning the
  // documents that cannot make the top k.
  bool count_all = false;
  bool plain = false;  // The query is plain text, not the query language (plan_plain).
  // Propose a corrected query (Answer::did_you_mean, docs/SPELLING.md).
  bool did_you_mean = false;
  // The query's time limit, from the start of answer() to the end of the
  // search (documents and snippets, bounded by k, are not timed); zero:
  // none. Past it, answer() fails with Cancelled "query timed out after N ms".
  std::chrono::milliseconds timeout{0};
  // Asked every few thousand candidates while the query is planned and
  // searched: true stops it (answer() fails with Cancelled "query
  // cancelled"). Unset: never.
  std::function<bool()> cancelled;
};

struct AnswerHit {
  size_t rank = 0;  // 1 for the best hit of the query, offset included.
  double score = 0;
  std::string id;  // External id.
  std::string title;
  std::string source;
  std::optional<Snippet> snippet;    // Set when QueryOptions::snippets.
  std::vector<TermExplain> explain;  // Set when QueryOptions::explain.
};

struct Answer {
  // Set when the query does not parse; nothing below is then.
  std::optional<QueryError> syntax_error;
  std::string syntax_message;  // Then "query:COLUMN: MESSAGE".
  std::string parsed;          // With QueryOptions::explain: the parsed query (to_string).
  // The query has no term at all: every word is a stop word or symbols
  // (it then matches nothing). Not set when a prefix or fuzzy term matched
  // no indexed term (that is an ordinary query without hits).
  bool no_terms = false;
  uint64_t total_hits = 0;  // Documents matching the query, or a lower
  bool total_exact = true;  // bound of it when this is false (pruned).
  std::vector<AnswerHit> hits;
  // With QueryOptions::did_you_mean: the query with its misspelled words
  // corrected (suggest()), when it differs and matches some document;
  // did_you_mean_hits counts them. Unset when the index has no word
  // dictionary.
  std::optional<std::string> did_you_mean;
  uint64_t did_you_mean_hits = 0;
  double search_ms = 0;  // Parsing, planning, weighing and searching.
  double fetch_ms = 0;   // Reading the hits' documents and making snippets.
};

class Engine {
 public:
  // Opens the index in folder `dir`. Errors: those of IndexReader::open
  // (NotFound, Corruption, NotSupported; they name the file).
  static Result<std::unique_ptr<Engine>> open(const std::string& dir);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  const IndexReader& index() const { return *index_; }
  // Milliseconds IndexReader::open took.
  double open_ms() const { return open_ms_; }

  // Answers `query`. A query that does not parse (or, with `plain`, has too
  // many terms, or whose prefixes expand to too many terms) is not an
  // error: it is an Answer with syntax_error set. Errors: the index's
  // (Corruption naming the file, met while reading); Cancelled when the
  // query ran past options.timeout or options.cancelled stopped it.
  Result<Answer> answer(std::string_view query, const QueryOptions& options);

  // answer() in three steps, for a collection whose shards are held by
  // different processes, this engine's index being one shard (a cluster's
  // dfs_query_then_fetch, docs/DISTRIBUTED.md). Each step returns an Answer
  // with syntax_error set, and nothing else, when the query does not parse
  // (every shard agrees); errors are answer()'s.
  //
  // 1. Plans and weighs `query` with this shard's statistics, recording
  //    every question into *snapshot (RecordingStatistics).
  Result<Answer> record_statistics(std::string_view query, const QueryOptions& options,
                                   StatisticsSnapshot* snapshot);
  // 2. Weighs `query` with `statistics` (every shard's snapshot summed) and
  //    searches this shard for its best options.offset + options.k hits
  //    (none with count_only) into *result, as merge_top_k wants them. The
  //    Answer holds no_terms, total_hits, total_exact and search_ms.
  Result<Answer> search_shard(std::string_view query, const QueryOptions& options,
                              const StatisticsSnapshot& statistics, SearchResult* result);
  // 3. The documents (and snippets, explanations) of `hits`, hits of this
  //    shard found by step 2, in the Answer's hits in the order given, ranked
  //    from options.offset + 1; fetch_ms is set.
  Result<Answer> fetch_hits(std::string_view query, const QueryOptions& options,
                            const StatisticsSnapshot& statistics, std::vector<Hit> hits);

  // `query` with its misspelled words corrected (docs/SPELLING.md); equal to
  // `query` when nothing is better. The index's words are loaded by the
  // first call. Errors: InvalidArgument "query:COLUMN: invalid UTF-8" when
  // `query` holds bytes that are not UTF-8; NotSupported "suggestions
  // unavailable: ..." when a segment has no word dictionary (every call then
  // returns it); Corruption naming the file.
  Result<std::string> suggest(std::string_view query);

 private:
  Engine(std::unique_ptr<IndexReader> index, double open_ms);
  // answer() without the did-you-mean proposal.
  Result<Answer> search(std::string_view query, const QueryOptions& options);
  // Sets answer->did_you_mean (QueryOptions::did_you_mean).
  Status propose(std::string_view query, const QueryOptions& options, Answer* answer);

  // The plan of `query` with `stats`; nullopt (with `answer`'s syntax
  // fields set) when it does not parse. `*patterns` tells whether the query
  // has a prefix or fuzzy term.
  Result<std::optional<PlanNode>> plan(std::string_view query, const QueryOptions& options,
                                       const CollectionStatistics& stats,
                                       const Interrupt& interrupt, Answer* answer, bool* patterns);
  // The Weight of `query` with `stats` (plan() then make_weight); nullopt
  // when it does not parse, as plan(). Sets answer->no_terms.
  Result<std::optional<Weight>> weigh(std::string_view query, const QueryOptions& options,
                                      const CollectionStatistics& stats, const Interrupt& interrupt,
                                      Answer* answer);
  // Searches the whole index for `options`' hits, the first `offset` of
  // them skipped, into *result; sets answer's totals. The scorers take the
  // dictionary entries weighing recorded in `lookups` (may be null).
  Status search_weighed(const Weight& weight, const QueryOptions& options, size_t offset,
                        const Interrupt& interrupt, const TermLookups* lookups,
                        SearchResult* result, Answer* answer);
  // Fills the hits of `answer` from `result` (taking their explanations):
  // documents and snippets, the snippets' terms' entries taken from
  // `lookups` where it holds them (may be null).
  Status fetch(SearchResult* result, const Weight& weight, const QueryOptions& options,
               const TermLookups* lookups, Answer* answer);

  std::unique_ptr<IndexReader> index_;
  double open_ms_;
  IndexStatistics stats_;
  Analyzer analyzer_;
  Analyzer prefix_analyzer_;  // The index's settings without stemming or stop list.
  // Loaded by the first suggest(); spell_status_ keeps its error.
  std::unique_ptr<WordTable> words_;
  std::unique_ptr<Speller> speller_;
  Status spell_status_;
  // The snippets' working memory, kept from query to query: its buffers
  // keep their capacity, so a query's hits allocate nothing in them.
  std::unique_ptr<snippets::SnippetAtBuffers> snippet_buffers_;
};

}  // namespace scry
