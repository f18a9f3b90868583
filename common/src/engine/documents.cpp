#include "scry/engine/documents.h"

#include <string>

namespace scry {

Result<StoredDocument> find_document(const IndexReader& index, std::string_view id) {
  for (const auto& segment : index.segments()) {
    auto found = segment->find_document(id);
    if (!found) return found.status();
    if (!found->has_value()) continue;
    if (!segment->is_deleted(**found)) return segment->document(**found);
    // The lowest doc id with that id is deleted; a later one of the same
    // segment may be the live document (a repeated id replaces the earlier).
    for (uint32_t doc = **found + 1; doc < segment->doc_count(); ++doc) {
      if (segment->is_deleted(doc)) continue;
      auto meta = segment->document_meta(doc);
      if (!meta) return meta.status();
      if (meta->id == id) return segment->document(doc);
    }
  }
  return Status::not_found("no document with id \"" + std::string(id) + "\"");
}

Status for_each_document(const IndexReader& index,
                         const std::function<Status(const StoredDocument&)>& visit) {
  for (const auto& segment : index.segments()) {
    for (uint32_t doc = 0; doc < segment->doc_count(); ++doc) {
      if (segment->is_deleted(doc)) continue;
      auto meta = segment->document_meta(doc);
      if (!meta) return meta.status();
      SCRY_RETURN_IF_ERROR(visit(*meta));
    }
  }
  return Status::ok();
}

}  // namespace scry
