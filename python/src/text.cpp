#include "text.h"

#include <string>

#include "scry/util/utf8.h"

namespace py = pybind11;

namespace scry::python {

py::str to_str(std::string_view text) {
  if (is_valid_utf8(text)) return py::str(text.data(), text.size());
  std::string repaired(text);
  (void)repair_utf8(&repaired);
  return py::str(repaired);
}

py::list char_ranges(std::string_view text,
                     const std::vector<std::pair<uint32_t, uint32_t>>& ranges) {
  py::list out;
  size_t byte = 0, chars = 0;
  // Advances to byte offset `to`, counting characters.
  auto chars_at = [&](size_t to) {
    while (byte < to && byte < text.size()) {
      byte += decode_utf8(text, byte).length;
      ++chars;
    }
    return chars;
  };
  for (const auto& [start, end] : ranges) {
    const size_t first = chars_at(start);
    out.append(py::make_tuple(first, chars_at(end)));
  }
  return out;
}

}  // namespace scry::python
