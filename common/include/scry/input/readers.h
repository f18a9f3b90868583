// Readers: turn input paths into Documents.
//
// Supported inputs (docs/INPUTS.md has the details and the rules):
//   * .txt, .text, .md, .markdown: id and source are the path. When the
//     file opens with a front-matter block ("---" line, "key: value" lines,
//     "---" line) with a non-empty `title:` (quotes stripped), that is the
//     title and the body is everything after the closing "---" line, byte
//     for byte. Otherwise (the block, if any, is still dropped) the title is
//     the first non-empty line, trimmed, and the body is everything after
//     that line. In Markdown an ATX heading's marks are dropped ("## Intro"
//     -> "Intro") and a setext underline ("===", "---") under the title line
//     is not part of the body.
//   * .html, .htm: html_to_text() gives title and body.
//   * .jsonl, .ndjson: one JSON object a line; fields named by JsonFields.
//     body: a string, required. title: a string, optional. id: a string or
//     an integer (written in decimal); missing, null or "" -> "path:line".
//     Source "path:line" (lines count from 1). Blank lines are ignored.
//     Invalid UTF-8 and unpaired surrogate escapes ("\ud800") in a line
//     become U+FFFD rather than rejecting it. Lines are read in chunks, so a
//     line may be as long as memory allows (parsing holds about four times
//     the line: the chunks, a padded copy, simdjson's buffers).
//   * "-": JSON lines on standard input (source "-:line").
//   * A folder: walked recursively, entries in byte order of names at each
//     level, taking the extensions above (case-insensitive) and ignoring
//     other files. Hidden entries (".name") and entries whose name, path
//     relative to the folder, or path as walked match an exclude glob are
//     left out; symbolic links to folders are not followed. Ids and sources
//     are the folder path as given joined with the relative path.
// Limits (docs/INPUTS.md, "Limits"), so that one giant input cannot make
// a giant title, hold the build's memory or flood search output:
//   * A document holds at most ReaderOptions::max_doc_bytes of text. Of a
//     .txt, .md or .html file only the first max_doc_bytes bytes are read;
//     a JSON lines body longer than that is cut to it. The cut falls on a
//     UTF-8 character boundary (at most 3 bytes earlier); each truncated
//     document is reported through DocumentSink::on_truncate and counted
//     in ReadStats::truncated.
//   * A title holds at most kMaxTitleBytes: a longer one is cut at the last
//     blank within that many bytes (at a character boundary when there is
//     none) and trimmed. The title of a .txt or .md file taken from its
//     first line keeps the rest of that line in the body; the rest of a
//     front-matter, HTML or JSON lines title is dropped.
// A file with a NUL byte in its first 8 KiB is skipped as binary, one
// holding only whitespace as empty (stdin is never probed for binary).
// A UTF-8 byte order mark at the start of a file is dropped. Every
// document's id, title and body are repaired to valid UTF-8 (replacements
// counted in ReadStats::replaced_utf8 and reported through
// DocumentSink::on_repair).
//
// Problems that lose one file or line (binary file, empty file or
// document, malformed JSON line, unreadable file or subfolder inside a
// folder) are reported through the sink as skips and the reader goes on;
// problems with a path the user named (missing, unreadable, unsupported
// type, a folder with nothing indexable) are returned as a Status.
//
// Thread safety: none; one InputReader per thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scry/input/document.h"
#include "scry/util/status.h"

