#include "search/phrase_scorer.h"

#include <utility>

#include "search/leapfrog.h"

namespace scry {

PhraseScorer::PhraseScorer(const LeafContext& ctx, const std::vector<TermInfo>& infos,
                           std::vector<uint32_t> offsets, size_t rarest, double max_score,
                           std::string label)
    : ctx_(ctx),
      offsets_(std::move(offsets)),
      rarest_(rarest),
      bound_(ctx, max_score),
      label_(std::move(label)) {
  for (const TermInfo& info : infos) cursors_.push_back(ctx.segment->postings(info));
  positions_.resize(cursors_.size());
  advance(0);
}

void PhraseScorer::explain(std::vector<TermExplain>* out) {
  out->push_back({label_, ctx_.field, ctx_.idf, phrase_tf_, ctx_.length(doc_), score()});
}

Status PhraseScorer::status() const {
  for (const auto& c : cursors_) {
    if (!c.status().is_ok()) return c.status();
  }
  return status_;
}

void PhraseScorer::advance(uint32_t target) {
  for (;;) {
    const uint32_t d = leapfrog(cursors_, target);
    if (d == kEnd) {
      doc_ = kEnd;
      return;
    }
    phrase_tf_ = count_phrases();
    if (phrase_tf_ > 0 || !status_.is_ok()) {
      doc_ = status_.is_ok() ? d : kEnd;
      return;
    }
    target = d + 1;
  }
}

uint32_t PhraseScorer::count_phrases() {
  for (size_t i = 0; i < cursors_.size(); ++i) {
    Status s = cursors_[i].positions(&positions_[i]);
    if (!s.is_ok()) {
      status_ = s;
      return 0;
    }
  }
  uint32_t count = 0;
  at_.assign(cursors_.size(), 0);  // Keeps its capacity: no allocation per document.
  for (uint32_t start : positions_[0]) {
    bool all = true;
    for (size_t i = 1; i < cursors_.size() && all; ++i) {
      const auto& p = positions_[i];
      const uint64_t want = uint64_t{start} + offsets_[i];
      while (at_[i] < p.size() && p[at_[i]] < want) ++at_[i];
      all = at_[i] < p.size() && p[at_[i]] == want;
    }
    if (all) ++count;
  }
  return count;
}

}  // namespace scry
