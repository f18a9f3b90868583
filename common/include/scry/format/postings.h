// Postings: the documents, term frequencies and positions of one term, as
// written to the .post and .pos files (docs/FORMAT.md, "Postings").
//
// A term with df < kPostingsBlockSize (128) is a short list: its postings
// in the varint tail encoding, nothing else (its impacts are cheap to
// compute from the postings and the document lengths, see
// SegmentReader::term_impacts). A longer one is a sequence of blocks of
// kPostingsBlockSize postings (the last one may be partial); each block has
// a header with its last doc id, its byte sizes (so cursors skip blocks
// without decoding them) and its impacts, then doc-id gaps and frequencies
// bit-packed.
//
// Impacts are the Pareto-optimal (tf, document length) pairs of a set of
// postings: no pair has both a higher-or-equal tf and a lower-or-equal
// length than another. BM25's term score grows with tf and shrinks with the
// length, so the maximum over these few pairs is an upper bound of the score
// of every posting in the set, for any k1 >= 0, b in [0, 1] and collection
// statistics, which is why they are stored instead of a precomputed score.
//
// Thread safety: a PostingsWriter is single-threaded; a PostingsCursor is
// single-threaded, and any number of cursors may read the same files.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "scry/format/format.h"
#include "scry/util/file.h"
#include "scry/util/status.h"

namespace scry {

struct Impact {
  uint32_t tf;
  uint32_t doc_len;
  bool operator==(const Impact&) const = default;
};

// Replaces `impacts` by its Pareto-optimal subset, sorted by ascending tf
// (lengths then ascend strictly too).
void pareto_impacts(std::vector<Impact>* impacts);

// Encodes / decodes a Pareto set (varint count, then gaps; see FORMAT.md).
void put_impacts(std::string* dst, const std::vector<Impact>& impacts);
// Returns the position after the set, or nullptr on malformed input.
const uint8_t* get_impacts(const uint8_t* p, const uint8_t* limit, std::vector<Impact>* out);

// What the dictionary keeps for each term.
struct TermInfo {
  uint32_t df = 0;                // Documents containing the term.
  uint64_t cf = 0;                // Occurrences in all documents (sum of tf).
  uint64_t postings_offset = 0;   // Where the term's postings start in .post.
  uint64_t positions_offset = 0;  // Where its positions start in .pos.
  // Pareto impacts of the whole list, kept in the dictionary for long lists
  // (df >= kPostingsBlockSize) only; empty for short lists.
  std::vector<Impact> impacts;
};

class PostingsWriter {
 public:
  // Writes postings to `postings` and positions to `positions`; both stay
  // owned by the caller and must outlive the writer.
  PostingsWriter(FileWriter* postings, FileWriter* positions);

  void begin_term();
  // Adds the next document of the current term.
  // REQUIRES: doc greater than the previous doc of this term; positions
  // non-empty and strictly increasing; doc_len >= positions.size().
  void add(uint32_t doc, uint32_t doc_len, std::span<const uint32_t> positions);
  // The same with the positions given as the bytes of their gaps (`tf`
  // varints, the first from 0), as the build's posting streams hold them:
  // appended as they are, not decoded and encoded again.
  // REQUIRES: as add(); gaps canonical (put_varint32's) and tf of them.
  void add_gaps(uint32_t doc, uint32_t doc_len, uint32_t tf, std::string_view gaps);
  // Ends the term and returns its dictionary entry. REQUIRES: at least one add().
  TermInfo end_term();

 private:
  void flush_block();

  FileWriter* postings_;
  FileWriter* positions_;
  TermInfo info_;
  int64_t last_block_doc_ = -1;  // Last doc of the previous flushed block.
  uint32_t count_ = 0;           // Postings buffered in the current block.
  uint32_t docs_[kPostingsBlockSize];
  uint32_t tfs_[kPostingsBlockSize];
  uint32_t lens_[kPostingsBlockSize];
  std::string block_positions_;
  std::vector<Impact> term_impacts_;
  std::string scratch_;
};

// Reads one term's postings in doc-id order.
//
// Corrupted data never reads out of the mapped files, and never yields a doc
// id at or above the segment's document count (callers index the .norms
// lengths with it): the cursor stops (doc() == kEnd) and status() names the
// problem.
class PostingsCursor {
 public:
  static constexpr uint32_t kEnd = UINT32_MAX;

