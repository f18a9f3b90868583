#include "scry/util/decimal.h"

#include <charconv>
#include <system_error>

namespace scry {

std::string fixed_decimal(double value, int digits) {
  // The longest: a sign, 309 integer digits, the point and 17 decimals.
  char buf[330];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, digits);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

}  // namespace scry
