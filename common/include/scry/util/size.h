// Human sizes: parsing "32M" on the command line and printing byte counts
// and counts of things.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scry/util/status.h"

namespace scry {

// Parses a byte count with an optional binary suffix K, M, G (or KB, MB,
// GB, KiB, MiB, GiB; case-insensitive): "512K" = 524288, "32M", "1G", "4096".
// Errors: InvalidArgument naming the text.
Result<uint64_t> parse_size(std::string_view text);

// "1,234,567": digits grouped by thousands.
std::string group_digits(uint64_t n);

// group_digits(n) and the noun that agrees with it: "1 document",
// "2,000 documents".
std::string count_of(uint64_t n, std::string_view singular, std::string_view plural);

}  // namespace scry
