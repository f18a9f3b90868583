#include "progress.h"

#include <algorithm>
#include <cstdio>

#include "scry/util/size.h"

namespace scry {

namespace {
constexpr int kBarWidth = 24;
constexpr char kHashes[] = "########################";  // kBarWidth of them.
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
}  // namespace

Progress::Progress(bool enabled, uint64_t total_bytes)
    : enabled_(enabled),
      total_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(uint64_t documents, uint64_t bytes) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < kRedrawInterval) return;
  last_ = now;
  draw(documents, bytes);
}

void Progress::draw(uint64_t documents, uint64_t bytes) {
  double seconds = std::chrono::duration<double>(last_ - start_).count();
  double mb = static_cast<double>(bytes) / 1e6;
  char bar[kBarWidth + 16] = "";
  if (total_ > 0) {
    double frac = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_));
    int filled = static_cast<int>(frac * kBarWidth);
    std::snprintf(bar, sizeof bar, "[%.*s%*s] %3d%% ", filled, kHashes, kBarWidth - filled, "",
                  static_cast<int>(frac * 100));
  }
  std::fprintf(stderr, "\r\033[K%s%s docs  %.1f MB  %.1f MB/s", bar,
               group_digits(documents).c_str(), mb, seconds > 0 ? mb / seconds : 0.0);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() const {
  if (enabled_ && drawn_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace scry
