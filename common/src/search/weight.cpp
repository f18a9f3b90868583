#include "scry/search/weight.h"

#include <algorithm>
#include <map>
#include <utility>

namespace scry {

namespace {

class Weighting {
 public:
  Weighting(const Bm25& bm25, const CollectionStatistics& stats) : bm25_(bm25), stats_(stats) {}

  // Fills *w, a new Weight, from `node`. Recursive once per level of the
  // plan: no Weight lives on the stack, and what leaves need is out of
  // line, so that a level costs little stack (query_parser.h,
  // kMaxQueryDepth).
  Status weigh(const PlanNode& node, Weight* w) {
    w->kind = node.kind;
    w->field = node.field;
    w->boost = node.boost;
    w->blend = node.kind == PlanNode::Kind::kTerm ? node.blend : 0;
    w->bm25 = Bm25::FieldWeight(bm25_, stats_.average_length(node.field));
    switch (node.kind) {
      case PlanNode::Kind::kNothing:
        return Status::ok();
      case PlanNode::Kind::kTerm:
      case PlanNode::Kind::kPhrase:
        return weigh_leaf(node, w);
      case PlanNode::Kind::kDisMax:
        return weigh_list(node.should, &w->should);
      case PlanNode::Kind::kBool:
        SCRY_RETURN_IF_ERROR(weigh_list(node.must, &w->must));
        SCRY_RETURN_IF_ERROR(weigh_list(node.should, &w->should));
        return weigh_list(node.must_not, &w->must_not);
    }
    return Status::invalid_argument("unknown plan node");
  }

 private:
  [[gnu::noinline]] Status weigh_leaf(const PlanNode& node, Weight* w) {
    if (node.terms.empty()) return Status::invalid_argument("plan: a leaf without terms");
    const bool phrase = node.kind == PlanNode::Kind::kPhrase;
    if (phrase && !node.offsets.empty() && node.offsets.size() != node.terms.size()) {
      return Status::invalid_argument("phrase plan: one offset per term needed");
    }
    w->terms = phrase ? node.terms : std::vector<std::string>{node.terms[0]};
    w->offsets = node.offsets;
    if (phrase && w->offsets.empty()) {
      for (uint32_t i = 0; i < w->terms.size(); ++i) w->offsets.push_back(i);
    }
    for (const std::string& term : w->terms) {
      auto idf =
          node.df ? Result<double>(df_idf(stats_, *node.df)) : term_idf(stats_, node.field, term);
      if (!idf) return idf.status();
      w->idf += *idf;
      w->label += (w->label.empty() ? "" : " ") + term;
    }
    if (phrase) w->label = "\"" + w->label + "\"";
    if (w->blend != 0) {
      auto [it, added] = blended_.try_emplace({w->blend, w->field}, w->idf);
      if (!added) it->second = std::min(it->second, w->idf);
    }
    return Status::ok();
  }

 public:
  // Gives each blended term of `w` (weigh()ed) its prefix's idf in its
  // field: the least idf of them, that of the largest df.
  void blend(Weight* w) const {
    if (blended_.empty()) return;
    std::vector<Weight*> stack{w};
    while (!stack.empty()) {
      Weight* n = stack.back();
      stack.pop_back();
      if (n->blend != 0) n->idf = blended_.at({n->blend, n->field});
      for (auto* list : {&n->must, &n->should, &n->must_not}) {
        for (Weight& child : *list) stack.push_back(&child);
      }
    }
  }

 private:
  Status weigh_list(const std::vector<PlanNode>& nodes, std::vector<Weight>* out) {
    out->resize(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) SCRY_RETURN_IF_ERROR(weigh(nodes[i], &(*out)[i]));
    return Status::ok();
  }

  Bm25 bm25_;
  const CollectionStatistics& stats_;
  std::map<std::pair<uint32_t, Field>, double> blended_;  // (blend, field) -> idf.
};

}  // namespace

Result<Weight> make_weight(const PlanNode& plan, const Bm25& bm25,
                           const CollectionStatistics& stats) {
  Weighting weighting(bm25, stats);
  Weight weight;
  SCRY_RETURN_IF_ERROR(weighting.weigh(plan, &weight));
  weighting.blend(&weight);
  return weight;
}

}  // namespace scry
