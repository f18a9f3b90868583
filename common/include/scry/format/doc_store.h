// The document store (.store): for every document its external id, title,
// source and token length, and (version 4) where its body lies in the text
// stream, its body position and checkpoints (the "meta" record), and its
// text (docs/FORMAT.md, "Document store").
//
// Versions 4 and 5: the bodies are one text stream cut into frames of
// a fixed size (version 5: recorded in the store, kStoreFrameBytes when
// written; version 4: kStoreV4FrameBytes), each compressed with zstd and a
// dictionary trained on the segment's first text; a byte range of a body is
// read by decompressing only the frames covering it. Meta records are stored
// uncompressed after the frames, with a fixed-width table of their offsets,
// so fetching a hit's id, title or body layout is a few loads from the mapped
// file and never decompresses anything; a table of doc ids sorted by external
// id finds a document by its id in log2(N) probes. Stores of version 3 (texts
// in 32 KiB chunks, one decompressed per fetch) and of versions 1 and 2 (meta
// records in zstd chunks of their own too) are still read.
//
// Thread safety: the writer is single-threaded. The reader keeps the last
// frame it decompressed (versions 4, 5) or the chunks (up to 4 MB per
// stream, then starts afresh; versions 1 to 3), so
// get(), body_range(), read_body() and, on older files, get_meta(), layout() and
// find_id() need one DocStoreReader per thread; on version 4 and 5 files
// get_meta(), layout() and find_id() read only the mapping (version 3:
// get_meta() and find_id()).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scry/util/file.h"
#include "scry/util/status.h"

namespace scry {

// A place where analysis of a body can start afresh and produce the same
// tokens as analysis of the whole body: the start of an emitted token that
// is at byte 0 or right after an ASCII space, tab, CR or LF.
struct TextCheckpoint {
  uint32_t position;  // The token's position within the body (from 0).
  uint32_t offset;    // The byte offset of its first byte in the body.
  bool operator==(const TextCheckpoint&) const = default;
};

struct StoredDocument {
  std::string id;
  std::string title;
  std::string source;
  uint32_t length = 0;  // Tokens in the text field (title and body).
  std::string body;
  // Format version 4: whether body_position and checkpoints are known
  // (false from older stores, and for documents merged from them: the writer
  // stores them only when true); the text-field position of the body's
  // position 0 (title positions + kTitleBodyPositionGap, or 0 without a
  // title); checkpoints in strictly increasing position and offset, each
  // offset inside the body (the builder writes one about every
  // kCheckpointPositions positions).
  bool has_checkpoints = false;
  uint32_t body_position = 0;
  std::vector<TextCheckpoint> checkpoints;
};

// What a snippet needs to know of a body before reading any of it.
struct TextLayout {
  // False for stores older than version 4 and documents merged from them.
  bool has_checkpoints = false;
  uint32_t body_bytes = 0;
  uint32_t body_position = 0;
  // Where the body starts in the store's text stream (versions 4 and
  // later; 0 before), so that DocStoreReader::read_body() needs no meta
  // record.
  uint64_t body_begin = 0;
  std::vector<TextCheckpoint> checkpoints;
};

// The document store's zstd dictionary for a segment whose text begins with
// `text`: trained on its first kStoreTrainBytes (all of it when shorter) in
// kStoreFrameBytes samples, at most `capacity` (the store's:
// kStoreDictionaryBytes) and 1/16 of the training text; empty when that
// text is under kStoreMinTrainBytes or zstd cannot train on it
// (docs/FORMAT.md, "seg1.store").
std::string train_store_dictionary(std::string_view text, size_t capacity);

class DocStoreWriter {
 public:
  // Writes to `out`, owned by the caller.
  explicit DocStoreWriter(FileWriter* out);
  ~DocStoreWriter();
  DocStoreWriter(const DocStoreWriter&) = delete;
  DocStoreWriter& operator=(const DocStoreWriter&) = delete;

  // Appends the next document (doc ids are assigned in order from 0). The
  // meta records are kept in memory until finish() (ids, titles and
  // sources: 1.15 MB for the 30,539 Wikipedia articles), so is the text until
  // the dictionary is trained (kStoreTrainBytes, or all of it when less).
  // Errors: InvalidArgument (checkpoints out of order or outside the body,
  // a body of 4 GiB or more), IoError (zstd).
  Status add(const StoredDocument& doc);
  // Writes the last frames, the meta records and their tables, the frame
  // table and the trailer (not the footer).
  Status finish();

  uint32_t doc_count() const { return doc_count_; }

 private:
  // Trains the dictionary on the text buffered so far (none when it is too
  // little or training fails) and writes it.
  Status train();
  // Compresses the whole frames buffered (and, with `last`, the rest).
  Status compress_frames(bool last);

  FileWriter* out_;
  struct Context;
  std::unique_ptr<Context> zstd_;
  std::string meta_;                    // The meta records, in doc order.
  std::vector<uint64_t> meta_offsets_;  // Where each starts in meta_.
  std::string pending_;                 // Text not yet in a frame.
  uint64_t text_bytes_ = 0;             // Text added, in all.
  bool trained_ = false;
  std::string frame_table_;  // u64 file offsets of the frames written.
  std::string compressed_;
  uint32_t doc_count_ = 0;
};

class DocStoreReader {
 public:
  // Checks the trailer of `file` (which must outlive the reader); the chunk
  // indexes and frame table are read in place and the dictionary copied
  // once (frames are decoded right after it), so opening costs little more.
  // Errors: Corruption naming the file.
  static Result<std::unique_ptr<DocStoreReader>> open(const MappedFile& file);
  ~DocStoreReader();

