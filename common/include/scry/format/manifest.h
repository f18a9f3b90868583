// The MANIFEST of an index: a JSON document (then the usual footer) that
// names the format version, the analyzer settings, the collection
// statistics and the segments (docs/FORMAT.md, "MANIFEST").
//
// Statistics are kept per segment and summed when read, so several segments
// (or shards) score as one collection.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "scry/format/format.h"
#include "scry/text/analyzer.h"
#include "scry/util/status.h"

namespace scry {

struct SegmentMeta {
  std::string name;        // File name stem: NAME.terms, NAME.post, ...
  uint32_t documents = 0;  // Documents in the segment (doc ids 0..documents-1).
  uint64_t terms = 0;      // Distinct term keys (all fields).
  uint64_t postings = 0;   // (term, document) pairs (all fields).
  uint64_t positions = 0;  // Token occurrences (all fields).
  std::array<uint64_t, kFieldCount> field_lengths{};  // Sum of per-document lengths.
  // Documents marked deleted in NAME.del (0: the segment has no .del file).
  // Statistics above still count them (docs/SEGMENTS.md).
  uint32_t deleted = 0;
  // The segment has NAME.words with this many distinct words
  // (docs/SPELLING.md); segments written before it have none.
  bool has_words = false;
  uint64_t words = 0;

  uint32_t live_documents() const { return documents - deleted; }
};

struct Manifest {
  uint32_t format_version = kFormatVersion;
  std::string created_by;  // "scry-index VERSION".
  AnalyzerConfig analyzer;
  std::vector<SegmentMeta> segments;
  // The number in the name of the next segment written ("seg" + number).
  uint32_t next_segment = 1;

  // Documents of all segments, deleted ones included: the N of BM25.
  uint64_t documents() const;
  // Documents that are not deleted.
  uint64_t live_documents() const;
  // Average length of `field` over all documents (0 for an empty index).
  double average_length(Field field) const;
};

// The name of segment number `number`: "seg" + number.
std::string segment_name(uint32_t number);

// The manifest as JSON text (without the footer).
std::string manifest_to_json(const Manifest& manifest);

// Parses manifest JSON. `path` names the file in error messages.
// Errors: Corruption (malformed), NotSupported (analyzer version unknown to
// this build).
Result<Manifest> parse_manifest(std::string_view json, const std::string& path);

}  // namespace scry