namespace scry {

struct JsonFields {
  std::string id = "id";
  std::string title = "title";
  std::string body = "body";
};

// Counters a reader keeps while it runs.
struct ReadStats {
  uint64_t documents = 0;           // Documents handed to the sink.
  uint64_t input_bytes = 0;         // Bytes read from inputs (files and stdin).
  uint64_t skipped_binary = 0;      // Files skipped as binary (a NUL byte in the first 8 KiB).
  uint64_t skipped_empty = 0;       // Empty files / documents with no text at all.
  uint64_t skipped_malformed = 0;   // Malformed JSON lines (or non-object lines).
  uint64_t skipped_unreadable = 0;  // Files or subfolders inside a folder that could not be read.
  uint64_t replaced_utf8 = 0;       // Invalid UTF-8 sequences replaced by U+FFFD.
  uint64_t truncated = 0;           // Documents cut to ReaderOptions::max_doc_bytes.
  uint64_t skipped() const {
    return skipped_binary + skipped_empty + skipped_malformed + skipped_unreadable;
  }
  // Whether a strict build refuses what was read: an input skipped, or
  // invalid UTF-8 replaced.
  bool strict_refuses() const { return skipped() > 0 || replaced_utf8 > 0; }
};

// What a strict build refuses in `stats`, for its error message: "1 input
// skipped", "2 invalid UTF-8 sequences replaced", or both joined by "and".
std::string strict_refusal(const ReadStats& stats);

// The longest title a reader produces, in bytes (see the limits above).
inline constexpr size_t kMaxTitleBytes = 512;
// The default of ReaderOptions::max_doc_bytes (16 MiB).
inline constexpr uint64_t kDefaultMaxDocBytes = uint64_t{16} << 20;

struct ReaderOptions {
  JsonFields fields;
  // The most text of one document, in bytes (see the limits above).
  // REQUIRES: at least 4 (one UTF-8 character).
  uint64_t max_doc_bytes = kDefaultMaxDocBytes;
  // fnmatch(3) globs (no flags: '*' also matches '/'), matched on the
  // names, relative paths and walked paths of entries inside folders; a
  // path named directly is always read.
  std::vector<std::string> exclude;
  // When set and true (a signal handler sets it), read() stops with
  // Cancelled: checked before each file and while waiting for input, so
  // that a pipe or terminal with nothing to read does not hold it.
  const std::atomic<bool>* cancel = nullptr;
};

// Receives documents and skip messages from an InputReader.
struct DocumentSink {
  // Called for each document. Returning a non-OK Status stops reading and
  // is passed back to the caller of read().
  std::function<Status(Document&&)> on_document;
  // Called once per skipped item with a one-line message naming the file
  // (and line), e.g. "data.jsonl:17: malformed JSON line (expected a JSON
  // object)". May be empty.
  std::function<void(const std::string&)> on_skip;
  // Called once per document cut to ReaderOptions::max_doc_bytes, before
  // the document is handed on, with a one-line message naming the file
  // (and line) and its size, e.g. "big.txt: 104,857,600 bytes, over the
  // document size limit of 16,777,216: truncated". May be empty.
  std::function<void(const std::string&)> on_truncate;
  // Called once per document handed on whose text held invalid UTF-8,
  // before the document, with a one-line message naming the file (and
  // line) and how many sequences were replaced by U+FFFD, e.g.
  // "latin1.txt: 2 invalid UTF-8 sequences replaced by U+FFFD". May be
  // empty.
  std::function<void(const std::string&)> on_repair;
  // Called with the path of each regular file of a supported type before it
  // is opened (never for standard input). Returning false skips the file
  // without a word (it counts as neither read nor skipped): `--update`
  // leaves unchanged files alone this way. Returning an error stops reading
  // and is passed back to the caller of read(). May be empty.
  std::function<Result<bool>(const std::string&)> on_file;
  // Called with the bytes of each file on_file let through, in order, as
  // they are read (never for standard input): the whole file when it is
  // read to its end; only its first bytes when the reader stops early (a
  // binary file, a text file over the size limit). May be empty.
  std::function<void(std::string_view)> on_bytes;
};

class InputReader {
 public:
  explicit InputReader(ReaderOptions options) : options_(std::move(options)) {}

  // Reads one input path (file, folder or "-") and feeds the sink; stats()
  // add up over calls.
  // Errors: NotFound "PATH: no such file or directory"; IOError "PATH:
  // permission denied" (or another strerror text) for a path named by the
  // user that cannot be read; InvalidArgument for a folder holding no file
  // of a supported type ("DIR: no indexable files (...)") or a file with
  // an unsupported extension named directly ("PATH: unsupported file type
  // (...)"); Cancelled (see ReaderOptions::cancel); or whatever the sink
  // returned. `indexed`: an update's INPUT that may hold nothing
  // (IndexUpdater::may_be_empty); then a missing path or a folder with no
  // indexable file is no error but an input with nothing left, so that the
  // update removes the files it held.
  // REQUIRES: sink.on_document is set.
  Status read(const std::string& path, const DocumentSink& sink, bool indexed = false);

  const ReadStats& stats() const { return stats_; }

 private:
  ReaderOptions options_;
  ReadStats stats_;
};

// Turns HTML into plain text; used for .html files, exposed for tests.
// Never fails: any bytes are accepted, unterminated constructs run to the
// end of the input.
//   * Tags, comments, <!DOCTYPE>, <?...>, CDATA sections and the content of
//     <script>, <style>, <noscript>, <template>, <iframe>, <noembed>,
//     <noframes> are dropped (tag names in any case; quoted attribute
//     values may hold '>').
//   * Character references are decoded: the HTML 4 names plus &apos;, and
//     numeric ones (&#8212; &#x2014;); invalid code points give U+FFFD.
//   * Whitespace runs become one space, except inside <pre>. Block
//     elements (p, h1-h6, ul, ol, table, blockquote, section, ...) end a
//     paragraph (blank line); br, li, div, tr, dt, dd end a line; td and
//     th separate words. No whitespace at either end.
// `text` receives the body text. `title` (may be null) receives the first
// non-empty <title> outside inline SVG, else the first <h1>'s text, with
// references decoded and whitespace collapsed; "" when there is neither.
// Bytes are copied through: the output is valid UTF-8 when the input is.
// REQUIRES: text != nullptr
void html_to_text(std::string_view html, std::string* text, std::string* title);

}  // namespace scry
