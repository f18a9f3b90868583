#include "session.h"

#include <chrono>
#include <utility>

#include "scry/query/planner.h"

namespace scry {

namespace {

constexpr size_t kSnippetTokens = 30;

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

Session::Session(std::unique_ptr<IndexReader> index, double open_ms)
    : index_(std::move(index)),
      open_ms_(open_ms),
      searcher_(*index_),
      analyzer_(index_->manifest().analyzer),
      prefix_analyzer_(prefix_analyzer_config(index_->manifest().analyzer)) {}

Result<std::unique_ptr<Session>> Session::open(const std::string& dir) {
  auto start = Clock::now();
  auto index = IndexReader::open(dir);
  double open_ms = ms_since(start);
  if (!index) return index.status();
  return std::unique_ptr<Session>(new Session(std::move(index).value(), open_ms));
}

Result<Answer> Session::answer(std::string_view query, const QuerySettings& settings) {
  Answer answer;
  auto start = Clock::now();
  Result<PlanNode> plan = PlanNode();
  PlannerOptions planner;
  planner.title_weight = settings.title_weight;
  QueryError syntax_error{0, ""};
  if (settings.plain) {
    plan = plan_plain(query, &analyzer_, planner, settings.limits.max_clauses, &syntax_error);
    if (!plan) {
      answer.syntax_error = syntax_error;
      answer.syntax_message = plan.status().message();
      return answer;
    }
  } else {
    auto parsed = parse_query(query, settings.limits, &syntax_error);
    if (!parsed) {
      answer.syntax_error = syntax_error;
      answer.syntax_message = parsed.status().message();
      return answer;
    }
    if (settings.explain) answer.parsed = to_string(*parsed);
    plan = plan_query(*parsed, &analyzer_, &prefix_analyzer_, searcher_, planner);
    if (!plan) return plan.status();
  }
  SearchOptions options;
  options.bm25 = settings.bm25;
  options.k = settings.count_only ? 0 : settings.k;
  options.offset = settings.count_only ? 0 : settings.offset;
  options.explain = settings.explain && !settings.count_only;
  options.count_all = settings.count_all || settings.count_only;
  auto result = searcher_.search(*plan, options);
  if (!result) return result.status();
  answer.total_hits = result->total_hits;
  answer.total_exact = result->total_exact;
  answer.search_ms = ms_since(start);
  if (settings.count_only) return answer;

  start = Clock::now();
  std::optional<SnippetQuery> snippet_terms;
  if (settings.snippets && !result->hits.empty()) {
    auto terms = snippet_query(*plan, searcher_);
    if (!terms) return terms.status();
    snippet_terms = std::move(terms).value();
  }
  size_t rank = settings.offset;
  for (Hit& hit : result->hits) {
    const SegmentReader& segment = *index_->segments()[hit.segment];
    auto doc = snippet_terms ? segment.document(hit.doc) : segment.document_meta(hit.doc);
    if (!doc) return doc.status();
    AnswerHit out;
    out.rank = ++rank;
    out.score = hit.score;
    out.id = std::move(doc->id);
    out.title = std::move(doc->title);
    out.source = std::move(doc->source);
    if (snippet_terms) {
      out.snippet = make_snippet(&analyzer_, doc->body, *snippet_terms, kSnippetTokens);
    }
    out.explain = std::move(hit.explain);
    answer.hits.push_back(std::move(out));
  }
  answer.fetch_ms = ms_since(start);
  return answer;
}

}  // namespace scry