  // Whether block_impacts() is read from each block header a cursor passes
  // (scoring needs them; positions for snippets do not, and kSkip steps
  // over them without decoding).
  enum class Impacts { kRead, kSkip };

  // `postings`/`positions` are the whole mapped .post and .pos files (their
  // contents before the footer); `doc_count` is the segment's number of
  // documents (doc ids are below it). The cursor starts on the first posting.
  PostingsCursor(const MappedFile& postings, const MappedFile& positions, const TermInfo& info,
                 uint32_t doc_count = kEnd, Impacts impacts = Impacts::kRead);

  // The current doc id, or kEnd after the last posting.
  uint32_t doc() const { return doc_; }
  // The current posting's term frequency. REQUIRES: doc() != kEnd.
  uint32_t freq() const { return freqs_[index_]; }
  // Moves to the next posting.
  void next() {
    if (doc_ != kEnd && ++index_ < block_size_) {
      doc_ = docs_[index_];
      return;
    }
    next_block();
  }
  // Moves to the first posting with doc >= target (never backwards); whole
  // blocks whose last doc is below target are skipped without decoding.
  void seek(uint32_t target);
  // Positions of the current posting, ascending. REQUIRES: doc() != kEnd.
  Status positions(std::vector<uint32_t>* out);

  // Moves the block metadata (block_last_doc, block_impacts) to the block
  // that would hold `target`, reading block headers only: nothing is
  // decoded. Afterwards only seek(t) with t >= target may move the cursor
  // (doc() and freq() are stale until then). When no block reaches target,
  // block_last_doc() stays below it. Lucene's advanceShallow.
  void shallow_seek(uint32_t target);
  // The last doc id of the current block (of the list, for a short list).
  uint32_t block_last_doc() const { return block_last_doc_; }
  // The impacts of the current block of a long list; empty for a short list
  // (df < kPostingsBlockSize), whose one block's impacts are the term's, and
  // for a cursor made with Impacts::kSkip.
  const std::vector<Impact>& block_impacts() const { return block_impacts_; }

  // OK unless corrupted data was met.
  const Status& status() const { return status_; }

 private:
  // next() past the current block's last posting (or at the end).
  void next_block();
  bool read_block_header();
  bool decode_block_body();
  // Stops the cursor with a Corruption status naming `file`: the .post
  // file, or the .pos file for what goes wrong while reading positions.
  void fail(const MappedFile& file, const std::string& what);

  const MappedFile& post_file_;
  const MappedFile& pos_file_;
  const uint8_t* post_end_;
  const uint8_t* pos_end_;
  uint32_t df_;
  uint32_t doc_count_;
  bool long_list_;
  bool read_impacts_;
  const uint8_t* next_block_ = nullptr;  // Start of the next block header.
  const uint8_t* pos_block_ = nullptr;   // Positions of the current block.
  const uint8_t* next_pos_block_ = nullptr;
  const uint8_t* body_ = nullptr;  // Body of the current block.
  const uint8_t* body_end_ = nullptr;
  uint32_t remaining_ = 0;  // Postings in blocks after the current one.
  uint32_t block_size_ = 0;
  uint32_t index_ = 0;  // Current posting within the block.
  int64_t prev_block_last_ = -1;
  uint32_t block_last_doc_ = 0;
  bool decoded_ = false;
  uint32_t doc_ = kEnd;
  uint32_t docs_[kPostingsBlockSize];
  uint32_t freqs_[kPostingsBlockSize];
  // Positions decoding state within the current block.
  const uint8_t* pos_cursor_ = nullptr;
  uint32_t pos_index_ = 0;
  std::vector<Impact> block_impacts_;
  Status status_;
};

}  // namespace scry
