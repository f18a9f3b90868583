#include "engine/hit_snippets.h"

#include <algorithm>
#include <string>

namespace scry {

HitSnippets::HitSnippets(const IndexReader& index, Analyzer* analyzer, const SnippetQuery& query,
                         size_t window_tokens, snippets::SnippetAtBuffers* buffers,
                         const TermLookups* lookups)
    : index_(index),
      analyzer_(analyzer),
      query_(query),
      query_index_(query),
      window_tokens_(window_tokens),
      lookups_(lookups),
      buffers_(buffers) {}

Status HitSnippets::text_positions(size_t segment, uint32_t doc, std::string_view term,
                                   std::vector<uint32_t>* out) {
  out->clear();
  const SegmentReader& reader = *index_.segments()[segment];
  auto it = std::find_if(cursors_.begin(), cursors_.end(),
                         [&](const Cursor& c) { return c.segment == segment && c.term == term; });
  const bool fresh = it == cursors_.end();
  if (fresh) {
    cursors_.push_back({segment, std::string(term), std::nullopt, 0});
    it = std::prev(cursors_.end());
  }
  std::optional<PostingsCursor>& cursor = it->cursor;
  if (fresh || (cursor && doc < it->sought)) {
    std::optional<TermInfo> own;
    auto info = find_entry(reader, Field::kText, term, lookups_, &own);
    if (!info) return info.status();
    if (*info != nullptr) {
      cursor.emplace(reader.postings(**info, PostingsCursor::Impacts::kSkip));
    } else {
      cursor.reset();
    }
  }
  if (!cursor) return Status::ok();
  it->sought = doc;
  cursor->seek(doc);
  if (!cursor->status().is_ok()) return cursor->status();
  if (cursor->doc() != doc) return Status::ok();
  return cursor->positions(out);
}

Result<Snippet> HitSnippets::make(size_t segment, uint32_t doc, BodyStart start) {
  const SegmentReader& reader = *index_.segments()[segment];
  // snippet_at loads the checkpoints it needs.
  if (!start.has_checkpoints) {
    auto document = reader.document(doc);
    if (!document) return document.status();
    return make_snippet(analyzer_, document->body, query_, window_tokens_);
  }
  // The frame table's entries are read last, after the positions and the
  // window: they are loaded meanwhile.
  reader.prefetch_body(doc);
  const uint32_t base = start.body_position;
  const auto positions = [&](std::string_view term, std::vector<uint32_t>* out) -> Status {
    SCRY_RETURN_IF_ERROR(text_positions(segment, doc, term, out));
    // Title positions come first, below the body's.
    out->erase(out->begin(), std::lower_bound(out->begin(), out->end(), base));
    for (uint32_t& p : *out) p -= base;
    return Status::ok();
  };
  const auto read = [&](const TextLayout& layout, uint32_t begin, uint32_t end, std::string* out) {
    return reader.read_body(doc, layout, begin, end, out);
  };
  const auto load_layout = [&](uint64_t through, TextLayout* out) {
    return reader.text_layout(doc, through, out);
  };
  auto snippet = snippets::snippet_at(analyzer_, load_layout, query_index_, window_tokens_,
                                      positions, read, buffers_);
  if (!snippet && snippet.status().code() == Status::Code::kCorruption &&
      snippet.status().message().rfind(index_.path(), 0) != 0) {
    // The positions (NAME.pos) and the text and checkpoints (NAME.store)
    // disagree: one of them is damaged.
    const std::string stem = index_.path() + "/" + reader.meta().name;
    return Status::corruption(stem + ".pos or " + stem + ".store: document " + std::to_string(doc) +
                              ": " + snippet.status().message());
  }
  return snippet;
}

}  // namespace scry
