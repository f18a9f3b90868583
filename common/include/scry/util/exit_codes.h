// How scry's programs end: their exit statuses and their error line.
//
// The statuses are grep's (docs/SEARCHING.md): 0 when scry-search found
// some hit, 1 when it found none, 2 on any error; scry-index exits 0 or 2.
// An error is reported by one line, "PROGRAM: error: MESSAGE", on stderr.
// A failed write to stdout or stderr (a full disk; a closed pipe when
// SIGPIPE is ignored, so that the write fails with EPIPE) is an error too:
// output_ok() and exit_status() find it. With SIGPIPE's default action a
// closed pipe ends the program quietly, as it does `cat`.
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

// Flushes stdout and says whether every write to it so far succeeded. When
// one failed, prints "PROGRAM: error: writing standard output: REASON" on
// stderr (REASON: the system's message, e.g. "No space left on device") and
// returns false; the failure is then cleared, so that it is reported once.
// Call it right after writing, so that REASON is the failed write's.
bool output_ok(const char* program);

// What main() returns: `code`, or kExitError when a write to stdout (the
// error reported as output_ok() does) or to stderr (nowhere left to report
// it) failed. Flushes both.
int exit_status(const char* program, int code);

}  // namespace scry
