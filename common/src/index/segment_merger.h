// merge_segments: writes one segment holding the live documents of several
// segments, by a postings-level merge (no re-analysis; docs/SEGMENTS.md,
// "Merge policy").
//
// The new segment holds the documents that are not deleted, in the order of
// `segments` and then of doc ids, numbered 0, 1, 2, ... (deleted documents
// leave no gap). For each term key, in key order over the union of the
// segments' dictionaries, the live postings of each segment in turn are
// renumbered and written by the PostingsWriter (block impacts from the new
// segment's lengths) and the TermDictionaryWriter the builder uses; a term
// whose every posting is deleted disappears. Stored documents (.store) and
// lengths (.norms) are copied in the same order. The files are therefore
// byte for byte those an IndexBuilder writes for the same live documents in
// the same order with the same analyzer settings and segment number
// (tested by tests/common/segment_merge_test.cpp).
//
// It streams: one posting (with its positions) and one stored document at a
// time, plus a doc-id map of 4 bytes per document of each input segment
// that has deletions. It writes the five files of the new segment only:
// no MANIFEST and no .del file (the new segment has no deletions); the
// caller lists the returned SegmentMeta in its manifest and publishes the
// folder.
//
// Thread safety: it reads the segments' stored documents through
// SegmentReader::document(), so no other thread may use those
// SegmentReaders while it runs. Different calls on different segments may
// run concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/format/manifest.h"
#include "scry/util/status.h"

namespace scry {

// Writes into folder `dir` (which must exist) the files of segment
// segment_name(number) (NAME.terms, .post, .pos, .store, .norms, replacing
// files of those names) holding the live documents of `segments`, and
// returns its SegmentMeta (documents, terms, postings, positions and
// field_lengths of the live documents; deleted = 0). The segments must come
// from one index (the same analyzer settings). An empty list, or segments
// with no live document, give an empty segment, as an IndexBuilder given no
// document writes.
//
// Errors: InvalidArgument (number is 0; an input segment has the output's
// name, whose files would be overwritten while read; more than 2^32 - 2 live
// documents), IOError (writing in `dir`, naming the file), Corruption (a
// damaged input file met while reading, naming it). On error the files of
// the new segment are removed (best effort).
Result<SegmentMeta> merge_segments(const std::vector<const SegmentReader*>& segments,
                                   const std::string& dir, uint32_t number);

}  // namespace scry
