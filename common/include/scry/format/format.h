// The constants of the on-disk format. docs/FORMAT.md describes every file
// byte by byte; change both in the same commit.
//
// Format change log (newest last; bump kFormatVersion when an older reader
// can no longer read what is written, or a newer writer's files would be
// misread by this code):
//   1 (2026-11-22): first format: MANIFEST, .terms, .post, .pos, .store, .norms.
//   2 (2026-12-01): several segments with deletion bitmaps (.del), the FILES
//      table, MANIFEST "next_segment" and per-segment "deleted". Version 1
//      files are still read (an index of version 1 is one segment without
//      deletions or FILES).
//   3 (2026-12-06): .store keeps the meta records (id, title, source,
//      length) uncompressed after the text chunks, with a table of their
//      offsets and a table of doc ids sorted by external id, instead of
//      zstd chunks of their own. The .store files of versions 1 and 2 are
//      still read through their meta chunks; every other file is unchanged.
//   4 (2026-12-06): .store keeps the bodies as one text stream cut into
//      2 KiB frames, each compressed with zstd and a dictionary trained on
//      the segment's text, and each meta record also holds where its body
//      lies in the stream, its body position and its checkpoints; a byte
//      range of a body decompresses only the frames covering it. Stores of
//      versions 1 to 3 are still read; every other file is unchanged.
//   5 (2026-12-06): .store records its frame size in the trailer (the u32
//      reserved in version 4) and the writer cuts 1 KiB frames instead of
//      2 KiB; version 4 stores (frame size 2048) and older are still read;
//      every other file is unchanged.
//   6 (2026-12-06): .terms appends a trie of its keys with their df (runs
//      for single-child chains, children before parents) after the sparse
//      index, and its trailer records the trie's offset and root (36 bytes
//      instead of 20); fuzzy terms walk it. Dictionaries of versions 1 to
//      5 are still read (fuzzy terms walk their sorted keys); every other
//      file is unchanged.
//   7 (2026-12-06): each trie node with children records the fewest and most
//      code points of the keys below it (after its df), so that a fuzzy
//      term's walk skips the subtrees whose keys are all too short or too
//      long for the word; .terms also holds a trie of the keys with their
//      terms reversed after the first, and its trailer (52 bytes) records
//      its offset and root, for the forward-backward walk of word~2. Tries
//      of version 6 are still read (walked whole, without the lengths);
//      every other file is unchanged.
#pragma once

#include <cstddef>
#include <cstdint>

namespace scry {

inline constexpr uint32_t kFormatVersion = 7;
// The oldest version this code still reads.
inline constexpr uint32_t kOldestReadableFormatVersion = 1;

// The last 8 bytes of every index file.
inline constexpr char kMagic[8] = {'S', 'C', 'R', 'Y', 'I', 'N', 'D', 'X'};

// Footer: u64 content length, u64 xxh3-64 of the content, u32 format
// version, u32 file kind, 8 bytes magic; all little-endian.
inline constexpr size_t kFooterSize = 32;

// File kind tags: four ASCII bytes read as a little-endian u32.
constexpr uint32_t make_kind(char a, char b, char c, char d) {
  return static_cast<uint32_t>(static_cast<uint8_t>(a)) |
         static_cast<uint32_t>(static_cast<uint8_t>(b)) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(c)) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(d)) << 24;
}
inline constexpr uint32_t kKindManifest = make_kind('M', 'A', 'N', 'I');
inline constexpr uint32_t kKindTerms = make_kind('T', 'E', 'R', 'M');
inline constexpr uint32_t kKindPostings = make_kind('P', 'O', 'S', 'T');
inline constexpr uint32_t kKindPositions = make_kind('P', 'O', 'S', 'N');
inline constexpr uint32_t kKindStore = make_kind('S', 'T', 'O', 'R');
inline constexpr uint32_t kKindNorms = make_kind('N', 'O', 'R', 'M');
inline constexpr uint32_t kKindDeletions = make_kind('D', 'E', 'L', 'S');
inline constexpr uint32_t kKindFiles = make_kind('F', 'I', 'L', 'E');
// NAME.words, the word dictionary (2026-12-06, a feature of version 4:
// segments without it still open; docs/SPELLING.md).
inline constexpr uint32_t kKindWords = make_kind('W', 'O', 'R', 'D');

// Fields. A term key in the dictionary is one field byte followed by the
// term's UTF-8 bytes, so keys sort by field, then term.
enum class Field : uint8_t { kText = 0, kTitle = 1 };
inline constexpr size_t kFieldCount = 2;
inline constexpr const char* kFieldNames[kFieldCount] = {"text", "title"};

// Postings are grouped in blocks of this many documents (the bitpack block).
inline constexpr uint32_t kPostingsBlockSize = 128;
// Entries per front-coded block of the term dictionary.
inline constexpr uint32_t kTermsPerBlock = 32;
// Uncompressed bytes of the text stream in every frame of the document store
// but the last (frame k holds bytes [k, k + 1) times this) that the writer
// cuts. Version 5 records the frame size in the store's trailer: a power of
// two from kStoreMinFrameBytes to kStoreMaxFrameBytes; version 4 stores have
// frames of kStoreV4FrameBytes.
inline constexpr size_t kStoreFrameBytes = size_t{1} * 1024;
inline constexpr size_t kStoreMinFrameBytes = 256;
inline constexpr size_t kStoreMaxFrameBytes = size_t{1} << 20;
inline constexpr size_t kStoreV4FrameBytes = size_t{2} * 1024;
// The frames' zstd level and shortest match: with the 256 KiB dictionary,
// level 4 with matches of 7 bytes or more decodes a 1 KiB frame in 14%
// fewer instructions than level 3 with its own (5) and a 64 KiB dictionary,
// for a store 0.4% smaller, and compresses in 7% fewer (docs/PERFORMANCE.md,
// "Snippets on 2026-12-07").
inline constexpr int kStoreZstdLevel = 4;
inline constexpr int kStoreZstdMinMatch = 7;
// Version 4: the frames' zstd dictionary is trained on the first this many
// bytes of a segment's text (all of it when less), in frame-size samples,
// holds at most kStoreDictionaryBytes and at most 1/16 of the training text,
// and is left out (size 0) when the text is under kStoreMinTrainBytes.
inline constexpr size_t kStoreTrainBytes = size_t{4} << 20;
inline constexpr size_t kStoreDictionaryBytes = size_t{256} * 1024;
inline constexpr size_t kStoreMinTrainBytes = size_t{64} * 1024;
// How the dictionary is trained (zstd's fastCover, train_store_dictionary in
// doc_store.h): segments of kStoreTrainSegment bytes, d-mers of
// kStoreTrainDmer, on the first kStoreTrainSplit of the samples. The reader
// does not depend on them.
inline constexpr unsigned kStoreTrainSegment = 50;
inline constexpr unsigned kStoreTrainDmer = 8;
inline constexpr double kStoreTrainSplit = 0.75;
// Version 4 bodies: checkpoints (doc_store.h TextCheckpoint) about every this
// many positions.
inline constexpr uint32_t kCheckpointPositions = 32;

// Positions of the body continue after the title's with this gap, so a
// phrase never matches across the title/body boundary.
inline constexpr uint32_t kTitleBodyPositionGap = 1;

}  // namespace scry
