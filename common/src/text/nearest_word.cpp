#include "scry/text/nearest_word.h"

#include "scry/text/levenshtein_automaton.h"

namespace scry {

std::optional<std::string> nearest_word(std::string_view word,
                                        const std::vector<std::string>& candidates, int max_edits) {
  const LevenshteinAutomaton automaton(word, max_edits);
  std::optional<std::string> best;
  int best_distance = max_edits + 1;
  for (const std::string& candidate : candidates) {
    const std::optional<int> d = automaton.distance(candidate);
    if (d && *d < best_distance) {
      best = candidate;
      best_distance = *d;
    }
  }
  return best;
}

}  // namespace scry
