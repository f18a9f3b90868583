#include "scry/engine/engine.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <utility>

#include "engine/hit_snippets.h"
#include "engine/snippet_terms.h"
#include "scry/search/shard_search.h"
#include "scry/search/weight.h"
#include "scry/util/utf8.h"

namespace scry {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Whether `plan` has no term at all (its words were all stop words).
bool no_terms(const PlanNode& plan) {
  return plan.kind == PlanNode::Kind::kNothing ||
         (plan.kind == PlanNode::Kind::kBool && plan.must.empty() && plan.should.empty() &&
          plan.must_not.empty());
}

// Whether `query` has a prefix or fuzzy term: a plan without terms then
// means that no indexed term matched it, not that every word was a stop word.
bool has_pattern(const Query& query) {
  if (query.kind == Query::Kind::kPrefix || query.kind == Query::Kind::kFuzzy) return true;
  for (const auto* list : {&query.must, &query.should, &query.must_not}) {
    for (const Query& clause : *list) {
      if (has_pattern(clause)) return true;
    }
  }
  return false;
}

// The error of a query holding bytes that are not UTF-8 (a Latin-1 query,
// say, which would match nothing), at the first of them; nullopt when it
// is all UTF-8.
std::optional<QueryError> utf8_error(std::string_view query) {
  const size_t valid = valid_utf8_prefix(query);
  if (valid == query.size()) return std::nullopt;
  return QueryError{valid, "invalid UTF-8"};
}

}  // namespace

Engine::Engine(std::unique_ptr<IndexReader> index, double open_ms)
    : index_(std::move(index)),
      open_ms_(open_ms),
      stats_(*index_),
      analyzer_(index_->manifest().analyzer),
      prefix_analyzer_(prefix_analyzer_config(index_->manifest().analyzer)),
      snippet_buffers_(std::make_unique<snippets::SnippetAtBuffers>()) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const std::string& dir) {
  auto start = Clock::now();
  auto index = IndexReader::open(dir);
  double open_ms = ms_since(start);
  if (!index) return index.status();
  return std::unique_ptr<Engine>(new Engine(std::move(index).value(), open_ms));
}

Result<std::string> Engine::suggest(std::string_view query) {
  if (auto invalid = utf8_error(query)) {
    return Status::invalid_argument(query_error_message(query, *invalid));
  }
  if (!speller_ && spell_status_.is_ok()) {
    auto words = WordTable::load(*index_);
    if (!words) {
      spell_status_ = words.status();
    } else {
      words_ = std::move(words).value();
      speller_ = std::make_unique<Speller>(words_.get(), index_->manifest().analyzer);
    }
  }
  if (!spell_status_.is_ok()) return spell_status_;
  return speller_->correct_query(query);
}

Result<std::optional<PlanNode>> Engine::plan(std::string_view query, const QueryOptions& options,
                                             const CollectionStatistics& stats,
                                             const Interrupt& interrupt, Answer* answer,
                                             bool* patterns) {
  PlannerOptions planner;
  planner.title_weight = options.title_weight;
  planner.typos = options.typos;
  planner.interrupt = &interrupt;
  planner.max_terms = options.limits.max_clauses;
  QueryError syntax_error{0, ""};
  if (auto invalid = utf8_error(query)) {  // In either syntax.
    answer->syntax_message = query_error_message(query, *invalid);
    answer->syntax_error = std::move(invalid);
    return std::optional<PlanNode>();
  }
  if (options.plain) {
    auto plan = plan_plain(query, &analyzer_, &prefix_analyzer_, stats, planner,
                           options.limits.max_clauses, &syntax_error);
    if (!plan && syntax_error.message.empty()) return plan.status();  // Not the query's fault.
    if (!plan) {
      answer->syntax_error = syntax_error;
      answer->syntax_message = plan.status().message();
      return std::optional<PlanNode>();
    }
    return std::optional<PlanNode>(std::move(plan).value());
  }
  auto parsed = parse_query(query, options.limits, &syntax_error);
  if (!parsed) {
    answer->syntax_error = syntax_error;
    answer->syntax_message = parsed.status().message();
    return std::optional<PlanNode>();
  }
  if (options.explain) answer->parsed = to_string(*parsed);
  *patterns = has_pattern(*parsed);
  syntax_error = QueryError{0, ""};
  auto plan = plan_query(*parsed, &analyzer_, &prefix_analyzer_, stats, planner, &syntax_error);
  if (!plan && !syntax_error.message.empty()) {
    answer->syntax_error = syntax_error;
    answer->syntax_message = query_error_message(query, syntax_error);
    return std::optional<PlanNode>();
  }
  if (!plan) return plan.status();
  return std::optional<PlanNode>(std::move(plan).value());
}

