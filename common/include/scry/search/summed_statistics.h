// SummedStatistics: the statistics of a collection split into parts
// (shards), summed over the parts: documents, field lengths and document
// frequencies add up, prefix terms are the union of the parts' with their
// frequencies added. Since all of these are integers, idf and average
// lengths are the same doubles as those of one index holding every part's
// documents, so a Weight made with them scores each shard's documents as
// that one index would (docs/SHARDS.md). The parts may be any
// CollectionStatistics: a local shard's IndexStatistics, or a proxy of a
// remote one.
//
// Thread safety: as thread-safe as its parts (IndexStatistics: any number
// of threads).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scry/format/format.h"
#include "scry/search/collection_statistics.h"
#include "scry/util/status.h"

namespace scry {

class SummedStatistics final : public CollectionStatistics {
 public:
  // The parts must outlive this object.
  explicit SummedStatistics(std::vector<const CollectionStatistics*> parts)
      : parts_(std::move(parts)) {}

  uint64_t documents() const override;
  // total_length() over documents(); 0 when there is none.
  double average_length(Field field) const override;
  uint64_t total_length(Field field) const override;
  // Errors: the first part's error, in part order.
  Result<uint64_t> document_frequency(Field field, const std::string& term) const override;
  Result<std::vector<std::pair<std::string, uint64_t>>> prefix_terms(
      Field field, const std::string& prefix) const override;
  Result<std::vector<std::pair<std::string, uint64_t>>> fuzzy_terms(Field field,
                                                                    const std::string& word,
                                                                    int max_edits) const override;

 private:
  std::vector<const CollectionStatistics*> parts_;
};

}  // namespace scry
