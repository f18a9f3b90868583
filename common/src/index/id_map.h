// IdMap: the external ids (Document::id) a build has seen, each with the
// doc id of its latest document, so that a document whose id comes again
// replaces the earlier one (IndexBuilder::add).
//
// The id bytes sit in one arena, found through an open-addressing table of
// indexes into it: about 16 bytes an id plus the id itself, instead of a
// node-based map's ~90, since a build keeps every id until it finishes.
//
// Thread safety: single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scry {

class IdMap {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Records that `id` is now document `doc`; returns the document that had
  // it before, or kNone for an id not seen before.
  uint32_t assign(std::string_view id, uint32_t doc);

 private:
  // The n-th id added.
  std::string_view get(size_t n) const;
  // Doubles the table (1024 slots the first time).
  void grow();

  std::string arena_;              // The ids, one after the other.
  std::vector<uint64_t> offsets_;  // Where the n-th id starts in arena_.
  std::vector<uint32_t> docs_;     // The latest document of the n-th id.
  std::vector<uint32_t> slots_;    // n + 1 for the n-th id; 0 when empty.
};

}  // namespace scry
