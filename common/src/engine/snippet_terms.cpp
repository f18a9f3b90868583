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
  SnippetQuery out;
  std::map<std::string, double> terms;
  for (const Weight* leaf : leaves) {
    if (leaf->kind == Weight::Kind::kTerm) {
      terms[leaf->terms[0]] = std::max(terms[leaf->terms[0]], leaf->idf);
      continue;
    }
    const bool seen = std::any_of(out.phrases.begin(), out.phrases.end(), [&](const auto& p) {
      return p.terms == leaf->terms && p.offsets == leaf->offsets;
    });
    if (!seen) out.phrases.push_back({leaf->terms, leaf->idf, leaf->offsets});
  }
  for (auto& [term, idf] : terms) out.terms.push_back({term, idf});
  return out;
}

}  // namespace scry