Result<std::optional<Weight>> Engine::weigh(std::string_view query, const QueryOptions& options,
                                            const CollectionStatistics& stats,
                                            const Interrupt& interrupt, Answer* answer) {
  bool patterns = false;
  auto planned = plan(query, options, stats, interrupt, answer, &patterns);
  if (!planned) return planned.status();
  if (!planned->has_value()) return std::optional<Weight>();
  answer->no_terms = no_terms(**planned) && !patterns;
  auto weight = make_weight(**planned, options.bm25, stats);
  if (!weight) return weight.status();
  return std::optional<Weight>(std::move(weight).value());
}

Status Engine::search_weighed(const Weight& weight, const QueryOptions& options, size_t offset,
                              const Interrupt& interrupt, const TermLookups* lookups,
                              SearchResult* result, Answer* answer) {
  SearchOptions search;
  search.k = options.count_only ? 0 : options.k;
  search.offset = options.count_only ? 0 : offset;
  search.explain = options.explain && !options.count_only;
  search.count_all = options.count_all || options.count_only;
  search.interrupt = &interrupt;
  search.lookups = lookups;
  auto found = search_shards(*index_, weight, search);
  if (!found) return found.status();
  *result = std::move(found).value();
  answer->total_hits = result->total_hits;
  answer->total_exact = result->total_exact;
  return Status::ok();
}

Result<Answer> Engine::answer(std::string_view query, const QueryOptions& options) {
  auto answer = search(query, options);
  if (!answer || !options.did_you_mean || answer->syntax_error) return answer;
  SCRY_RETURN_IF_ERROR(propose(query, options, &*answer));
  return answer;
}

Status Engine::propose(std::string_view query, const QueryOptions& options, Answer* answer) {
  auto corrected = suggest(query);
  if (!corrected) {
    return corrected.status().code() == Status::Code::kNotSupported ? Status::ok()
                                                                    : corrected.status();
  }
  if (*corrected == query) return Status::ok();
  QueryOptions count = options;
  count.count_only = true;
  count.explain = false;
  count.did_you_mean = false;
  auto counted = search(*corrected, count);
  if (!counted) return counted.status();
  if (counted->syntax_error || counted->total_hits == 0) return Status::ok();
  answer->did_you_mean = std::move(corrected).value();
  answer->did_you_mean_hits = counted->total_hits;
  return Status::ok();
}

Result<Answer> Engine::search(std::string_view query, const QueryOptions& options) {
  Answer answer;
  auto start = Clock::now();
  const Interrupt interrupt(options.timeout, options.cancelled);
  // The entries weighing looks up, for the scorers (term_lookups.h).
  TermLookups lookups;
  const IndexStatistics stats(*index_, &lookups);
  auto weight = weigh(query, options, stats, interrupt, &answer);
  if (!weight) return weight.status();
  if (!weight->has_value()) return answer;
  SearchResult result;
  SCRY_RETURN_IF_ERROR(
      search_weighed(**weight, options, options.offset, interrupt, &lookups, &result, &answer));
  answer.search_ms = ms_since(start);
  if (options.count_only) return answer;

  start = Clock::now();
  SCRY_RETURN_IF_ERROR(fetch(&result, **weight, options, &lookups, &answer));
  answer.fetch_ms = ms_since(start);
  return answer;
}

