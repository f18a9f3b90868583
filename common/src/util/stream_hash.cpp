#include "scry/util/stream_hash.h"

#include <xxhash.h>

#include <new>

namespace scry {

struct StreamHash::State {
  XXH3_state_t* xxh = XXH3_createState();
  ~State() { XXH3_freeState(xxh); }
};

StreamHash::StreamHash() : state_(std::make_unique<State>()) {
  if (state_->xxh == nullptr) throw std::bad_alloc();
  reset();
}
StreamHash::~StreamHash() = default;
StreamHash::StreamHash(StreamHash&&) noexcept = default;
StreamHash& StreamHash::operator=(StreamHash&&) noexcept = default;

void StreamHash::reset() { XXH3_64bits_reset(state_->xxh); }

void StreamHash::update(std::string_view bytes) {
  XXH3_64bits_update(state_->xxh, bytes.data(), bytes.size());
}

uint64_t StreamHash::digest() const { return XXH3_64bits_digest(state_->xxh); }

}  // namespace scry
