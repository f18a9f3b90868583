#include "browse.h"

#include <cstdio>
#include <string>

#include "scry/engine/documents.h"

namespace scry {

int run_document(const IndexReader& index, std::string_view id, const RunOptions& options) {
  auto doc = find_document(index, id);
  if (!doc && doc.status().code() == Status::Code::kNotFound) {
    std::fprintf(stderr, "%s: %s: %s\n", kProgram, index.path().c_str(),
                 doc.status().message().c_str());
    return kExitNoHit;
  }
  if (!doc) return fail(kProgram, doc.status().message());
  const std::string text = format_document(*doc, options.output.format);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return output_ok(kProgram) ? kExitHit : kExitError;
}

int run_list(const IndexReader& index, const RunOptions& options) {
  bool any = false;
  Status listed = for_each_document(index, [&](const StoredDocument& doc) {
    const std::string line = format_listed(doc, options.output.format);
    std::fwrite(line.data(), 1, line.size(), stdout);
    any = true;
    // Stops at a failed write; output_ok() below reports it.
    return std::ferror(stdout) ? Status::io_error("writing standard output") : Status::ok();
  });
  if (!output_ok(kProgram)) return kExitError;
  if (!listed.is_ok()) return fail(kProgram, listed.message());
  return any ? kExitHit : kExitNoHit;
}

}  // namespace scry
