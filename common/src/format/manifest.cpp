#include "scry/format/manifest.h"

#include "scry/util/json.h"
#include "util/json_reader.h"

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
  auto bad = [&](const std::string& what) {
    return Status::corruption(path + ": malformed manifest (" + what + ")");
  };
  const std::optional<JsonValue> root = parse_json(json);
  if (!root) return bad("invalid JSON");
  // A member's value of the given type (or nothing: absent, or another type).
  auto string_at = [](const JsonValue* object, std::string_view key) -> const std::string* {
    const JsonValue* v = object ? object->find(key) : nullptr;
    return v ? v->as_string() : nullptr;
  };
  auto uint_at = [](const JsonValue* object, std::string_view key) -> std::optional<uint64_t> {
    const JsonValue* v = object ? object->find(key) : nullptr;
    return v ? v->as_uint64() : std::nullopt;
  };
  // Whether `object` (an object) has a member `key`.
  auto has = [](const JsonValue* object, std::string_view key) {
    return object->find(key) != nullptr;
  };
  Manifest m;
  const std::string* format = string_at(&*root, "format");
  if (format == nullptr || *format != "scry-index") return bad("format");
  const auto version = uint_at(&*root, "format_version");
  if (!version) return bad("format_version");
  m.format_version = static_cast<uint32_t>(*version);
  if (const std::string* created_by = string_at(&*root, "created_by")) m.created_by = *created_by;

  const JsonValue* analyzer = root->find("analyzer");
  const auto analyzer_version = uint_at(analyzer, "version");
  if (!analyzer_version) return bad("analyzer.version");
  const std::string* stemmer = string_at(analyzer, "stemmer");
  if (stemmer == nullptr) return bad("analyzer.stemmer");
  if (*analyzer_version == 0 || *analyzer_version > AnalyzerConfig::kCurrentVersion) {
    return Status::not_supported(path + ": index was built with analyzer version " +
                                 std::to_string(*analyzer_version) + ", this scry has version " +
                                 std::to_string(AnalyzerConfig::kCurrentVersion) +
                                 "; rebuild the index");
  }
  m.analyzer.version = static_cast<uint32_t>(*analyzer_version);
  if (*stemmer == "english") {
    m.analyzer.stem = true;
  } else if (*stemmer == "none") {
    m.analyzer.stem = false;
  } else {
    return Status::not_supported(path + ": unknown stemmer \"" + *stemmer + "\"");
  }
  // No "stop_words": no stop list.
  std::string stop_words = "none";
  if (has(analyzer, "stop_words")) {
    const std::string* given = string_at(analyzer, "stop_words");
    if (given == nullptr) return bad("analyzer.stop_words");
    stop_words = *given;
  }
  auto stop_list = parse_stop_words(stop_words);
  if (!stop_list) {
    return Status::not_supported(path + ": unknown stop word list \"" + stop_words + "\"");
  }
  m.analyzer.stop_words = *stop_list;

  const JsonValue* segments_value = root->find("segments");
  const std::vector<JsonValue>* segments = segments_value ? segments_value->as_array() : nullptr;
  if (segments == nullptr) return bad("segments");
  for (const JsonValue& seg : *segments) {
    SegmentMeta s;
    const std::string* name = string_at(&seg, "name");
    if (name == nullptr || name->empty() || name->find('/') != std::string::npos) {
      return bad("segment name");
    }
    const auto documents = uint_at(&seg, "documents");
    if (!documents || *documents >= UINT32_MAX) return bad("segment documents");
    const auto terms = uint_at(&seg, "terms");
    const auto postings = uint_at(&seg, "postings");
    const auto positions = uint_at(&seg, "positions");
    if (!terms || !postings || !positions) return bad("segment counts");
    s.terms = *terms;
    s.postings = *postings;
    s.positions = *positions;
    const JsonValue* lengths_value = seg.find("field_lengths");
    const std::vector<JsonValue>* lengths = lengths_value ? lengths_value->as_array() : nullptr;
    if (lengths == nullptr || lengths->size() != kFieldCount) return bad("segment field_lengths");
    for (size_t f = 0; f < kFieldCount; ++f) {
      const auto length = (*lengths)[f].as_uint64();
      if (!length) return bad("segment field_lengths");
      s.field_lengths[f] = *length;
    }
    // Absent in version 1: no deletions.
    uint64_t deleted = 0;
    if (has(&seg, "deleted")) {
      const auto given = uint_at(&seg, "deleted");
      if (!given || *given > *documents) return bad("segment deleted");
      deleted = *given;
    }
    // Absent in segments without a word dictionary (docs/SPELLING.md).
    if (has(&seg, "words")) {
      const auto words = uint_at(&seg, "words");
      if (!words) return bad("segment words");
      s.words = *words;
      s.has_words = true;
    }
    s.name = *name;
    s.documents = static_cast<uint32_t>(*documents);
    s.deleted = static_cast<uint32_t>(deleted);
    for (const auto& other : m.segments) {
      if (other.name == s.name) return bad("segment name repeated");
    }
    m.segments.push_back(std::move(s));
  }
  // Absent in version 1, whose one segment is seg1.
  uint64_t next_segment = m.segments.size() + 1;
  if (has(&*root, "next_segment")) {
    const auto given = uint_at(&*root, "next_segment");
    if (!given || *given == 0 || *given >= UINT32_MAX) return bad("next_segment");
    next_segment = *given;
  }
  m.next_segment = static_cast<uint32_t>(next_segment);
  return m;
}

}  // namespace scry
