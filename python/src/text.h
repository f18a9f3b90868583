// Text handed to Python: the library's UTF-8 strings as str, and snippet
// highlights as character offsets (what slicing a str takes) instead of
// the library's byte offsets.
//
// REQUIRES (every function): the calling thread holds the GIL.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace scry::python {

// `text` as a str. Text the library stores is valid UTF-8 (the readers
// repair it); anything else has its invalid sequences replaced by U+FFFD
// first, as the library would.
pybind11::str to_str(std::string_view text);

// The byte ranges [start, end) of `text`, sorted, as a list of (start, end)
// character offsets into to_str(text).
// REQUIRES: text is valid UTF-8 (a snippet is); ranges sorted by start,
// not overlapping, within text.
pybind11::list char_ranges(std::string_view text,
                           const std::vector<std::pair<uint32_t, uint32_t>>& ranges);

}  // namespace scry::python
