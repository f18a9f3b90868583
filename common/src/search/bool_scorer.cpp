#include "search/bool_scorer.h"

#include <algorithm>
#include <utility>

#include "search/leapfrog.h"
#include "search/max_score.h"

namespace scry {

BoolScorer::BoolScorer(ScorerList must, ScorerList should, ScorerList must_not)
    : must_(std::move(must)), should_(std::move(should)), must_not_(std::move(must_not)) {
  for (auto& m : must_) {
    auto* bool_scorer = dynamic_cast<BoolScorer*>(m.get());
    if (bool_scorer == nullptr || !bool_scorer->conjunction()) {
      required_.push_back(m.get());
      continue;
    }
    required_.insert(required_.end(), bool_scorer->required_.begin(), bool_scorer->required_.end());
    nested_.push_back(bool_scorer);
    nested_.insert(nested_.end(), bool_scorer->nested_.begin(), bool_scorer->nested_.end());
  }
  if (must_.empty() && should_.empty()) return;  // Matches nothing.
  settle(0);
}

void BoolScorer::next() {
  if (doc_ == kEnd) return;
  if (must_.empty()) {
    for (auto& s : should_) {
      if (s->doc() == doc_) s->next();
    }
    settle(0);
  } else {
    required_[0]->next();
    settle(required_[0]->doc());
  }
}

void BoolScorer::seek(uint32_t target) {
  if (doc_ == kEnd || doc_ >= target) return;
  if (must_.empty()) {
    for (auto& s : should_) s->seek(target);
  }
  settle(target);
}

double BoolScorer::score() {
  double sum = 0;
  for (auto& m : must_) sum += m->score();
  for (auto& s : should_) {
    s->seek(doc_);
    if (s->doc() == doc_) sum += s->score();
  }
  return sum;
}

double BoolScorer::max_score() const {
  double sum = 0;
  for (const auto* list : {&must_, &should_}) {
    for (const auto& c : *list) sum += c->max_score();
  }
  return sum;
}

void BoolScorer::shallow_seek(uint32_t target) {
  for (const auto* list : {&must_, &should_}) {
    for (const auto& c : *list) c->shallow_seek(target);
  }
}

uint32_t BoolScorer::block_end() const {
  uint32_t end = kEnd;
  for (const auto* list : {&must_, &should_}) {
    for (const auto& c : *list) end = std::min(end, c->block_end());
  }
  return end;
}

double BoolScorer::block_max() const {
  double sum = 0;
  for (const auto* list : {&must_, &should_}) {
    for (const auto& c : *list) sum += c->block_max();
  }
  return sum;
}

bool BoolScorer::set_min_competitive(double others, double threshold) {
  if (must_.empty()) return false;
  if (!pruning_) {
    // The lead: the leaf that bounds the most, whose own score then leaves
    // the least to the others' bounds.
    auto lead = std::max_element(required_.begin(), required_.end(), [](Scorer* a, Scorer* b) {
      return a->max_score() < b->max_score();
    });
    std::iter_swap(required_.begin(), lead);
    pruning_ = true;
  }
  others_ = others;
  threshold_ = threshold;
  return true;
}

void BoolScorer::bound_others(uint32_t doc) {
  others_end_ = kEnd;
  others_max_ = 0;
  const auto bound = [&](Scorer* c) {
    c->shallow_seek(doc);
    others_end_ = std::min(others_end_, c->block_end());
    const double max = c->block_max();
    others_max_ += max;
    return max;
  };
  for (size_t i = 1; i < required_.size(); ++i) bound(required_[i]);
  optional_.clear();
  for (auto& s : should_) optional_.push_back({s.get(), bound(s.get()), 0});
  for (BoolScorer* b : nested_) {
    for (auto& s : b->should_) optional_.push_back({s.get(), bound(s.get()), 0});
  }
  // The largest bounds first; rest: the bounds from each one on.
  std::sort(optional_.begin(), optional_.end(),
            [](const Optional& a, const Optional& b) { return a.block_max > b.block_max; });
  double rest = 0;
  for (size_t i = optional_.size(); i-- > 0;) optional_[i].rest = rest += optional_[i].block_max;
  others_bounded_ = true;
}

uint32_t BoolScorer::competitive_leapfrog(uint32_t target) {
  Scorer& lead = *required_[0];
  for (;;) {
    lead.seek(target);
    const uint32_t d = lead.doc();
    if (d == kEnd) return kEnd;
    // Only where the required clauses hold most of the lead's documents:
    // elsewhere the leapfrog's jumps skip more than bounds would.
    const bool dense = 2 * held_ > sought_;
    if (dense) {
      if (!others_bounded_ || d > others_end_) bound_others(d);
      double bound = lead.score() + others_max_ + others_;
      bool competitive = !cannot_enter(bound, threshold_);
      for (size_t i = 0; competitive && i < optional_.size(); ++i) {
        // Sought only while scoring the clauses left could still drop d.
        if (!cannot_enter(bound - optional_[i].rest, threshold_)) break;
        Scorer& s = *optional_[i].scorer;
        bound -= optional_[i].block_max;
        s.seek(d);
        if (s.doc() == d) bound += s.score();
        competitive = !cannot_enter(bound, threshold_);
      }
      if (!competitive) {
        target = d + 1;
        continue;
      }
    }
    const uint32_t agreed = leapfrog(required_, d);
    ++sought_;
    held_ += agreed == d;
    if (agreed == d || agreed == kEnd || !dense) return agreed;
    target = agreed;  // The lead stands there: its bound is checked first.
  }
}

void BoolScorer::explain(std::vector<TermExplain>* out) {
  for (auto& m : must_) m->explain(out);
  for (auto& s : should_) {
    s->seek(doc_);
    if (s->doc() == doc_) s->explain(out);
  }
}

Status BoolScorer::status() const {
  for (const auto* list : {&must_, &should_, &must_not_}) {
    for (const auto& s : *list) SCRY_RETURN_IF_ERROR(s->status());
  }
  return Status::ok();
}

void BoolScorer::settle(uint32_t target) {
  for (;;) {
    const uint32_t d = must_.empty() ? min_should()
                       : pruning_    ? competitive_leapfrog(target)
                                     : leapfrog(required_, target);
    if (d == kEnd) {
      doc_ = kEnd;
      return;
    }
    if (!any_at(must_not_, d)) {
      for (BoolScorer* b : nested_) b->doc_ = d;
      doc_ = d;
      return;
    }
    if (must_.empty()) {
      for (auto& s : should_) {
        if (s->doc() == d) s->next();
      }
    } else {
      required_[0]->next();
    }
    target = d + 1;
  }
}

uint32_t BoolScorer::min_should() const {
  uint32_t d = kEnd;
  for (const auto& s : should_) d = std::min(d, s->doc());
  return d;
}

}  // namespace scry
