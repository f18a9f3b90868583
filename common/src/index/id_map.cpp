#include "index/id_map.h"

#include <functional>
#include <utility>

namespace scry {

uint32_t IdMap::assign(std::string_view id, uint32_t doc) {
  if ((offsets_.size() + 1) * 2 > slots_.size()) grow();
  size_t mask = slots_.size() - 1;
  for (size_t i = std::hash<std::string_view>{}(id)&mask;; i = (i + 1) & mask) {
    if (slots_[i] == 0) {
      offsets_.push_back(arena_.size());
      docs_.push_back(doc);
      arena_.append(id);
      slots_[i] = static_cast<uint32_t>(offsets_.size());
      return kNone;
    }
    if (get(slots_[i] - 1) == id) return std::exchange(docs_[slots_[i] - 1], doc);
  }
}

std::string_view IdMap::get(size_t n) const {
  size_t end = n + 1 < offsets_.size() ? offsets_[n + 1] : arena_.size();
  return std::string_view(arena_).substr(offsets_[n], end - offsets_[n]);
}

void IdMap::grow() {
  std::vector<uint32_t> slots(slots_.empty() ? 1024 : slots_.size() * 2, 0);
  size_t mask = slots.size() - 1;
  for (uint32_t s : slots_) {
    if (s == 0) continue;
    size_t i = std::hash<std::string_view>{}(get(s - 1)) & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = s;
  }
  slots_.swap(slots);
}

}  // namespace scry
