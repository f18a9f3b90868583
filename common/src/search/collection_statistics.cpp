#include "scry/search/collection_statistics.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "scry/format/term_trie.h"
#include "scry/score/bm25.h"
#include "scry/search/fuzzy_trie_walk.h"
#include "scry/text/levenshtein_automaton.h"

namespace scry {

Result<double> term_idf(const CollectionStatistics& stats, Field field, const std::string& term) {
  auto df = stats.document_frequency(field, term);
  if (!df) return df.status();
  return df_idf(stats, *df);
}

double df_idf(const CollectionStatistics& stats, uint64_t df) {
  const uint64_t n = stats.documents();
  return Bm25::idf(n, std::min(df, n));
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
    // The scorers that will read the recorded entries need their impacts.
    auto info = segment->find(field, term, /*with_impacts=*/lookups_ != nullptr);
    if (!info) return info.status();
    if (info->has_value()) df += (*info)->df;
    if (lookups_ != nullptr) lookups_->record(*segment, field, term, std::move(info).value());
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
  // Every segment's matches with their df, summed over segments at the end.
  std::vector<std::pair<std::string, uint64_t>> found;
  std::string target;
  std::optional<FuzzyTrieWalk> trie_walk;         // Format 6 and later.
  std::optional<LevenshteinAutomaton> automaton;  // Older formats.
  for (const auto& segment : index_.segments()) {
    if (const TermTrie* trie = segment->term_trie()) {
      // Format 6 and later: a walk over the trie (from version 7, skipping
      // the keys too short or too long, and for two edits split in two
      // walks, the second over the trie of the reversed keys).
      if (!trie_walk) trie_walk.emplace(word, max_edits);
      Status walked = trie_walk->walk(*trie, segment->reversed_term_trie(), base, &found);
      if (!walked.is_ok()) return walked;
      continue;
    }
    if (!automaton) automaton.emplace(word, max_edits);
    LevenshteinAutomaton::Matcher matcher(*automaton);
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
