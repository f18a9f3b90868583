// StatisticsSnapshot: the collection statistics of one query as plain
// values, which shards held by other processes (the workers of a cluster)
// send to a coordinator, which adds them up and weighs the query with the
// sums (docs/SHARDS.md, "Library API for a cluster").
//
// A worker plans and weighs the query against its shard through
// RecordingStatistics, which answers from the shard and records each
// answer; the coordinator adds the workers' snapshots (+=) and plans and
// weighs the query again through SnapshotStatistics over the sum. The
// questions are the same on every shard (the query's terms, its prefixes),
// except the document frequencies of a prefix's expansions, which differ
// from shard to shard: a recorded prefix (or fuzzy term's) answer also
// records the df of each term it lists, in its field and, for the text
// field, in the title (the expansions' title pairs), so that the sum holds
// every expansion's.
//
// The sum answers exactly as SummedStatistics over the shards would, so the
// Weight is the one of one index over all the shards' documents.
//
// Thread safety: StatisticsSnapshot and SnapshotStatistics are plain
// values (const methods may be called from any thread);
// RecordingStatistics records as it answers: one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/format/format.h"
#include "scry/search/collection_statistics.h"
#include "scry/util/status.h"

namespace scry {

struct StatisticsSnapshot {
  uint64_t documents = 0;
  std::array<uint64_t, kFieldCount> total_lengths{};  // By Field.
  // Document frequencies by term key (term_key(field, term)).
  std::map<std::string, uint64_t> df;
  // The terms each prefix expands to, with their frequencies, by the
  // prefix's term key; likewise each fuzzy term's, by fuzzy_key().
  std::map<std::string, std::map<std::string, uint64_t>> prefixes;

  // Adds `other`'s statistics (another shard's, for the same query).
  StatisticsSnapshot& operator+=(const StatisticsSnapshot& other);
};

// The key of the fuzzy term `word`~`max_edits` in StatisticsSnapshot's
// prefixes: its term key, a NUL byte (which no normalised prefix holds),
// '~' and the distance.
std::string fuzzy_key(Field field, const std::string& word, int max_edits);

// The snapshot as bytes, to send to another process (a cluster's workers
// and coordinator, docs/DISTRIBUTED.md): varints and length-prefixed
// strings, in the maps' order. The same snapshot always gives the same
// bytes; only decode_snapshot reads them (no promise across versions).
std::string encode_snapshot(const StatisticsSnapshot& snapshot);
// The snapshot encode_snapshot wrote. Errors: InvalidArgument when `bytes`
// are not such an encoding (cut short, or bytes left over).
Result<StatisticsSnapshot> decode_snapshot(std::string_view bytes);

class RecordingStatistics final : public CollectionStatistics {
 public:
  // Answers from `source` (which must outlive this object).
  explicit RecordingStatistics(const CollectionStatistics& source);

  uint64_t documents() const override { return source_.documents(); }
  double average_length(Field field) const override { return source_.average_length(field); }
  uint64_t total_length(Field field) const override { return source_.total_length(field); }
  Result<uint64_t> document_frequency(Field field, const std::string& term) const override;
  Result<std::vector<std::pair<std::string, uint64_t>>> prefix_terms(
      Field field, const std::string& prefix) const override;
  Result<std::vector<std::pair<std::string, uint64_t>>> fuzzy_terms(Field field,
                                                                    const std::string& word,
                                                                    int max_edits) const override;

  // What was asked so far, with the collection's size and field lengths.
  const StatisticsSnapshot& snapshot() const { return snapshot_; }

 private:
  // Records the title's df of each term of the text field's expansions
  // `terms`: the planner pairs each expansion with its title, and the
  // coordinator may choose expansions (the most frequent over all shards)
  // that this shard's own plan left out.
  Status record_title_pairs(Field field,
                            const std::vector<std::pair<std::string, uint64_t>>& terms) const;

  const CollectionStatistics& source_;
  mutable StatisticsSnapshot snapshot_;
};

class SnapshotStatistics final : public CollectionStatistics {
 public:
  // Answers from `snapshot` (which must outlive this object).
  explicit SnapshotStatistics(const StatisticsSnapshot& snapshot) : snapshot_(snapshot) {}

  uint64_t documents() const override { return snapshot_.documents; }
  // total_length() over documents(); 0 when there is none.
  double average_length(Field field) const override;
  uint64_t total_length(Field field) const override {
    return snapshot_.total_lengths[static_cast<size_t>(field)];
  }
  // Errors: InvalidArgument when the snapshot has no answer for it (the
  // workers planned another query).
  Result<uint64_t> document_frequency(Field field, const std::string& term) const override;
  Result<std::vector<std::pair<std::string, uint64_t>>> prefix_terms(
      Field field, const std::string& prefix) const override;
  Result<std::vector<std::pair<std::string, uint64_t>>> fuzzy_terms(Field field,
                                                                    const std::string& word,
                                                                    int max_edits) const override;

 private:
  const StatisticsSnapshot& snapshot_;
};

}  // namespace scry
