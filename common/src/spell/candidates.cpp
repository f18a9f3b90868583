#include "scry/spell/candidates.h"

#include <algorithm>
#include <string>

#include "scry/text/levenshtein_automaton.h"

namespace scry {

std::vector<SpellCandidate> spell_candidates(const WordTable& table, std::string_view word,
                                             int max_edits) {
  std::vector<SpellCandidate> out;
  const LevenshteinAutomaton automaton(word, max_edits);
  LevenshteinAutomaton::Matcher matcher(automaton);
  const std::vector<uint32_t>& words = table.candidates();
  for (auto it = words.begin(); it != words.end();) {
    const std::string_view w = table.word(*it);
    const auto match = matcher.match(w);
    if (match.distance) out.push_back({*it, *match.distance});
    if (match.dead_prefix == 0) {
      ++it;
      continue;
    }
    const std::string skip = matcher.next_live(w);
    if (skip.empty()) break;
    it = std::lower_bound(it + 1, words.end(), skip, [&](uint32_t i, const std::string& target) {
      return table.word(i) < target;
    });
  }
  return out;
}

}  // namespace scry
