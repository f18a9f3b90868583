#include "scry/search/summed_statistics.h"

#include <map>

namespace scry {

uint64_t SummedStatistics::documents() const {
  uint64_t n = 0;
  for (const CollectionStatistics* part : parts_) n += part->documents();
  return n;
}

double SummedStatistics::average_length(Field field) const {
  const uint64_t n = documents();
  return n == 0 ? 0.0 : static_cast<double>(total_length(field)) / static_cast<double>(n);
}

uint64_t SummedStatistics::total_length(Field field) const {
  uint64_t total = 0;
  for (const CollectionStatistics* part : parts_) total += part->total_length(field);
  return total;
}

Result<uint64_t> SummedStatistics::document_frequency(Field field, const std::string& term) const {
  uint64_t df = 0;
  for (const CollectionStatistics* part : parts_) {
    auto own = part->document_frequency(field, term);
    if (!own) return own.status();
    df += *own;
  }
  return df;
}

Result<std::vector<std::pair<std::string, uint64_t>>> SummedStatistics::prefix_terms(
    Field field, const std::string& prefix) const {
  std::map<std::string, uint64_t> df;
  for (const CollectionStatistics* part : parts_) {
    auto own = part->prefix_terms(field, prefix);
    if (!own) return own.status();
    for (auto& [term, n] : *own) df[term] += n;
  }
  return std::vector<std::pair<std::string, uint64_t>>(df.begin(), df.end());
}

Result<std::vector<std::pair<std::string, uint64_t>>> SummedStatistics::fuzzy_terms(
    Field field, const std::string& word, int max_edits) const {
  std::map<std::string, uint64_t> df;
  for (const CollectionStatistics* part : parts_) {
    auto own = part->fuzzy_terms(field, word, max_edits);
    if (!own) return own.status();
    for (auto& [term, n] : *own) df[term] += n;
  }
  return std::vector<std::pair<std::string, uint64_t>>(df.begin(), df.end());
}

}  // namespace scry
