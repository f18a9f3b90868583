// Document: one unit of indexing as the readers produce it.
//
// Thread safety: a plain value.
#pragma once

#include <string>

namespace scry {

struct Document {
  std::string id;      // External id: JSON `id` field, or the file path.
  std::string title;   // Headline; may be empty.
  std::string body;    // Plain text (HTML already stripped), valid UTF-8.
  std::string source;  // Where it came from: "path" or "path:line".
};

}  // namespace scry
