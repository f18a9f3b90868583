#include "scry/search/searcher.h"

#include <algorithm>
#include <utility>

#include "scry/search/collection_statistics.h"
#include "search/dis_max_search.h"
#include "search/max_score.h"
#include "search/scorer.h"
#include "search/scorer_builder.h"
#include "search/top_k.h"

namespace scry {

namespace {

// Every matching live document of one segment, offered to `top`.
Status exhaustive(Scorer& root, const Deletions& deleted, uint64_t base, uint32_t segment,
                  TopK* top, SearchResult* result, InterruptCheck* interrupt) {
  // Counted here, in a register, and told to `interrupt` in batches: the
  // loop stays as fast as without it.
  constexpr uint32_t kBatch = 1024;
  uint32_t docs = 0;
  for (; root.doc() != kEnd; root.next()) {
    if (++docs == kBatch) {
      docs = 0;
      if (!interrupt->tick(kBatch)) return interrupt->status();
    }
    if (deleted.contains(root.doc())) continue;
    ++result->total_hits;
    top->offer({root.score(), base + root.doc(), segment, root.doc()});
  }
  return root.status();
}

// Whether MaxScore runs over the Weight's clauses: a Bool of optional
// clauses (and exclusions) only. Any other Weight runs as one clause.
bool disjunction(const Weight& weight) {
  return weight.kind == Weight::Kind::kBool && weight.must.empty();
}

// The DisMax that the pruned search takes clause by clause
// (dis_max_search.h): the Weight's root, or the one clause of Bools of one
// optional clause each (which score as it does); nullptr when there is none.
const Weight* dis_max_root(const Weight& weight) {
  const Weight* w = &weight;
  while (w->kind == Weight::Kind::kBool && w->must.empty() && w->must_not.empty() &&
         w->should.size() == 1) {
    w = &w->should[0];
  }
  return w->kind == Weight::Kind::kDisMax ? w : nullptr;
}

// The pruned search of one segment.
Status pruned(const Weight& weight, const SegmentReader& segment, uint64_t base, uint32_t s,
              TopK* top, SearchResult* result, InterruptCheck* interrupt,
              const TermLookups* lookups) {
  if (const Weight* dis_max = dis_max_root(weight)) {
    return dis_max_search(*dis_max, segment, base, s, top, result, interrupt, lookups);
  }
  ScorerList clauses, excluded;
  if (disjunction(weight)) {
    auto should = build_scorers(weight.should, segment, true, lookups);
    if (!should) return should.status();
    auto must_not = build_scorers(weight.must_not, segment, true, lookups);
    if (!must_not) return must_not.status();
    clauses = std::move(should).value();
    excluded = std::move(must_not).value();
  } else {
    auto scorer = build_scorer(weight, segment, true, lookups);
    if (!scorer) return scorer.status();
    clauses.push_back(std::move(scorer).value());
  }
  return max_score_search(std::move(clauses), std::move(excluded), segment.deletions(), base, s,
                          top, result, &result->total_exact, interrupt);
}

// The scoring leaves' shares of `hit`'s score.
Status explain(const Weight& weight, const SegmentReader& segment, const TermLookups* lookups,
               Hit* hit) {
  auto scorer = build_scorer(weight, segment, false, lookups);
  if (!scorer) return scorer.status();
  (*scorer)->seek(hit->doc);
  if ((*scorer)->doc() == hit->doc) (*scorer)->explain(&hit->explain);
  return Status::ok();
}

}  // namespace

Searcher::Searcher(const IndexReader& index) : index_(index) {}

Result<SearchResult> Searcher::search(const Weight& weight, const SearchOptions& options) const {
  const bool prune = !options.count_all && options.k + options.offset > 0;
  TopK top(options.k + options.offset, prune && dis_max_root(weight) != nullptr);
  SearchResult result;
  uint64_t base = 0;
  for (size_t s = 0; s < options.first_segment && s < index_.segments().size(); ++s) {
    base += index_.segments()[s]->doc_count();
  }
  InterruptCheck interrupt(options.interrupt);
  const size_t end = std::min(options.end_segment, index_.segments().size());
  for (auto s = static_cast<uint32_t>(options.first_segment); s < end; ++s) {
    const SegmentReader& segment = *index_.segments()[s];
    if (!interrupt.now()) return interrupt.status();
    if (prune) {
      SCRY_RETURN_IF_ERROR(
          pruned(weight, segment, base, s, &top, &result, &interrupt, options.lookups));
    } else {
      auto scorer = build_scorer(weight, segment, false, options.lookups);
      if (!scorer) return scorer.status();
      SCRY_RETURN_IF_ERROR(
          exhaustive(**scorer, segment.deletions(), base, s, &top, &result, &interrupt));
    }
    base += segment.doc_count();
  }
  std::vector<Candidate> best = top.take();
  for (size_t i = options.offset; i < best.size(); ++i) {
    Hit hit{best[i].segment, best[i].doc, best[i].score, {}};
    if (options.explain) {
      SCRY_RETURN_IF_ERROR(explain(weight, *index_.segments()[hit.segment], options.lookups, &hit));
    }
    result.hits.push_back(std::move(hit));
  }
  return result;
}

Result<SearchResult> Searcher::search(const PlanNode& plan, const SearchOptions& options) const {
  auto weight = make_weight(plan, options.bm25, IndexStatistics(index_));
  if (!weight) return weight.status();
  return search(*weight, options);
}

}  // namespace scry
