#include "scry/search/statistics_snapshot.h"

#include "scry/codec/varint.h"
#include "scry/format/index_reader.h"

namespace scry {

namespace {

void put_counts(std::string* out, const std::map<std::string, uint64_t>& counts) {
  put_varint64(out, counts.size());
  for (const auto& [key, n] : counts) {
    put_length_prefixed(out, key);
    put_varint64(out, n);
  }
}

// Reads what put_counts wrote from [*p, limit) into *counts; false when
// the bytes end early or are malformed.
bool get_counts(const uint8_t** p, const uint8_t* limit, std::map<std::string, uint64_t>* counts) {
  uint64_t size = 0;
  *p = get_varint64(*p, limit, &size);
  for (uint64_t i = 0; *p != nullptr && i < size; ++i) {
    std::string_view key;
    uint64_t n = 0;
    *p = get_length_prefixed(*p, limit, &key);
    if (*p != nullptr) *p = get_varint64(*p, limit, &n);
    if (*p != nullptr) counts->emplace_hint(counts->end(), key, n);
  }
  return *p != nullptr;
}

}  // namespace

std::string encode_snapshot(const StatisticsSnapshot& snapshot) {
  std::string out;
  put_varint64(&out, snapshot.documents);
  for (uint64_t length : snapshot.total_lengths) put_varint64(&out, length);
  put_counts(&out, snapshot.df);
  put_varint64(&out, snapshot.prefixes.size());
  for (const auto& [key, terms] : snapshot.prefixes) {
    put_length_prefixed(&out, key);
    put_counts(&out, terms);
  }
  return out;
}

Result<StatisticsSnapshot> decode_snapshot(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* limit = p + bytes.size();
  StatisticsSnapshot snapshot;
  p = get_varint64(p, limit, &snapshot.documents);
  for (uint64_t& length : snapshot.total_lengths) {
    if (p != nullptr) p = get_varint64(p, limit, &length);
  }
  uint64_t prefixes = 0;
  if (p != nullptr && get_counts(&p, limit, &snapshot.df)) p = get_varint64(p, limit, &prefixes);
  for (uint64_t i = 0; p != nullptr && i < prefixes; ++i) {
    std::string_view key;
    p = get_length_prefixed(p, limit, &key);
    if (p != nullptr) get_counts(&p, limit, &snapshot.prefixes[std::string(key)]);
  }
  if (p != limit) return Status::invalid_argument("not an encoded statistics snapshot");
  return snapshot;
}

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
  SCRY_RETURN_IF_ERROR(record_title_pairs(field, *terms));
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
  SCRY_RETURN_IF_ERROR(record_title_pairs(field, *terms));
  return terms;
}

Status RecordingStatistics::record_title_pairs(
    Field field, const std::vector<std::pair<std::string, uint64_t>>& terms) const {
  if (field != Field::kText) return Status::ok();
  for (const auto& [term, n] : terms) {
    auto df = source_.document_frequency(Field::kTitle, term);
    if (!df) return df.status();
    snapshot_.df[term_key(Field::kTitle, term)] = *df;
  }
  return Status::ok();
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
