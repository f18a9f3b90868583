// JSON string literals for what scry writes as JSON (the MANIFEST,
// scry-search --format json).
//
// Thread safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace scry {

// `text` as a JSON string literal, quotes included: '"', '\\' and control
// characters escaped (\n, \r, \t, \b, \f, else \u00XX), invalid UTF-8
// replaced by U+FFFD, everything else passed through.
std::string json_string(std::string_view text);

}  // namespace scry
