// StreamHash: the xxh3-64 of bytes given in pieces, equal to XXH3_64bits()
// of them all at once: what the files' footers and the FILES table record
// (docs/FORMAT.md).
//
// Thread safety: none; one per stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace scry {

class StreamHash {
 public:
  StreamHash();
  ~StreamHash();
  StreamHash(StreamHash&&) noexcept;
  StreamHash& operator=(StreamHash&&) noexcept;

  // Starts again, as if no byte had been given.
  void reset();
  // Hashes `bytes` after the bytes given before.
  void update(std::string_view bytes);
  // The hash of the bytes given since the construction or the last reset();
  // more may be given after.
  uint64_t digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace scry
