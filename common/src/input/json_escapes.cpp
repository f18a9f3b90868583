#include "input/json_escapes.h"

#include <string_view>

namespace scry {

namespace {

// The value of the four hex digits at s[pos], or -1.
int hex4(std::string_view s, size_t pos) {
  if (pos + 4 > s.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    const char c = s[i];
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

}  // namespace

size_t replace_lone_surrogate_escapes(std::string* json) {
  size_t count = 0;
  // Each step skips the escaped character: in the JSON text \\uD800 the
  // second backslash is an escaped character, not the start of an escape.
  for (size_t i = json->find('\\'); i != std::string::npos && i + 1 < json->size();
       i = json->find('\\', i + 2)) {
    if ((*json)[i + 1] != 'u') continue;
    const int unit = hex4(*json, i + 2);
    const bool high = unit >= 0xD800 && unit <= 0xDBFF;
    const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
    if (high && json->compare(i + 6, 2, "\\u") == 0) {
      const int next = hex4(*json, i + 8);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        i += 6;  // A well-formed pair.
        continue;
      }
    }
    if (high || low) {
      json->replace(i + 2, 4, "FFFD");
      ++count;
    }
  }
  return count;
}

}  // namespace scry
