// The stored documents of an opened index by external id: one document
// looked up (scry-search --doc, the REPL's :show), and every live one
// walked in order (scry-search --list).
//
// Lookup asks each segment's document store for the id
// (SegmentReader::find_document: a binary search of its id table, or a scan
// of the meta records in stores older than format 3), newest segment last.
// Deleted documents are skipped: when the first document of a segment with
// the id is deleted, the rest of that segment is scanned for a live one.
// The live documents' ids are unique (a document whose id comes again
// replaces the earlier one, docs/SEGMENTS.md).
//
// Thread safety: as IndexReader's document reads (each segment keeps a
// decompression cache): one thread at a time per IndexReader.
#pragma once

#include <functional>
#include <string_view>

#include "scry/format/doc_store.h"
#include "scry/format/index_reader.h"
#include "scry/util/status.h"

namespace scry {

// The live document whose external id is `id`, text included. Errors:
// NotFound ("no document with id \"ID\""), Corruption naming the file.
Result<StoredDocument> find_document(const IndexReader& index, std::string_view id);

// Calls `visit` with each live document's id, title, source and length
// (body left empty), in segment order then doc id order (the order they
// were indexed in, until a merge); stops at the first error `visit`
// returns, and returns it. Errors: those of `visit`, Corruption naming the
// file.
Status for_each_document(const IndexReader& index,
                         const std::function<Status(const StoredDocument&)>& visit);

}  // namespace scry
