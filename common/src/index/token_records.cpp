#include "index/token_records.h"

#include <algorithm>

namespace scry {

void TokenRecords::grow(size_t n) {
  constexpr size_t kFirstBytes = size_t{4} << 10;
  const size_t capacity = std::max({capacity_ * 2, size_ + n, kFirstBytes});
  auto bytes = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ != 0) std::memcpy(bytes.get(), bytes_.get(), size_);
  bytes_ = std::move(bytes);
  capacity_ = capacity;
}

}  // namespace scry
