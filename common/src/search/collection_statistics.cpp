#include "scry/search/collection_statistics.h"

#include <algorithm>
#include <map>

#include "scry/format/term_trie.h"
#include "scry/score/bm25.h"
#include "scry/text/levenshtein_automaton.h"

namespace scry {

Result<double> term_idf(const CollectionStatistics& stats, Field field, const std::string& term) {
  auto df = stats.document_frequency(field, term);
  if (!df) return df.status();
  const uint64_t n = stats.documents();
  return Bm25::idf(n, std::min(*df, n));
}

uint64_t IndexStatistics::documents() const { return index_.manifest().documents(); }

double IndexStatistics::average_length(Field field) const {
  return index_.manifest().average_length(field);
}

uint64_t IndexStatistics::total_length(Field field) const {
  uint64_t total = 0;
  for (const SegmentMeta& segment : index_.manifest().segments) {
    total += segment.field_lengths[static_cast<size_t>(field)];
  }
  return total;
}

Result<uint64_t> IndexStatistics::document_frequency(Field field, const std::string& term) const {
  uint64_t df = 0;
  for (const auto& segment : index_.segments()) {
    auto info = segment->find(field, term);
    if (!info) return info.status();
    if (info->has_value()) df += (*info)->df;
  }
  return df;
}

Result<std::vector<std::pair<std::string, uint64_t>>> IndexStatistics::prefix_terms(
    Field field, const std::string& prefix) const {
  const std::string key = term_key(field, prefix);
  std::map<std::string, uint64_t> df;
  for (const auto& segment : index_.segments()) {
    auto it = segment->terms_from(key);
    it.skip_impacts();
    for (; it.valid() && it.key().compare(0, key.size(), key) == 0; it.next()) {
      df[it.key().substr(1)] += it.info().df;
    }
    if (!it.status().is_ok()) return it.status();
  }
  return std::vector<std::pair<std::string, uint64_t>>(df.begin(), df.end());
}

Result<std::vector<std::pair<std::string, uint64_t>>> IndexStatistics::fuzzy_terms(
    Field field, const std::string& word, int max_edits) const {
  const std::string base = term_key(field, "");
  const LevenshteinAutomaton automaton(word, max_edits);
  // Every segment's matches with their df, summed over segments at the end.
  std::vector<std::pair<std::string, uint64_t>> found;
  std::string target;
  for (const auto& segment : index_.segments()) {
    if (const TermTrie* trie = segment->term_trie()) {
      // Format 6 and later: a walk over the trie, one automaton step a byte
      // read (from version 7, skipping the keys too short or too long).
      Status walked = trie->walk(
          base, LevenshteinAutomaton::ByteState{},
          [&](LevenshteinAutomaton::ByteState* s, uint8_t b) { return automaton.step_byte(s, b); },
          [&](std::string_view key, const LevenshteinAutomaton::ByteState& s, uint32_t term_df) {
            if (automaton.end_distance(s)) found.emplace_back(key.substr(base.size()), term_df);
          },
          [&](const LevenshteinAutomaton::ByteState& s) { return automaton.live_first_bytes(s); },
          // The keys' lengths count the field byte.
          [&](const LevenshteinAutomaton::ByteState& s, uint64_t shortest, uint64_t longest) {
            return automaton.may_reach(s, shortest > 0 ? shortest - 1 : 0,
                                       longest > 0 ? longest - 1 : 0);
          });
      if (!walked.is_ok()) return walked;
      continue;
    }
    LevenshteinAutomaton::Matcher matcher(automaton);
    auto it = segment->terms_from(base);
    it.skip_impacts();
    while (it.valid() && it.key().starts_with(base)) {
      const std::string_view term = std::string_view(it.key()).substr(base.size());
      const auto match = matcher.match(term);
      if (match.distance) found.emplace_back(term, it.info().df);
      if (match.dead_prefix == 0) {
        it.next();
        continue;
      }
      const std::string skip = matcher.next_live(term);
      if (skip.empty()) break;  // No later term of the field can match.
      target.assign(base).append(skip);
      it.seek_forward(target);
    }
    if (!it.status().is_ok()) return it.status();
  }
  std::sort(found.begin(), found.end());
  std::vector<std::pair<std::string, uint64_t>> terms;
  for (auto& [term, df] : found) {
    if (!terms.empty() && terms.back().first == term) {
      terms.back().second += df;
    } else {
      terms.emplace_back(std::move(term), df);
    }
  }
  return terms;
}

}  // namespace scry
