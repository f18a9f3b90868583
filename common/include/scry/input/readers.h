// Readers: turn input paths into Documents.
//
// Supported inputs (docs/INPUTS.md has the details and the rules):
//   * .txt, .text, .md, .markdown: the file is the body. The title is the
//     `title:` of a leading front-matter block ("---" line, "key: value"
//     lines, "---" line; the block is not part of the body) or else the first
//     non-empty line (a leading "# " is dropped for Markdown).
//   * .html, .htm: tags, comments, <script> and <style> removed, entities
//     decoded, block elements become line breaks; title from <title>, else
//     the first <h1>.
//   * .jsonl, .ndjson: one JSON object a line; fields named by JsonFields.
//     A string or integer id; missing id -> "path:line". Blank lines skipped.
//   * "-": JSON lines on standard input (source "-:line").
//   * A folder: walked recursively in byte order of names, taking the
//     extensions above; hidden entries (".name") and names matching an
//     exclude glob are left out.
// Every document's text is repaired to valid UTF-8 (invalid bytes counted).
//
// Problems that lose one file or line (binary file, empty file, malformed
// JSON line, unreadable file inside a folder) are reported through the sink
// as skips and the reader goes on; problems with a path the user named
// (missing, unreadable, a folder with nothing indexable) are returned as a
// Status.
//
// Thread safety: none; one InputReader per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
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
  uint64_t documents = 0;       // Documents handed to the sink.
  uint64_t input_bytes = 0;     // Bytes read from inputs (files and stdin).
  uint64_t skipped_binary = 0;  // Files skipped as binary (a NUL byte in the first 8 KiB).
  uint64_t skipped_empty = 0;   // Empty files / documents with no text at all.
  uint64_t skipped_malformed = 0;   // Malformed JSON lines (or non-object lines).
  uint64_t skipped_unreadable = 0;  // Files inside a folder that could not be read.
  uint64_t replaced_utf8 = 0;   // Invalid UTF-8 sequences replaced by U+FFFD.
  uint64_t skipped() const {
    return skipped_binary + skipped_empty + skipped_malformed + skipped_unreadable;
  }
};

struct ReaderOptions {
  JsonFields fields;
  std::vector<std::string> exclude;  // fnmatch(3) globs, matched on names and relative paths.
};

// Receives documents and skip messages from an InputReader.
struct DocumentSink {
  // Called for each document. Returning a non-OK Status stops reading and
  // is passed back to the caller of read().
  std::function<Status(Document&&)> on_document;
  // Called once per skipped item with a one-line message naming the file
  // (and line), e.g. "data.jsonl:17: malformed JSON (expected object)".
  std::function<void(const std::string&)> on_skip;
};

class InputReader {
 public:
  explicit InputReader(ReaderOptions options) : options_(std::move(options)) {}

  // Reads one input path (file, folder or "-") and feeds the sink.
  // Errors: NotFound (missing path), IOError (unreadable path named by the
  // user), InvalidArgument (a folder holding no indexable file; a file with
  // an unsupported extension named directly), or whatever the sink returned.
  Status read(const std::string& path, const DocumentSink& sink);

  const ReadStats& stats() const { return stats_; }

 private:
  ReaderOptions options_;
  ReadStats stats_;
};

// Parses HTML into plain text; exposed for tests. `title` receives the
// <title> (or first <h1>) text, entity-decoded and whitespace-collapsed.
void html_to_text(std::string_view html, std::string* text, std::string* title);

}  // namespace scry
