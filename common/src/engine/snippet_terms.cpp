#include "engine/snippet_terms.h"

#include <algorithm>
#include <map>
#include <string>

namespace scry {

namespace {

// Collects the scoring leaves of a Weight.
void collect(const Weight& w, std::vector<const Weight*>* leaves) {
  switch (w.kind) {
    case Weight::Kind::kTerm:
    case Weight::Kind::kPhrase:
      leaves->push_back(&w);
      return;
    case Weight::Kind::kBool:
    case Weight::Kind::kDisMax:
      for (const auto& c : w.must) collect(c, leaves);
      for (const auto& c : w.should) collect(c, leaves);
      return;
    case Weight::Kind::kNothing:
      return;
  }
}

}  // namespace

SnippetQuery snippet_terms(const Weight& weight) {
  std::vector<const Weight*> leaves;
  collect(weight, &leaves);
  // A leaf of the text field, the snippet's own, decides first: a title's
  // idf comes from far fewer and shorter texts, and would make every word
  // of a title look rare.
  std::stable_partition(leaves.begin(), leaves.end(),
                        [](const Weight* leaf) { return leaf->field == Field::kText; });
  SnippetQuery out;
  struct Seen {
    double idf;
    bool text;
  };
  std::map<std::string, Seen> terms;
  for (const Weight* leaf : leaves) {
    const bool text = leaf->field == Field::kText;
    if (leaf->kind == Weight::Kind::kTerm) {
      auto [it, added] = terms.try_emplace(leaf->terms[0], Seen{leaf->idf, text});
      if (!added && it->second.text == text) it->second.idf = std::max(it->second.idf, leaf->idf);
      continue;
    }
    const bool seen = std::any_of(out.phrases.begin(), out.phrases.end(), [&](const auto& p) {
      return p.terms == leaf->terms && p.offsets == leaf->offsets;
    });
    if (!seen) out.phrases.push_back({leaf->terms, leaf->idf, leaf->offsets});
  }
  for (auto& [term, seen] : terms) out.terms.push_back({term, seen.idf});
  return out;
}

}  // namespace scry
