#include "scry/search/term_lookups.h"

#include <functional>
#include <utility>

#include "scry/format/index_reader.h"

namespace scry {

size_t TermLookups::KeyHash::operator()(const Key& key) const {
  const size_t h = std::hash<std::string_view>()(key.term);
  return h ^ (std::hash<const SegmentReader*>()(key.segment) + static_cast<size_t>(key.field) +
              0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

const std::optional<TermInfo>* TermLookups::find(const SegmentReader& segment, Field field,
                                                 std::string_view term) const {
  const auto it = entries_.find(Key{&segment, field, std::string(term)});
  return it == entries_.end() ? nullptr : &it->second;
}

void TermLookups::record(const SegmentReader& segment, Field field, std::string_view term,
                         std::optional<TermInfo>&& entry) {
  entries_.try_emplace(Key{&segment, field, std::string(term)}, std::move(entry));
}

Result<const TermInfo*> find_entry(const SegmentReader& segment, Field field, std::string_view term,
                                   const TermLookups* lookups, std::optional<TermInfo>* own) {
  const std::optional<TermInfo>* found =
      lookups != nullptr ? lookups->find(segment, field, term) : nullptr;
  if (found == nullptr) {
    auto info = segment.find(field, term);
    if (!info) return info.status();
    *own = std::move(info).value();
    found = own;
  }
  return found->has_value() ? &**found : nullptr;
}

}  // namespace scry
