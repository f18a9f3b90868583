// Repairs of JSON text that simdjson would reject but writers produce, made
// before a JSON line is parsed (docs/INPUTS.md).
//
// Thread safety: a pure function.
#pragma once

#include <cstddef>
#include <string>

namespace scry {

// Rewrites each "\uXXXX" escape of an unpaired UTF-16 surrogate in `json`
// (which simdjson rejects; JavaScript's JSON.stringify writes them) as
// "\uFFFD". Returns how many were rewritten.
size_t replace_lone_surrogate_escapes(std::string* json);

}  // namespace scry
