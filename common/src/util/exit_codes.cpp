#include "scry/util/exit_codes.h"

#include <cstdio>

namespace scry {

int fail(const char* program, const std::string& message) {
  std::fprintf(stderr, "%s: error: %s\n", program, message.c_str());
  return kExitError;
}

}  // namespace scry
