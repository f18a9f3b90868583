// Progress: the indexer's progress bar on a terminal.
//
// Redraws one line on stderr at most ten times a second: a bar (when the
// total input size is known), documents, MB read and MB/s. Disabled
// progress objects print nothing, so callers need no checks.
//
// Thread safety: single-threaded.
#pragma once

#include <chrono>
#include <cstdint>

namespace scry {

class Progress {
 public:
  // `total_bytes` is the expected input size, 0 when unknown (stdin).
  Progress(bool enabled, uint64_t total_bytes);
  // Redraws if enough time has passed since the last redraw.
  void update(uint64_t documents, uint64_t bytes);
  // Clears the line.
  void finish() const;

 private:
  void draw(uint64_t documents, uint64_t bytes);

  bool enabled_;
  uint64_t total_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool drawn_ = false;
};

}  // namespace scry
