#include "scry/util/size.h"

#include <cctype>
#include <charconv>

namespace scry {

Result<uint64_t> parse_size(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  auto bad = [&]() {
    return Status::invalid_argument("invalid size '" + std::string(text) +
                                    "' (expected a number with an optional K, M or G suffix)");
  };
  if (ec != std::errc() || end == text.data()) return bad();
  std::string suffix;
  for (const char* p = end; p < text.data() + text.size(); ++p) {
    suffix += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  }
  int shift = 0;
  if (suffix.empty() || suffix == "B") {
    shift = 0;
  } else if (suffix == "K" || suffix == "KB" || suffix == "KIB") {
    shift = 10;
  } else if (suffix == "M" || suffix == "MB" || suffix == "MIB") {
    shift = 20;
  } else if (suffix == "G" || suffix == "GB" || suffix == "GIB") {
    shift = 30;
  } else {
    return bad();
  }
  if (shift > 0 && value > (UINT64_MAX >> shift)) return bad();
  return value << shift;
}

std::string group_digits(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string count_of(uint64_t n, std::string_view singular, std::string_view plural) {
  return group_digits(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace scry
