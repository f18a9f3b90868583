// fuzz_readers: arbitrary bytes as an input file, through InputReader::read
// as in.jsonl, in.html and in.md (written to a scratch folder, re-used), and
// through html_to_text() in memory. Checks:
//   * read() returns OK (the file exists and has a supported type: every
//     problem inside it is a skip, not an error);
//   * every document has valid UTF-8 id, title and body, a non-empty id and
//     source, a title of at most kMaxTitleBytes and a body of at most the
//     document size limit (read once with the default limit and once with
//     100 bytes, so that truncation is reached);
//   * html_to_text() output is valid UTF-8 when the input is, and has no
//     white space at either end.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "scry/input/readers.h"
#include "scry/util/utf8.h"

using scry::fuzz::check;

namespace {

void read_as(const std::string& name, std::string_view bytes, uint64_t max_doc_bytes) {
  std::string path = scry::fuzz::scratch_dir() + "/" + name;
  scry::fuzz::write_file(path, bytes);
  scry::ReaderOptions options;
  options.max_doc_bytes = max_doc_bytes;
  scry::InputReader reader(options);
  scry::DocumentSink sink;
  sink.on_document = [&](scry::Document&& doc) {
    check(scry::is_valid_utf8(doc.id), "document id is not valid UTF-8", bytes);
    check(scry::is_valid_utf8(doc.title), "document title is not valid UTF-8", bytes);
    check(scry::is_valid_utf8(doc.body), "document body is not valid UTF-8", bytes);
    check(!doc.id.empty(), "document with an empty id", bytes);
    check(!doc.source.empty(), "document with an empty source", bytes);
    check(doc.title.size() <= scry::kMaxTitleBytes, "title over kMaxTitleBytes", bytes);
    check(doc.body.size() <= max_doc_bytes, "body over the document size limit", bytes);
    return scry::Status::ok();
  };
  sink.on_truncate = [&](const std::string& message) {
    check(!message.empty(), "empty truncation message", bytes);
  };
  sink.on_skip = [&](const std::string& message) {
    check(!message.empty(), "empty skip message", bytes);
  };
  scry::Status status = reader.read(path, sink);
  if (!status.is_ok()) {
    std::string what = "read(" + name + ") failed: " + status.message();
    scry::fuzz::fail(what.c_str(), bytes);
  }
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (uint64_t limit : {scry::kDefaultMaxDocBytes, uint64_t{100}}) {
    read_as("in.jsonl", bytes, limit);
    read_as("in.html", bytes, limit);
    read_as("in.md", bytes, limit);
  }

  std::string text, title;
  scry::html_to_text(bytes, &text, &title);
  if (scry::is_valid_utf8(bytes)) {
    check(scry::is_valid_utf8(text), "html_to_text: text not valid UTF-8 from valid input", bytes);
    check(scry::is_valid_utf8(title), "html_to_text: title not valid UTF-8 from valid input",
          bytes);
  }
  check(text.empty() || (!is_space(text.front()) && !is_space(text.back())),
        "html_to_text: white space at an end of the text", bytes);
  std::string text2;
  scry::html_to_text(bytes, &text2, nullptr);
  check(text2 == text, "html_to_text: text depends on whether title is asked for", bytes);
  return 0;
}
