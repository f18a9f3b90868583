#include "util/huge_pages.h"

#include <sys/mman.h>

#include <cstring>

namespace scry {

void* allocate_zeroed_table(size_t bytes) {
  constexpr size_t kHugePage = size_t{2} << 20;
  constexpr size_t kCacheLine = 64;
  const size_t align = bytes >= kHugePage ? kHugePage : kCacheLine;
  const size_t size = (bytes + align - 1) / align * align;  // aligned_alloc's rule.
  void* p = std::aligned_alloc(align, size == 0 ? align : size);
  if (p == nullptr) return nullptr;
  // Before the first write, so that the pages are faulted in huge. A
  // refusal (no transparent huge pages) leaves small pages: not an error.
  if (align == kHugePage) ::madvise(p, size, MADV_HUGEPAGE);
  std::memset(p, 0, size);
  return p;
}

}  // namespace scry
