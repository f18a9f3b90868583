// Leapfrogging: the intersection step of conjunctions (a phrase's terms,
// a Bool's required clauses). Each iterator in turn seeks to the candidate
// doc; one that lands past it makes its doc the new candidate, until all
// agree. Seeks skip whole postings blocks undecoded.
#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>

#include "scry/format/postings.h"

namespace scry {

namespace leapfrog_detail {
template <typename T>
auto& deref(T& x) {
  if constexpr (std::is_pointer_v<T>) {
    return *x;
  } else {
    return x;
  }
}
template <typename T>
T& deref(std::unique_ptr<T>& p) {
  return *p;
}
}  // namespace leapfrog_detail

// The first doc >= target on which every iterator of `iterators` (each
// with seek(doc) and doc(), or a pointer or unique_ptr to one) stands, all of them
// left there; PostingsCursor::kEnd when one runs out first.
// REQUIRES: `iterators` is not empty.
template <typename Range>
uint32_t leapfrog(Range& iterators, uint32_t target) {
  if (target == PostingsCursor::kEnd) return PostingsCursor::kEnd;
  uint32_t d = target;
  for (bool agreed = false; !agreed;) {
    agreed = true;
    for (auto& element : iterators) {
      auto& it = leapfrog_detail::deref(element);
      it.seek(d);
      if (it.doc() == PostingsCursor::kEnd) return PostingsCursor::kEnd;
      if (it.doc() != d) {
        d = it.doc();
        agreed = false;
      }
    }
  }
  return d;
}

}  // namespace scry
