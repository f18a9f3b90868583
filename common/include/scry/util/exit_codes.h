// How scry's programs end: their exit statuses and their error line.
//
// The statuses are grep's (docs/SEARCHING.md): 0 when scry-search found
// some hit, 1 when it found none, 2 on any error; scry-index exits 0 or 2.
// An error is reported by one line, "PROGRAM: error: MESSAGE", on stderr.
//
// Thread safety: fail() writes its line with one call, as stdio locks.
#pragma once

#include <string>

namespace scry {

inline constexpr int kExitHit = 0;
inline constexpr int kExitNoHit = 1;
inline constexpr int kExitError = 2;

// Prints "PROGRAM: error: MESSAGE" and a newline to stderr; returns
// kExitError, so that a program's run() can end with `return fail(...)`.
int fail(const char* program, const std::string& message);

}  // namespace scry
