#include "scry/search/statistics_snapshot.h"

#include "scry/format/index_reader.h"

namespace scry {

StatisticsSnapshot& StatisticsSnapshot::operator+=(const StatisticsSnapshot& other) {
  documents += other.documents;
  for (size_t i = 0; i < total_lengths.size(); ++i) total_lengths[i] += other.total_lengths[i];
  for (const auto& [key, n] : other.df) df[key] += n;
  for (const auto& [key, terms] : other.prefixes) {
    std::map<std::string, uint64_t>& mine = prefixes[key];
    for (const auto& [term, n] : terms) mine[term] += n;
  }
  return *this;
}

std::string fuzzy_key(Field field, const std::string& word, int max_edits) {
  return term_key(field, word) + '\0' + '~' + std::to_string(max_edits);
}

RecordingStatistics::RecordingStatistics(const CollectionStatistics& source) : source_(source) {
  snapshot_.documents = source.documents();
  for (size_t i = 0; i < kFieldCount; ++i) {
    snapshot_.total_lengths[i] = source.total_length(static_cast<Field>(i));
  }
}

Result<uint64_t> RecordingStatistics::document_frequency(Field field,
                                                         const std::string& term) const {
  auto df = source_.document_frequency(field, term);
  if (df) snapshot_.df[term_key(field, term)] = *df;
  return df;
}

Result<std::vector<std::pair<std::string, uint64_t>>> RecordingStatistics::prefix_terms(
    Field field, const std::string& prefix) const {
  auto terms = source_.prefix_terms(field, prefix);
  if (!terms) return terms;
  std::map<std::string, uint64_t>& recorded = snapshot_.prefixes[term_key(field, prefix)];
  for (const auto& [term, n] : *terms) {
    recorded[term] = n;
    snapshot_.df[term_key(field, term)] = n;
  }
  return terms;
}

Result<std::vector<std::pair<std::string, uint64_t>>> RecordingStatistics::fuzzy_terms(
    Field field, const std::string& word, int max_edits) const {
  auto terms = source_.fuzzy_terms(field, word, max_edits);
  if (!terms) return terms;
  std::map<std::string, uint64_t>& recorded = snapshot_.prefixes[fuzzy_key(field, word, max_edits)];
  for (const auto& [term, n] : *terms) {
    recorded[term] = n;
    snapshot_.df[term_key(field, term)] = n;
  }
  return terms;
}

double SnapshotStatistics::average_length(Field field) const {
  return snapshot_.documents == 0
             ? 0.0
             : static_cast<double>(total_length(field)) / static_cast<double>(snapshot_.documents);
}

Result<uint64_t> SnapshotStatistics::document_frequency(Field field,
                                                        const std::string& term) const {
  auto it = snapshot_.df.find(term_key(field, term));
  if (it == snapshot_.df.end()) {
    return Status::invalid_argument("statistics snapshot: no document frequency of \"" + term +
                                    "\" (gathered for another query?)");
  }
  return it->second;
}

Result<std::vector<std::pair<std::string, uint64_t>>> SnapshotStatistics::prefix_terms(
    Field field, const std::string& prefix) const {
  auto it = snapshot_.prefixes.find(term_key(field, prefix));
  if (it == snapshot_.prefixes.end()) {
    return Status::invalid_argument("statistics snapshot: no expansion of \"" + prefix +
                                    "*\" (gathered for another query?)");
  }
  return std::vector<std::pair<std::string, uint64_t>>(it->second.begin(), it->second.end());
}

Result<std::vector<std::pair<std::string, uint64_t>>> SnapshotStatistics::fuzzy_terms(
    Field field, const std::string& word, int max_edits) const {
  auto it = snapshot_.prefixes.find(fuzzy_key(field, word, max_edits));
  if (it == snapshot_.prefixes.end()) {
    return Status::invalid_argument("statistics snapshot: no expansion of \"" + word + "~" +
                                    std::to_string(max_edits) + "\" (gathered for another query?)");
  }
  return std::vector<std::pair<std::string, uint64_t>>(it->second.begin(), it->second.end());
}

}  // namespace scry
