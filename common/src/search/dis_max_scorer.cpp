#include "search/dis_max_scorer.h"

#include <algorithm>
#include <utility>

#include "search/max_score.h"

namespace scry {

DisMaxScorer::DisMaxScorer(ScorerList clauses) : clauses_(std::move(clauses)) {
  for (auto& c : clauses_) active_.push_back(c.get());
  settle();
}

void DisMaxScorer::next() {
  if (doc_ == kEnd) return;
  for (Scorer* c : active_) {
    if (c->doc() == doc_) c->next();
  }
  settle();
}

void DisMaxScorer::seek(uint32_t target) {
  if (doc_ == kEnd || doc_ >= target) return;
  for (Scorer* c : active_) c->seek(target);
  settle();
}

double DisMaxScorer::score() {
  double best = 0;
  bool any = false;
  for (Scorer* c : active_) {
    if (c->doc() != doc_) continue;
    const double s = c->score();
    if (!any || s > best) best = s;
    any = true;
  }
  return best;
}

double DisMaxScorer::max_score() const {
  double best = 0;
  for (const Scorer* c : active_) best = std::max(best, c->max_score());
  return best;
}

void DisMaxScorer::shallow_seek(uint32_t target) {
  for (Scorer* c : active_) c->shallow_seek(target);
}

uint32_t DisMaxScorer::block_end() const {
  uint32_t end = kEnd;
  for (const Scorer* c : active_) end = std::min(end, c->block_end());
  return end;
}

double DisMaxScorer::block_max() const {
  double best = 0;
  for (const Scorer* c : active_) best = std::max(best, c->block_max());
  return best;
}

bool DisMaxScorer::set_min_competitive(double others, double threshold) {
  const size_t before = active_.size();
  std::erase_if(active_,
                [&](const Scorer* c) { return cannot_enter(c->max_score() + others, threshold); });
  if (active_.size() == before) return false;
  settle();
  return true;
}

void DisMaxScorer::explain(std::vector<TermExplain>* out) {
  Scorer* best = nullptr;
  double best_score = 0;
  for (Scorer* c : active_) {
    if (c->doc() != doc_) continue;
    const double s = c->score();
    if (best == nullptr || s > best_score) {
      best = c;
      best_score = s;
    }
  }
  if (best != nullptr) best->explain(out);
}

Status DisMaxScorer::status() const {
  for (const auto& c : clauses_) SCRY_RETURN_IF_ERROR(c->status());
  return Status::ok();
}

void DisMaxScorer::settle() {
  uint32_t d = kEnd;
  for (const Scorer* c : active_) d = std::min(d, c->doc());
  doc_ = d;
}

}  // namespace scry
