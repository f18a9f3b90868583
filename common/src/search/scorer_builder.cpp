#include "search/scorer_builder.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "search/block_bound.h"
#include "search/bool_scorer.h"
#include "search/dis_max_scorer.h"
#include "search/phrase_scorer.h"
#include "search/term_scorer.h"

namespace scry {

namespace {

std::unique_ptr<Scorer> no_scorer() { return std::make_unique<NothingScorer>(); }

// The largest score of a leaf whose postings are bounded by `info`'s
// impacts in the segment (its own for a term, its rarest term's for a
// phrase); +infinity without `bounds`.
// A long list's from the dictionary's impacts; a short one's (df < 128)
// from its postings, read without building their impacts: the same
// maximum, as every posting's score is taken.
Result<double> leaf_max_score(const LeafContext& leaf, const TermInfo& info, bool bounds) {
  if (!bounds) return std::numeric_limits<double>::infinity();
  if (info.df >= kPostingsBlockSize) return BlockBound::max_weight(leaf, info.impacts);
  double max = 0;
  PostingsCursor c = leaf.segment->postings(info, PostingsCursor::Impacts::kSkip);
  for (; c.doc() != PostingsCursor::kEnd; c.next()) {
    max = std::max(max, leaf.score(c.freq(), leaf.length(c.doc())));
  }
  if (!c.status().is_ok()) return c.status();
  return max;
}

// The leaves' builders are kept out of line: build_scorer() recurses once
// per level of the query, and each level should cost little stack
// (query_parser.h, kMaxQueryDepth).
[[gnu::noinline]] Result<std::unique_ptr<Scorer>> term_scorer(const Weight& w,
                                                              const SegmentReader& segment,
                                                              bool bounds,
                                                              const TermLookups* lookups) {
  std::optional<TermInfo> own;
  auto info = find_entry(segment, w.field, w.terms[0], lookups, &own);
  if (!info) return info.status();
  if (*info == nullptr) return no_scorer();
  const LeafContext leaf(w, segment);
  auto max_score = leaf_max_score(leaf, **info, bounds);
  if (!max_score) return max_score.status();
  return std::unique_ptr<Scorer>(std::make_unique<TermScorer>(leaf, **info, *max_score, w.label));
}

[[gnu::noinline]] Result<std::unique_ptr<Scorer>> phrase_scorer(const Weight& w,
                                                                const SegmentReader& segment,
                                                                bool bounds,
                                                                const TermLookups* lookups) {
  std::vector<TermInfo> infos;
  for (const std::string& term : w.terms) {
    std::optional<TermInfo> own;
    auto info = find_entry(segment, w.field, term, lookups, &own);
    if (!info) return info.status();
    if (*info == nullptr) return no_scorer();
    infos.push_back(**info);
  }
  size_t rarest = 0;
  for (size_t i = 1; i < infos.size(); ++i) {
    if (infos[i].df < infos[rarest].df) rarest = i;
  }
  const LeafContext leaf(w, segment);
  auto max_score = leaf_max_score(leaf, infos[rarest], bounds);
  if (!max_score) return max_score.status();
  return std::unique_ptr<Scorer>(
      std::make_unique<PhraseScorer>(leaf, infos, w.offsets, rarest, *max_score, w.label));
}

}  // namespace

Result<std::unique_ptr<Scorer>> build_scorer(const Weight& weight, const SegmentReader& segment,
                                             bool bounds, const TermLookups* lookups) {
  switch (weight.kind) {
    case Weight::Kind::kNothing:
      return no_scorer();
    case Weight::Kind::kTerm:
      return term_scorer(weight, segment, bounds, lookups);
    case Weight::Kind::kPhrase:
      return phrase_scorer(weight, segment, bounds, lookups);
    case Weight::Kind::kDisMax: {
      auto should = build_scorers(weight.should, segment, bounds, lookups);
      if (!should) return should.status();
      return std::unique_ptr<Scorer>(std::make_unique<DisMaxScorer>(std::move(should).value()));
    }
    case Weight::Kind::kBool: {
      auto must = build_scorers(weight.must, segment, bounds, lookups);
      if (!must) return must.status();
      auto should = build_scorers(weight.should, segment, bounds, lookups);
      if (!should) return should.status();
      auto must_not = build_scorers(weight.must_not, segment, bounds, lookups);
      if (!must_not) return must_not.status();
      return std::unique_ptr<Scorer>(std::make_unique<BoolScorer>(
          std::move(must).value(), std::move(should).value(), std::move(must_not).value()));
    }
  }
  return Status::invalid_argument("unknown weight node");
}

Result<ScorerList> build_scorers(const std::vector<Weight>& weights, const SegmentReader& segment,
                                 bool bounds, const TermLookups* lookups) {
  ScorerList out;
  for (const Weight& w : weights) {
    auto s = build_scorer(w, segment, bounds, lookups);
    if (!s) return s.status();
    out.push_back(std::move(s).value());
  }
  return out;
}

}  // namespace scry
