#include "scry/format/manifest.h"

#include <simdjson.h>

#include "scry/util/json.h"

namespace scry {

uint64_t Manifest::documents() const {
  uint64_t n = 0;
  for (const auto& s : segments) n += s.documents;
  return n;
}

uint64_t Manifest::live_documents() const {
  uint64_t n = 0;
  for (const auto& s : segments) n += s.live_documents();
  return n;
}

double Manifest::average_length(Field field) const {
  uint64_t total = 0;
  for (const auto& s : segments) total += s.field_lengths[static_cast<size_t>(field)];
  uint64_t n = documents();
  return n == 0 ? 0.0 : static_cast<double>(total) / static_cast<double>(n);
}

std::string segment_name(uint32_t number) { return "seg" + std::to_string(number); }

std::string manifest_to_json(const Manifest& m) {
  std::string j = "{\n";
  j += "  \"format\": \"scry-index\",\n";
  j += "  \"format_version\": " + std::to_string(m.format_version) + ",\n";
  j += "  \"created_by\": " + json_string(m.created_by) + ",\n";
  j += "  \"analyzer\": {\"version\": " + std::to_string(m.analyzer.version) +
       ", \"normalization\": \"NFKC_Casefold\", \"cjk\": \"bigrams\", \"stemmer\": " +
       (m.analyzer.stem ? "\"english\"" : "\"none\"");
  // Written only when a list is used, so indexes without one keep the bytes
  // of the first version 1 indexes.
  if (m.analyzer.stop_words != StopWords::kNone) {
    j += ", \"stop_words\": \"" + std::string(stop_words_name(m.analyzer.stop_words)) + "\"";
  }
  j += "},\n";
  j += "  \"fields\": [";
  for (size_t f = 0; f < kFieldCount; ++f)
    j += (f ? ", \"" : "\"") + std::string(kFieldNames[f]) + "\"";
  j += "],\n";
  j += "  \"documents\": " + std::to_string(m.documents()) + ",\n";
  j += "  \"next_segment\": " + std::to_string(m.next_segment) + ",\n";
  j += "  \"segments\": [";
  for (size_t i = 0; i < m.segments.size(); ++i) {
    const SegmentMeta& s = m.segments[i];
    j += i ? ",\n    " : "\n    ";
    j += "{\"name\": " + json_string(s.name) + ", \"documents\": " + std::to_string(s.documents) +
         ", \"terms\": " + std::to_string(s.terms) +
         ", \"postings\": " + std::to_string(s.postings) +
         ", \"positions\": " + std::to_string(s.positions) + ", \"field_lengths\": [";
    for (size_t f = 0; f < kFieldCount; ++f) {
      j += (f ? ", " : "") + std::to_string(s.field_lengths[f]);
    }
    j += "], \"deleted\": " + std::to_string(s.deleted);
    if (s.has_words) j += ", \"words\": " + std::to_string(s.words);
    j += "}";
  }
  j += "\n  ]\n}\n";
  return j;
}

Result<Manifest> parse_manifest(std::string_view json, const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  auto bad = [&](const std::string& what) {
    return Status::corruption(path + ": malformed manifest (" + what + ")");
  };
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return bad("invalid JSON");
  Manifest m;
  std::string_view format;
  uint64_t version = 0;
  if (root["format"].get(format) || format != "scry-index") return bad("format");
  if (root["format_version"].get(version)) return bad("format_version");
  m.format_version = static_cast<uint32_t>(version);
  std::string_view created_by;
  if (!root["created_by"].get(created_by)) m.created_by.assign(created_by);

  uint64_t analyzer_version = 0;
  std::string_view stemmer;
  if (root["analyzer"]["version"].get(analyzer_version)) return bad("analyzer.version");
  if (root["analyzer"]["stemmer"].get(stemmer)) return bad("analyzer.stemmer");
  if (analyzer_version != AnalyzerConfig::kCurrentVersion) {
    return Status::not_supported(path + ": index was built with analyzer version " +
                                 std::to_string(analyzer_version) + ", this scry has version " +
                                 std::to_string(AnalyzerConfig::kCurrentVersion) +
                                 "; rebuild the index");
  }
  m.analyzer.version = static_cast<uint32_t>(analyzer_version);
  if (stemmer == "english") {
    m.analyzer.stem = true;
  } else if (stemmer == "none") {
    m.analyzer.stem = false;
  } else {
    return Status::not_supported(path + ": unknown stemmer \"" + std::string(stemmer) + "\"");
  }
  // No "stop_words": no stop list.
  std::string_view stop_words = "none";
  auto stop_field = root["analyzer"]["stop_words"];
  if (stop_field.error() != simdjson::NO_SUCH_FIELD && stop_field.get(stop_words)) {
    return bad("analyzer.stop_words");
  }
  auto stop_list = parse_stop_words(stop_words);
  if (!stop_list) {
    return Status::not_supported(path + ": unknown stop word list \"" + std::string(stop_words) +
                                 "\"");
  }
  m.analyzer.stop_words = *stop_list;

  simdjson::dom::array segments;
  if (root["segments"].get(segments)) return bad("segments");
  for (simdjson::dom::element seg : segments) {
    SegmentMeta s;
    std::string_view name;
    uint64_t documents = 0;
    if (seg["name"].get(name) || name.empty() || name.find('/') != std::string_view::npos) {
      return bad("segment name");
    }
    if (seg["documents"].get(documents) || documents >= UINT32_MAX) return bad("segment documents");
    if (seg["terms"].get(s.terms) || seg["postings"].get(s.postings) ||
        seg["positions"].get(s.positions)) {
      return bad("segment counts");
    }
    simdjson::dom::array lengths;
    if (seg["field_lengths"].get(lengths) || lengths.size() != kFieldCount) {
      return bad("segment field_lengths");
    }
    size_t f = 0;
    for (simdjson::dom::element v : lengths) {
      if (v.get(s.field_lengths[f++])) return bad("segment field_lengths");
    }
    // Absent in version 1: no deletions.
    uint64_t deleted = 0;
    auto deleted_field = seg["deleted"];
    if (deleted_field.error() != simdjson::NO_SUCH_FIELD &&
        (deleted_field.get(deleted) || deleted > documents)) {
      return bad("segment deleted");
    }
    // Absent in segments without a word dictionary (docs/SPELLING.md).
    auto words_field = seg["words"];
    if (words_field.error() != simdjson::NO_SUCH_FIELD) {
      if (words_field.get(s.words)) return bad("segment words");
      s.has_words = true;
    }
    s.name.assign(name);
    s.documents = static_cast<uint32_t>(documents);
    s.deleted = static_cast<uint32_t>(deleted);
    for (const auto& other : m.segments) {
      if (other.name == s.name) return bad("segment name repeated");
    }
    m.segments.push_back(std::move(s));
  }
  // Absent in version 1, whose one segment is seg1.
  uint64_t next_segment = m.segments.size() + 1;
  auto next_field = root["next_segment"];
  if (next_field.error() != simdjson::NO_SUCH_FIELD &&
      (next_field.get(next_segment) || next_segment == 0 || next_segment >= UINT32_MAX)) {
    return bad("next_segment");
  }
  m.next_segment = static_cast<uint32_t>(next_segment);
  return m;
}

}  // namespace scry
