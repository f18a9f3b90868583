// fixed_decimal against printf's "%.*f", the slow reference, on random
// doubles of every magnitude and sign and on the special values.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "scry/util/decimal.h"

namespace {

std::string printf_fixed(double value, int digits) {
  char buf[400];
  const int n = std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

TEST_CASE("fixed_decimal writes what printf's %.*f writes", "[decimal]") {
  std::mt19937_64 rng(20261206);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  std::uniform_int_distribution<int> digits(0, 17);
  for (int i = 0; i < 200000; ++i) {
    // Scores and idfs (0..30), halves that round to even, and any magnitude.
    double value = 0;
    switch (i % 4) {
      case 0:
        value = unit(rng) * 30;
        break;
      case 1:
        value = std::ldexp(std::round(unit(rng) * 4096), -12) * 64;
        break;
      case 2:
        value = unit(rng) * std::pow(10.0, exponent(rng));
        break;
      default: {
        const uint64_t bits = rng();
        std::memcpy(&value, &bits, sizeof value);
        if (!std::isfinite(value) || std::fabs(value) > 1e300) value = 1.5;
      }
    }
    if (rng() % 2) value = -value;
    const int d = digits(rng);
    INFO("value " << value << " digits " << d);
    REQUIRE(scry::fixed_decimal(value, d) == printf_fixed(value, d));
  }
  for (double special :
       {0.0, -0.0, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::max(),
        -std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min()}) {
    for (int d : {0, 3, 6, 17}) CHECK(scry::fixed_decimal(special, d) == printf_fixed(special, d));
  }
  CHECK(scry::fixed_decimal(std::nan(""), 6) == printf_fixed(std::nan(""), 6));
}
