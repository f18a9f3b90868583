// Finding one's way in an index without a query: scry-search INDEX --doc ID
// prints a stored document, --list lists every live document's id and
// title (docs/SEARCHING.md, "Documents by id"). The lookup is
// scry/engine/documents.h's.
//
// Thread safety: single-threaded (writes to stdout and stderr).
#pragma once

#include <string_view>

#include "cli.h"
#include "scry/format/index_reader.h"

namespace scry {

// Prints the live document `id` of `index` (output.h's format_document in
// options.output.format). Returns kExitHit; kExitNoHit when no live
// document has that id (a line on stderr says so, as grep has none);
// kExitError on the index's error or a failed write, reported.
int run_document(const IndexReader& index, std::string_view id, const RunOptions& options);

// Prints one line per live document (output.h's format_listed), in the
// order of for_each_document. Returns kExitHit; kExitNoHit when the index
// has no live document; kExitError on the index's error or a failed write
// (it stops there), reported.
int run_list(const IndexReader& index, const RunOptions& options);

}  // namespace scry