Result<Answer> Engine::record_statistics(std::string_view query, const QueryOptions& options,
                                         StatisticsSnapshot* snapshot) {
  Answer answer;
  const Interrupt interrupt(options.timeout, options.cancelled);
  const RecordingStatistics recording(stats_);
  auto weight = weigh(query, options, recording, interrupt, &answer);
  if (!weight) return weight.status();
  *snapshot = recording.snapshot();
  return answer;
}

Result<Answer> Engine::search_shard(std::string_view query, const QueryOptions& options,
                                    const StatisticsSnapshot& statistics, SearchResult* result) {
  Answer answer;
  auto start = Clock::now();
  const Interrupt interrupt(options.timeout, options.cancelled);
  const SnapshotStatistics stats(statistics);
  auto weight = weigh(query, options, stats, interrupt, &answer);
  if (!weight) return weight.status();
  if (!weight->has_value()) return answer;
  QueryOptions best = options;
  best.k = options.offset + options.k;
  SCRY_RETURN_IF_ERROR(search_weighed(**weight, best, 0, interrupt, nullptr, result, &answer));
  answer.search_ms = ms_since(start);
  return answer;
}

Result<Answer> Engine::fetch_hits(std::string_view query, const QueryOptions& options,
                                  const StatisticsSnapshot& statistics, std::vector<Hit> hits) {
  Answer answer;
  auto start = Clock::now();
  const Interrupt interrupt(options.timeout, options.cancelled);
  const SnapshotStatistics stats(statistics);
  auto weight = weigh(query, options, stats, interrupt, &answer);
  if (!weight) return weight.status();
  if (!weight->has_value()) return answer;
  SearchResult result;
  result.hits = std::move(hits);
  SCRY_RETURN_IF_ERROR(fetch(&result, **weight, options, nullptr, &answer));
  answer.fetch_ms = ms_since(start);
  return answer;
}

Status Engine::fetch(SearchResult* result, const Weight& weight, const QueryOptions& options,
                     const TermLookups* lookups, Answer* answer) {
  const size_t first = answer->hits.size();
  size_t rank = options.offset;
  // What each hit's snippet needs of its meta record, read here for the title.
  std::vector<HitSnippets::BodyStart> starts;
  starts.reserve(result->hits.size());
  for (Hit& hit : result->hits) {
    AnswerHit out;
    out.rank = ++rank;
    out.score = hit.score;
    out.explain = std::move(hit.explain);
    if (options.documents) {
      auto doc = index_->segments()[hit.segment]->document_meta(hit.doc);
      if (!doc) return doc.status();
      out.id = std::move(doc->id);
      out.title = std::move(doc->title);
      out.source = std::move(doc->source);
      starts.push_back({doc->has_checkpoints, doc->body_position});
    }
    answer->hits.push_back(std::move(out));
  }
  if (!options.documents || !options.snippets || result->hits.empty()) return Status::ok();

  // In segment and doc order, so that the postings cursors only move forward.
  const SnippetQuery terms = snippet_terms(weight);
  HitSnippets snippets(*index_, &analyzer_, terms, options.snippet_tokens, snippet_buffers_.get(),
                       lookups);
  std::vector<size_t> order(result->hits.size());
  std::iota(order.begin(), order.end(), size_t{0});
  const auto key = [&](size_t i) {
    return std::pair(result->hits[i].segment, result->hits[i].doc);
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  for (size_t i : order) {
    auto snippet = snippets.make(result->hits[i].segment, result->hits[i].doc, starts[i]);
    if (!snippet) return snippet.status();
    answer->hits[first + i].snippet = std::move(snippet).value();
  }
  return Status::ok();
}

}  // namespace scry
