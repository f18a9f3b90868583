// Planner: from a parsed Query to a SearchPlan, using the index's analyzer.
//
//   * A word is analyzed with the index's analyzer (manifest settings). No
//     term (a stop word, a lone symbol): the word is left out of its query,
//     required or not, as Lucene's QueryParser does (a query of only such
//     words matches nothing); one term: a term; several ("GLM-4.7" -> glm
//     4.7): a phrase of them. Phrases follow the same rule.
//   * A phrase's text is analyzed into its terms, at their analyzed
//     positions (a left-out stop word leaves a gap the document must have
//     too); one term is a term.
//   * With a title weight w > 0, every term and phrase of the text field
//     also scores w times its BM25 score in the title field where it occurs
//     there (with_title in planner.cpp): title words count 1 + w times.
//   * A prefix is normalised without stemming and expanded to the terms of
//     the field that start with it in the collection (CollectionStatistics),
//     at most `max_prefix_terms`, the most frequent first (ties in byte
//     order); it becomes a should-Bool of those terms. When the
//     prefix text holds several tokens ("glm-4*"), the tokens before the
//     last are required terms and only the last is expanded. The terms of
//     one prefix are marked (PlanNode::blend) to be scored with one idf.
//     Across the whole query, prefixes expand to at most `max_expansions`
//     terms (Lucene's max clause count, 1,024): past it, the query is
//     refused ("prefixes expand to too many terms (limit N)", at the
//     prefix that went past it).
//   * A fuzzy term (word~N) is normalised without stemming, like a prefix,
//     and expanded to the terms of the field within N edits of it
//     (CollectionStatistics::fuzzy_terms; a transposition is one edit),
//     and, when the index stems it to another term, so is that stem (each
//     term at the smaller distance). At most
//     `max_fuzzy_terms`: the smallest distance first, then the most
//     frequent, then byte order. Its terms share one blended idf like a
//     prefix's, and a term at distance d has boost 1 / (1 + d), so that a
//     variant scores less than the word meant at the same tf. Its terms
//     count towards `max_expansions` ("fuzzy terms and prefixes expand to
//     too many terms (limit N)" past it). Several tokens ("glm-4~1"): the
//     first are required terms, only the last is fuzzy.
//   * With typo tolerance (options.typos), a plain word (not a phrase,
//     prefix or fuzzy term) long enough for 1 or 2 edits that is one term
//     without a digit also matches its variants: the term OR the terms
//     within those edits (as a fuzzy term finds them, the term itself left
//     out), the term with its own idf and boost, the variants with one
//     blended idf and boost 1 / (1 + d), so the exact word ranks first at
//     equal tf. Past max_expansions a word stays exact (no error).
//   * Repeated clauses are merged: a word, phrase or prefix found several
//     times among the required or the optional clauses of one Bool is
//     planned once, its boosts multiplied by the number of times (so it
//     counts again, as in plan_plain, and a repeated prefix is expanded
//     once); an excluded one is kept once. Optional leaves that analyze to
//     the same term or phrase ("Oil oil") are merged the same way. Matches
//     are unchanged; a score is the same sum, up to rounding.
// Thread safety: not thread-safe (uses the Analyzers passed in).
#pragma once

#include <cstddef>
#include <string_view>

#include "scry/query/query.h"
#include "scry/query/query_parser.h"
#include "scry/search/collection_statistics.h"
#include "scry/search/interrupt.h"
#include "scry/search/search_plan.h"
#include "scry/text/analyzer.h"
#include "scry/util/status.h"

namespace scry {

// scry-search's title weight unless set (chosen on the relevance
// collections, docs/RELEVANCE.md).
constexpr double kDefaultTitleWeight = 0.5;

// Typo tolerance (scry-search --typos, docs/QUERY.md "Typo tolerance"): a
// plain word of at least `one` characters (code points, once normalised)
// also matches the terms one edit away, of at least `two` characters two
// edits away, as Meilisearch's rule (5 and 9 there). 0: never.
struct TypoTolerance {
  size_t one = 0;
  size_t two = 0;
  bool enabled() const { return one > 0 || two > 0; }
};

// Meilisearch's thresholds, scry-search --typos without a value.
inline constexpr TypoTolerance kDefaultTypos{5, 9};

struct PlannerOptions {
  size_t max_prefix_terms = 128;  // Terms one prefix expands to, at most.
  size_t max_fuzzy_terms = 50;    // Terms one fuzzy term expands to (Lucene's 50).
  size_t max_expansions = 1024;   // Terms all the prefixes and fuzzy terms of a query expand to.
  // Terms all the words and phrases of a query analyze to (a phrase counts
  // each of its words; the parser's limit counts it once).
  size_t max_terms = 1024;
  double title_weight = 0;  // Extra weight of title matches; 0: none.
  TypoTolerance typos;      // Off unless set.
  // Checked as clauses are planned and after each prefix expansion; null:
  // never. Must outlive the call.
  const Interrupt* interrupt = nullptr;
};

// The configuration of the analyzer for prefixes, from the index's:
// prefixes are matched against terms as written, so no stemming and no stop
// list ("a*" expands to every term starting with "a").
AnalyzerConfig prefix_analyzer_config(AnalyzerConfig index_config);

// `analyzer` must have the index's configuration; `prefix_analyzer`
// prefix_analyzer_config() of it; `stats` gives the terms prefixes expand
// to. Errors: those of `stats` (reading a dictionary); Cancelled (the
// interrupt); InvalidArgument "prefixes expand to too many terms (limit N)"
// past max_expansions, or "too many terms (limit N)" past max_terms, also
// in *error (when not null) with the byte position of the prefix, word or
// phrase (Query::position), for a caret display.
Result<PlanNode> plan_query(const Query& query, Analyzer* analyzer, Analyzer* prefix_analyzer,
                            const CollectionStatistics& stats, const PlannerOptions& options = {},
                            QueryError* error = nullptr);

// The plan of a plain-text query (scry-search --plain): every distinct term
// the analyzer finds in `text`, as should clauses of one Bool in the order
// they first occur; a term found q times has boost q, so a repeated word
// counts again (as Lucene's BooleanQuery rewrite does with repeated
// clauses). No query syntax: natural-language sentences never fail to
// parse. The only error: more than `max_terms` distinct terms,
// InvalidArgument "query:COLUMN: too many terms (limit N)" at the first
// term past the limit (also in *error when not null), as parse_query says it.
Result<PlanNode> plan_plain(std::string_view text, Analyzer* analyzer,
                            const PlannerOptions& options = {}, size_t max_terms = 1024,
                            QueryError* error = nullptr);
// The same, each word made typo-tolerant as plan_query makes a word when
// options.typos is enabled (its variants from `stats`, normalised with
// `prefix_analyzer`); errors also those of `stats` and the interrupt.
Result<PlanNode> plan_plain(std::string_view text, Analyzer* analyzer, Analyzer* prefix_analyzer,
                            const CollectionStatistics& stats, const PlannerOptions& options,
                            size_t max_terms = 1024, QueryError* error = nullptr);

}  // namespace scry
