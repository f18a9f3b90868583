// The byte layout of a document store (.store) shared by its writer
// (doc_store_writer.cpp) and its reader (doc_store.cpp); docs/FORMAT.md
// describes each version.
#pragma once

#include <cstddef>
#include <cstdint>

namespace scry::doc_store {

// Versions 1 to 3, text (and meta) chunk index entries: u64 offset, u32
// first doc, u32 compressed size, u32 raw size.
inline constexpr size_t kIndexEntrySize = 20;
// Version 3: u64 meta records offset, u64 text index offset, u32 reserved
// (0), u32 text chunks, u32 documents, u32 reserved (0). Versions 1 and 2:
// u64 meta index offset, u64 text index offset, u32 meta chunks, u32 text
// chunks, u32 documents, u32 reserved (0).
inline constexpr size_t kTrailerSize = 32;
// Versions 4, 5: u64 meta records offset, u64 frame table offset, u64 text
// stream bytes, u32 dictionary bytes, u32 frames, u32 documents, u32 frame
// bytes (version 5; reserved, 0, in version 4).
inline constexpr size_t kFrameTrailerSize = 40;
// The first format version with meta records stored apart, uncompressed.
inline constexpr uint32_t kMetaTableVersion = 3;
// The first format version with the text stream in frames.
inline constexpr uint32_t kFrameVersion = 4;
// The first format version with the frame size in the trailer.
inline constexpr uint32_t kFrameSizeVersion = 5;
// Versions 3, 4, per document: u64 offset of its meta record; u32 in the id
// table. Version 4, per frame and one more: u64 offset in the frame table.
inline constexpr size_t kMetaOffsetSize = 8;
inline constexpr size_t kIdEntrySize = 4;
inline constexpr size_t kFrameEntrySize = 8;
// Version 4 meta record flags: body position and checkpoints follow.
inline constexpr uint8_t kHasCheckpoints = 1;

}  // namespace scry::doc_store
