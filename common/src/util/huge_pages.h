// Zeroed arrays for large hash tables, in memory the kernel may back with
// transparent huge pages (2 MiB; madvise(MADV_HUGEPAGE), which the
// "madvise" setting of /sys/kernel/mm/transparent_hugepage/enabled asks
// for). The index builder's tables (each analyzer's cache of words, up to
// 16 MiB; each shard's slots, megabytes) are probed at random for every
// token: with 4 KiB pages most probes also missed the TLB.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>

namespace scry {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
template <typename T>
using HugePageArray = std::unique_ptr<T[], FreeDeleter>;

// `bytes` zeroed bytes, aligned to 64 bytes, or to 2 MiB (and advised to
// be huge pages) when they are 2 MiB or more; nullptr when out of memory.
// Free with std::free().
void* allocate_zeroed_table(size_t bytes);

// `n` zeroed T's (see allocate_zeroed_table). Throws std::bad_alloc.
template <typename T>
HugePageArray<T> make_zeroed_table(size_t n) {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static_assert(alignof(T) <= 64);
  void* p = allocate_zeroed_table(n * sizeof(T));
  if (p == nullptr) throw std::bad_alloc();
  return HugePageArray<T>(static_cast<T*>(p));
}

}  // namespace scry
