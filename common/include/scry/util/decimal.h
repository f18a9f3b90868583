// Fixed-point decimal text of a double, for the scores and idfs scry-search
// prints.
//
// Thread safety: a pure function.
#pragma once

#include <string>

namespace scry {

// `value` with `digits` digits after the point, the same text as printf's
// "%.*f" in the C locale ("2.500000", "-0.000", "inf", "nan"), written by
// std::to_chars instead of parsing a format. REQUIRES: 0 <= digits <= 17.
std::string fixed_decimal(double value, int digits);

}  // namespace scry
