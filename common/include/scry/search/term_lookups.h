// TermLookups: the dictionary entries that weighing a query looked up, kept
// for building the same query's scorers, so that each (segment, field,
// term) is searched for once per query rather than twice (the document
// frequency, then the postings). A lookup scans about half a block of
// front-coded keys: on a small index the second lookups were one of the
// largest fixed costs of a query (docs/PERFORMANCE.md, issue 14 item 4).
//
// IndexStatistics given a TermLookups records in it each entry it sums a
// document frequency from; SearchOptions::lookups hands them to the
// scorers (search/scorer_builder.h), which look up what is not there.
//
// Thread safety: filled by one thread (weighing); then read-only, and
// find() may be called from several threads at once (sharded searches).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "scry/format/format.h"
#include "scry/format/postings.h"
#include "scry/util/status.h"

namespace scry {

class SegmentReader;

class TermLookups {
 public:
  // The entry of `term` in `field` of `segment` as recorded (nullopt
  // inside when the dictionary has no such term), or nullptr when none
  // was recorded.
  const std::optional<TermInfo>* find(const SegmentReader& segment, Field field,
                                      std::string_view term) const;
  // Keeps `entry`, the dictionary's answer for `term` in `field` of
  // `segment` (impacts included). A second record of one key keeps the
  // first.
  void record(const SegmentReader& segment, Field field, std::string_view term,
              std::optional<TermInfo>&& entry);

 private:
  struct Key {
    const SegmentReader* segment;
    Field field;
    std::string term;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& key) const;
  };
  std::unordered_map<Key, std::optional<TermInfo>, KeyHash> entries_;
};

// The entry of `term` in `field` of `segment`: the one `lookups` recorded
// when it holds it (`lookups` may be null), else the dictionary's, kept in
// *own. nullptr when the segment has no such term. Errors: Corruption
// naming the file.
Result<const TermInfo*> find_entry(const SegmentReader& segment, Field field, std::string_view term,
                                   const TermLookups* lookups, std::optional<TermInfo>* own);

}  // namespace scry
