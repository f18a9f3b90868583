#include "scry/spell/candidates.h"

#include <algorithm>
#include <functional>
#include <string>

#include "scry/text/levenshtein_automaton.h"
#include "scry/util/utf8.h"

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

std::vector<SpellCandidate> spell_candidates_near(const WordTable& table, std::string_view word) {
  std::vector<uint32_t> found = table.with_deletion_hash(std::hash<std::string_view>{}(word));
  std::string shorter;
  for (size_t pos = 0; pos < word.size();) {
    const size_t length = decode_utf8(word, pos).length;
    shorter.assign(word.substr(0, pos)).append(word.substr(pos + length));
    for (uint32_t i : table.with_deletion_hash(std::hash<std::string_view>{}(shorter))) {
      found.push_back(i);
    }
    pos += length;
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  const LevenshteinAutomaton automaton(word, 1);
  std::vector<SpellCandidate> out;
  for (uint32_t i : found) {
    if (auto d = automaton.distance(table.word(i))) out.push_back({i, *d});
  }
  return out;
}

}  // namespace scry
