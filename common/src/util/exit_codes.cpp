#include "scry/util/exit_codes.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace scry {

int fail(const char* program, const std::string& message) {
  std::fprintf(stderr, "%s: error: %s\n", program, message.c_str());
  return kExitError;
}

bool output_ok(const char* program) {
  // A write that failed inside fwrite() left errno set and the error flag;
  // a failure of the buffered rest shows in fflush().
  const int earlier = errno;
  const bool flushed = std::fflush(stdout) == 0;
  if (flushed && !std::ferror(stdout)) return true;
  const int error = flushed ? earlier : errno;
  std::clearerr(stdout);
  fail(program, std::string("writing standard output: ") +
                    (error != 0 ? std::strerror(error) : "write error"));
  return false;
}

int exit_status(const char* program, int code) {
  const bool out = output_ok(program);
  const bool err = std::fflush(stderr) == 0 && !std::ferror(stderr);
  return out && err ? code : kExitError;
}

}  // namespace scry
