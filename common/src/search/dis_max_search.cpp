#include "search/dis_max_search.h"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "search/max_score.h"
#include "search/scorer_builder.h"

namespace scry {

double score_limit(const Weight& w) {
  switch (w.kind) {
    case Weight::Kind::kNothing:
      return 0;
    case Weight::Kind::kTerm:
    case Weight::Kind::kPhrase:
      return w.boost * w.bm25.limit(w.idf);
    case Weight::Kind::kDisMax: {
      double best = 0;
      for (const Weight& c : w.should) best = std::max(best, score_limit(c));
      return best;
    }
    case Weight::Kind::kBool: {
      double sum = 0;
      for (const auto* list : {&w.must, &w.should}) {
        for (const Weight& c : *list) sum += score_limit(c);
      }
      return sum;
    }
  }
  return 0;
}

namespace {

// The MaxScore clauses of a DisMax's clause `w`: a title pair as its two
// leaves side by side (search_plan.h, is_title_pair: same matches, and the
// same sum, text then title), so that MaxScore collects their postings a
// window at a time as for a word alone; any other clause as one.
Result<ScorerList> clause_scorers(const Weight& w, const SegmentReader& segment,
                                  const TermLookups* lookups) {
  if (is_title_pair(w)) {
    ScorerList leaves;
    for (const Weight* leaf : {&w.must[0], &w.should[0]}) {
      auto scorer = build_scorer(*leaf, segment, true, lookups);
      if (!scorer) return scorer.status();
      leaves.push_back(std::move(scorer).value());
    }
    return leaves;
  }
  auto scorer = build_scorer(w, segment, true, lookups);
  if (!scorer) return scorer.status();
  ScorerList one;
  one.push_back(std::move(scorer).value());
  return one;
}

}  // namespace

Status dis_max_search(const Weight& dis_max, const SegmentReader& segment, uint64_t base,
                      uint32_t s, TopK* top, SearchResult* result, InterruptCheck* interrupt,
                      const TermLookups* lookups) {
  const std::vector<Weight>& clauses = dis_max.should;
  std::vector<std::pair<double, size_t>> order;  // (limit, clause), highest limit first.
  order.reserve(clauses.size());
  for (size_t i = 0; i < clauses.size(); ++i) order.emplace_back(score_limit(clauses[i]), i);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  uint64_t most = 0;
  bool exact = clauses.size() <= 1;
  size_t searched = 0;
  for (; searched < order.size(); ++searched) {
    const auto& [limit, i] = order[searched];
    // The clauses after it have lower limits still.
    if (cannot_enter(limit, top->threshold())) break;
    if (!interrupt->now()) return interrupt->status();
    auto scorers = clause_scorers(clauses[i], segment, lookups);
    if (!scorers) return scorers.status();
    SearchResult counted;
    SCRY_RETURN_IF_ERROR(max_score_search(std::move(scorers).value(), {}, segment.deletions(), base,
                                          s, top, &counted, &exact, interrupt));
    most = std::max(most, counted.total_hits);
  }
  // Both are lower bounds of the matches so far: the most one clause
  // offered in this segment added to the count before it, and the
  // documents held, which are distinct matches.
  result->total_hits = std::max<uint64_t>(result->total_hits + most, top->size());
  if (!exact || searched < order.size()) result->total_exact = false;
  return Status::ok();
}

}  // namespace scry
