// Helpers shared by the libFuzzer targets in tests/fuzz (README.md there).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace scry::fuzz {

// Reports a broken invariant (what, and the input as an escaped string) on
// stderr and aborts, which libFuzzer records as a crash.
[[noreturn]] void fail(const char* what, std::string_view input);

// Checks `cond`; on false, fail(what, input).
inline void check(bool cond, const char* what, std::string_view input) {
  if (!cond) fail(what, input);
}

// A private scratch folder for this process (under /dev/shm when it exists,
// else the system temp folder), created on first use, removed at exit.
const std::string& scratch_dir();

// Writes `bytes` to `path` (truncating). Aborts on I/O errors: the harness
// cannot go on without its files.
void write_file(const std::string& path, std::string_view bytes);

}  // namespace scry::fuzz