  uint32_t doc_count() const { return doc_count_; }
  // Uncompressed bytes of every frame of the text stream but the last
  // (version 5: from the trailer; version 4: kStoreV4FrameBytes); 0 for
  // stores older than version 4, which have no frames.
  uint64_t frame_bytes() const { return frame_bytes_; }
  // Fetches document `doc`, text and checkpoints included. Errors:
  // InvalidArgument (doc out of range), Corruption (bad chunk, frame or
  // record; the message names the file), IOError (a frame read with pread).
  Result<StoredDocument> get(uint32_t doc);
  // The same without the text and the checkpoints (body and checkpoints left
  // empty; has_checkpoints and body_position set): reads the meta record only.
  Result<StoredDocument> get_meta(uint32_t doc);
  // The body's size, body position and checkpoints, without decompressing
  // anything (versions 4, 5; older stores give has_checkpoints = false and
  // decompress the chunk to learn body_bytes). The checkpoints are decoded
  // up to and including the first whose position is past `through` (the
  // rest are left out: a long text has hundreds). Errors: as get().
  Result<TextLayout> layout(uint32_t doc, uint64_t through = std::numeric_limits<uint64_t>::max());
  // The same into `out`, whose checkpoints' memory is reused (a caller
  // laying out many documents keeps one).
  Status layout(uint32_t doc, uint64_t through, TextLayout* out);
  // Bytes [begin, min(end, body size)) of the body of `doc` (empty when
  // begin >= end or begin >= body size); versions 4, 5 decompress only the
  // frames covering them, older stores the whole chunk. Errors: as get().
  Result<std::string> body_range(uint32_t doc, uint32_t begin, uint32_t end);
  // The same into `out` (replacing what it held; its memory is reused),
  // from the layout of `doc` the caller has read (REQUIRES: as layout()
  // gave it), without parsing the meta record again.
  Status read_body(uint32_t doc, const TextLayout& layout, uint32_t begin, uint32_t end,
                   std::string* out);
  // A hint that part of the body of `doc` will be read soon: starts loading
  // the frame table's entries that locate its frames (those of its first
  // 128; versions 4 and later), so that the read waits less for them. Does
  // nothing when the meta record cannot be read.
  void prefetch_body(uint32_t doc);
  // The doc id of the document whose external id is `id` (the lowest doc id
  // when several have it), nullopt when none has. Versions 3 and 4: a binary
  // search of the id table; versions 1 and 2: a scan of every meta record.
  // Errors: Corruption.
  Result<std::optional<uint32_t>> find_id(std::string_view id);

 private:
  explicit DocStoreReader(const MappedFile& file);
  struct Table;
  struct Meta;
  // The record of `doc` in `table`'s chunks (versions 1 to 3), or an error.
  Result<std::string_view> record(Table* table, uint32_t doc);
  // The fields of the meta record of `doc` (REQUIRES: doc < doc_count_),
  // from the record table (versions 3, 4) or the meta chunks (versions 1,
  // 2), checked. With `checkpoints`, the checkpoints layout() decodes
  // replace what it held.
  Result<Meta> meta(uint32_t doc, std::vector<TextCheckpoint>* checkpoints,
                    uint64_t through = std::numeric_limits<uint64_t>::max());
  // The document of meta record `m`, its body and checkpoints empty.
  static StoredDocument without_body(const Meta& m);
  // The body of `doc` from a text chunk (versions 1 to 3).
  Result<std::string_view> chunk_body(uint32_t doc);
  // Bytes [begin, begin + size) of the text stream (version 4; REQUIRES: in
  // the stream), appended to `out`.
  Status read_stream(uint64_t begin, uint64_t size, std::string* out);
  // Decompressed frame `k` (versions 4, 5; REQUIRES: k < frames_), valid
  // until another frame is decompressed (the reader keeps the last one).
  // The compressed frame is read with pread when the file allows it
  // (MappedFile::can_read_at), else from the mapping.
  Result<std::string_view> frame(uint32_t k);
  // Reads the file's bytes [begin, end) with pread into the buffer frame()
  // decompresses from (REQUIRES: MappedFile::can_read_at, within the file).
  Status read_compressed(uint64_t begin, uint64_t end);
  // Reads the dictionary into the context's window and references it
  // (versions 4 on, when the store has one). Errors: IoError, Corruption.
  Status load_dictionary();

  const MappedFile& file_;
  uint32_t doc_count_ = 0;
  // Versions 3, 4: where the meta records start, and their offset table and
  // id table (both read in place). Versions 1, 2: meta_ holds the meta
  // chunks.
  uint64_t meta_records_ = 0;
  uint64_t meta_table_ = 0;
  uint64_t id_table_ = 0;
  // Versions 4, 5: the frame table, frames, bytes of the text stream, the
  // dictionary's size (the frames follow it) and the frame size; zstd_ keeps
  // the last frames. Versions 1 to 3: text_ caches the text chunks.
  uint64_t frame_table_ = 0;
  uint32_t frames_ = 0;
  uint64_t text_bytes_ = 0;
  uint64_t dictionary_bytes_ = 0;
  uint64_t frame_bytes_ = 0;
  std::unique_ptr<Table> meta_;
  std::unique_ptr<Table> text_;
  struct Context;
  std::unique_ptr<Context> zstd_;
};

}  // namespace scry
