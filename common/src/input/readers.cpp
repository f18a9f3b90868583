// InputReader: files, folders and standard input into Documents.
#include "scry/input/readers.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <simdjson.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "input/json_escapes.h"
#include "scry/util/size.h"
#include "scry/util/utf8.h"

namespace scry {
namespace {

namespace fs = std::filesystem;

// A NUL byte in this many leading bytes marks a file as binary.
constexpr size_t kBinaryProbeBytes = 8192;
// JSON lines are read in chunks of this size; a longer line just spans chunks.
constexpr size_t kReadChunkBytes = size_t{1} << 20;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kSupportedList = ".txt, .md, .html, .htm, .jsonl";

enum class FileKind { kUnsupported, kText, kMarkdown, kHtml, kJsonLines };

// The kind of file `name` holds, from its extension (any case).
FileKind kind_of(const std::string& name) {
  std::string ext = fs::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (ext == ".txt" || ext == ".text") return FileKind::kText;
  if (ext == ".md" || ext == ".markdown") return FileKind::kMarkdown;
  if (ext == ".html" || ext == ".htm") return FileKind::kHtml;
  if (ext == ".jsonl" || ext == ".ndjson") return FileKind::kJsonLines;
  return FileKind::kUnsupported;
}

// `text` starting in lower case, to follow a "path: " prefix.
std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] + 32);
  return text;
}

// strerror() text as in "x.txt: permission denied".
std::string error_text(int error) { return lower_first(std::strerror(error)); }

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return is_blank(c); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

void strip_byte_order_mark(std::string_view* s) {
  if (s->substr(0, kByteOrderMark.size()) == kByteOrderMark) {
    s->remove_prefix(kByteOrderMark.size());
  }
}

// The length of the longest prefix of `text` of at most `max` bytes that
// does not end inside a UTF-8 sequence (at most 3 bytes shorter).
size_t utf8_prefix(std::string_view text, size_t max) {
  if (text.size() <= max) return text.size();
  size_t cut = max;
  for (int back = 0; back < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80;
       ++back) {
    --cut;
  }
  return cut;
}

// Where a title longer than kMaxTitleBytes is cut: at the last blank within
// that many bytes, else at a character boundary.
size_t title_cut(std::string_view title) {
  const size_t cut = utf8_prefix(title, kMaxTitleBytes);
  const size_t blank = title.substr(0, cut + 1).find_last_of(" \t");
  return blank != std::string_view::npos && blank > 0 ? blank : cut;
}

// One line of `text` starting at `pos`: the line without its '\n', and
// where the next line starts.
struct Line {
  std::string_view text;
  size_t next;
};

Line line_at(std::string_view text, size_t pos) {
  const size_t nl = text.find('\n', pos);
  if (nl == std::string_view::npos) return {text.substr(pos), text.size()};
  return {text.substr(pos, nl - pos), nl + 1};
}

// True when `line` is a front-matter "title: value" line; sets `value` to
// the trimmed value without surrounding quotes.
bool front_matter_title(std::string_view line, std::string_view* value) {
  constexpr std::string_view kKey = "title";
  if (line.substr(0, kKey.size()) != kKey) return false;
  std::string_view rest = line.substr(kKey.size());
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (rest.empty() || rest.front() != ':') return false;
  rest = trim(rest.substr(1));
  if (rest.size() >= 2 && (rest.front() == '"' || rest.front() == '\'') &&
      rest.back() == rest.front()) {
    rest = rest.substr(1, rest.size() - 2);
  }
  *value = rest;
  return true;
}

// A Markdown ATX heading line without its marks: "## Intro ##" -> "Intro".
// Other lines are returned unchanged.
std::string_view strip_atx_heading(std::string_view line) {
  size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#') ++hashes;
  if (hashes == 0 || hashes > 6) return line;
  if (hashes < line.size() && line[hashes] != ' ' && line[hashes] != '\t') return line;
  std::string_view text = trim(line.substr(hashes));
  size_t closing = text.size();
  while (closing > 0 && text[closing - 1] == '#') --closing;
  if (closing == 0) return {};
  if (closing < text.size() && (text[closing - 1] == ' ' || text[closing - 1] == '\t')) {
    text = trim(text.substr(0, closing));
  }
  return text;
}

// True for a Markdown setext underline ("====" or "----").
bool is_setext_underline(std::string_view line) {
  line = trim(line);
  if (line.empty() || (line.front() != '=' && line.front() != '-')) return false;
  return std::all_of(line.begin(), line.end(), [&](char c) { return c == line.front(); });
}

// Splits a text or Markdown file into title and body (see readers.h).
void split_text(std::string_view content, bool markdown, std::string* title, std::string* body) {
  size_t body_start = 0;
  std::string_view fm_title;
  const Line first = line_at(content, 0);
  if (trim(first.text) == "---") {
    bool title_seen = false;
    std::string_view candidate;
    for (size_t pos = first.next; pos < content.size();) {
      const Line line = line_at(content, pos);
      if (trim(line.text) == "---") {
        body_start = line.next;
        fm_title = candidate;
        break;
      }
      if (!title_seen) title_seen = front_matter_title(line.text, &candidate);
      pos = line.next;
    }
  }
  std::string_view rest = content.substr(body_start);
  if (!fm_title.empty()) {
    title->assign(fm_title);
    body->assign(rest);
    return;
  }
  size_t pos = 0;
  while (pos < rest.size()) {
    const Line line = line_at(rest, pos);
    if (is_blank(line.text)) {
      pos = line.next;
      continue;
    }
    std::string_view heading = trim(line.text);
    size_t body_pos = line.next;
    if (markdown) heading = strip_atx_heading(heading);
    if (heading.size() > kMaxTitleBytes) {
      // A giant first line: the title is its start, the rest stays in the body.
      const size_t cut = title_cut(heading);
      title->assign(trim(heading.substr(0, cut)));
      body->assign(rest.substr(static_cast<size_t>(heading.data() - rest.data()) + cut));
      return;
    }
    if (markdown) {
      const Line next = line_at(rest, line.next);
      if (heading == trim(line.text) && line.next < rest.size() && is_setext_underline(next.text)) {
        body_pos = next.next;
      }
    }
    title->assign(heading);
    body->assign(rest.substr(body_pos));
    return;
  }
  title->clear();
  body->clear();
}

// A file descriptor closed on destruction.
class FileHandle {
 public:
  explicit FileHandle(int fd) : fd_(fd) {}
  ~FileHandle() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// How often a read waiting for input looks at ReaderOptions::cancel.
constexpr int kCancelPollMs = 100;

// Waits until `fd` has input (or end of input, or an error read() will
// report); false when `cancel` became true first. Never waits without one.
bool wait_readable(int fd, const std::atomic<bool>* cancel) {
  if (cancel == nullptr) return true;
  pollfd p = {fd, POLLIN, 0};
  for (;;) {
    if (cancel->load()) return false;
    const int ready = ::poll(&p, 1, kCancelPollMs);
    if (ready > 0 || (ready < 0 && errno != EINTR)) return true;
  }
}

// Reads up to `max` bytes into `out` (appended). Returns the count (0 at
// end of input), -ECANCELED when `cancel` became true while waiting for
// input, or -errno.
ssize_t read_some(int fd, size_t max, std::string* out, const std::atomic<bool>* cancel) {
  if (!wait_readable(fd, cancel)) return -ECANCELED;
  const size_t old_size = out->size();
  out->resize(old_size + max);
  ssize_t got;
  do {
    got = ::read(fd, out->data() + old_size, max);
  } while (got < 0 && errno == EINTR);
  const int error = errno;
  out->resize(old_size + static_cast<size_t>(std::max<ssize_t>(got, 0)));
  return got < 0 ? -error : got;
}

// Reads and handles one input path for InputReader::read.
class ReadSession {
 public:
  ReadSession(const ReaderOptions& options, ReadStats* stats, const DocumentSink& sink)
      : options_(options), stats_(*stats), sink_(sink) {}

  // `indexed`: InputReader::read's.
  Status read_path(const std::string& path, bool indexed) {
    if (path == "-") return read_json_lines(STDIN_FILENO, "-", false, true);
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || status.type() == fs::file_type::not_found) {
      const int error = ec ? ec.value() : ENOENT;
      if (indexed && error == ENOENT) return Status::ok();  // Gone: its files are removed.
      return failure(path, error, true);
    }
    if (fs::is_directory(status)) return read_folder(path, indexed);
    const FileKind kind = kind_of(path);
    if (kind == FileKind::kUnsupported) {
      return Status::invalid_argument(path + ": unsupported file type (expected " +
                                      std::string(kSupportedList) + ")");
    }
    return read_file(path, kind, true);
  }

 private:
  // The Status for an `error` on `path`: returned when the user named the
  // path, else reported as an unreadable skip (and OK returned).
  Status failure(const std::string& path, int error, bool named) {
    std::string message = path + ": " + error_text(error);
    if (!named) {
      skip(&stats_.skipped_unreadable, message);
      return Status::ok();
    }
    if (error == ENOENT || error == ENOTDIR) return Status::not_found(std::move(message));
    return Status::io_error(std::move(message));
  }

  void skip(uint64_t* counter, const std::string& message) {
    ++*counter;
    if (sink_.on_skip) sink_.on_skip(message);
  }

  // Repairs the document's text, applies the limits of readers.h, drops it
  // when it holds no text, else hands it to the sink. `replaced` counts
  // repairs already made to its bytes; `truncated_from` is the size of a
  // document already cut (0: not cut).
  Status emit(Document&& doc, uint64_t replaced, const std::string& empty_message,
              uint64_t truncated_from) {
    replaced += repair_utf8(&doc.id) + repair_utf8(&doc.title) + repair_utf8(&doc.body);
    repair_utf8(&doc.source);  // Not counted: the same bytes as the id or its path.
    if (doc.title.size() > kMaxTitleBytes) {
      doc.title.assign(trim(std::string_view(doc.title).substr(0, title_cut(doc.title))));
    }
    const auto max_body = static_cast<size_t>(options_.max_doc_bytes);
    if (doc.body.size() > max_body) {
      if (truncated_from == 0) truncated_from = doc.body.size();
      doc.body.resize(utf8_prefix(doc.body, max_body));
    }
    if (is_blank(doc.title) && is_blank(doc.body)) {
      skip(&stats_.skipped_empty, empty_message);
      return Status::ok();
    }
    if (truncated_from > 0) {
      ++stats_.truncated;
      if (sink_.on_truncate) {
        sink_.on_truncate(doc.source + ": " + group_digits(truncated_from) +
                          " bytes, over the document size limit of " +
                          group_digits(options_.max_doc_bytes) + ": truncated");
      }
    }
    if (replaced > 0) {
      stats_.replaced_utf8 += replaced;
      if (sink_.on_repair) {
        sink_.on_repair(doc.source + ": " +
                        count_of(replaced, "invalid UTF-8 sequence", "invalid UTF-8 sequences") +
                        " replaced by U+FFFD");
      }
    }
    ++stats_.documents;
    return sink_.on_document(std::move(doc));
  }

  Status read_folder(const std::string& root, bool indexed) {
    uint64_t candidates = 0;
    SCRY_RETURN_IF_ERROR(walk(root, "", true, &candidates));
    if (candidates == 0 && !indexed) {
      return Status::invalid_argument(root + ": no indexable files (" +
                                      std::string(kSupportedList) + ")");
    }
    return Status::ok();
  }

  bool excluded(const std::string& name, const std::string& relative,
                const std::string& path) const {
    return std::any_of(options_.exclude.begin(), options_.exclude.end(),
                       [&](const std::string& glob) {
                         return ::fnmatch(glob.c_str(), name.c_str(), 0) == 0 ||
                                ::fnmatch(glob.c_str(), relative.c_str(), 0) == 0 ||
                                ::fnmatch(glob.c_str(), path.c_str(), 0) == 0;
                       });
  }

  // Reads the files under `dir` (whose path relative to the walked folder
  // is `relative`), in byte order of names. Counts files of a supported
  // type into `candidates`.
  Status walk(const fs::path& dir, const std::string& relative, bool top, uint64_t* candidates) {
    std::vector<fs::directory_entry> entries;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      entries.push_back(*it);
    }
    if (ec) return failure(dir.string(), ec.value(), top);
    std::sort(entries.begin(), entries.end(),
              [](const fs::directory_entry& a, const fs::directory_entry& b) {
                return a.path().filename().native() < b.path().filename().native();
              });
    for (const fs::directory_entry& entry : entries) {
      const std::string name = entry.path().filename().string();
      if (name.empty() || name.front() == '.') continue;
      std::string child_relative = relative;
      if (!child_relative.empty()) child_relative += '/';
      child_relative += name;
      const std::string path = (dir / name).string();
      if (excluded(name, child_relative, path)) continue;
      const fs::file_status status = entry.status(ec);  // Follows symbolic links.
      if (fs::is_directory(status)) {
        if (entry.is_symlink(ec)) continue;  // Never followed: no loops.
        SCRY_RETURN_IF_ERROR(walk(dir / name, child_relative, false, candidates));
        continue;
      }
      const FileKind kind = kind_of(name);
      if (kind == FileKind::kUnsupported) continue;
      // Devices, FIFOs and sockets are left alone; a dangling link is
      // reported by read_file.
      if (fs::exists(status) && !fs::is_regular_file(status)) continue;
      ++*candidates;
      SCRY_RETURN_IF_ERROR(read_file(path, kind, false));
    }
    return Status::ok();
  }

  // Gives bytes just read from a file to the sink's on_bytes, if any.
  void read_bytes(std::string_view bytes) const {
    if (sink_.on_bytes) sink_.on_bytes(bytes);
  }

  // Cancelled naming `name` when ReaderOptions::cancel says so, else OK.
  Status check_cancel(const std::string& name) const {
    if (options_.cancel != nullptr && options_.cancel->load()) {
      return Status::cancelled(name + ": reading interrupted");
    }
    return Status::ok();
  }

  Status read_file(const std::string& path, FileKind kind, bool named) {
    SCRY_RETURN_IF_ERROR(check_cancel(path));
    if (sink_.on_file) {
      auto wanted = sink_.on_file(path);
      if (!wanted) return wanted.status();
      if (!*wanted) return Status::ok();
    }
    int fd;
    do {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return failure(path, errno, named);
    FileHandle file(fd);
    if (kind == FileKind::kJsonLines) return read_json_lines(fd, path, true, named);

    // At most one byte past the document size limit is read: that byte
    // tells the file is over it.
    const auto limit = static_cast<size_t>(options_.max_doc_bytes);
    std::string content;
    uint64_t file_size = 0;
    struct stat info;
    if (::fstat(fd, &info) == 0 && info.st_size > 0) {
      file_size = static_cast<uint64_t>(info.st_size);
      // One spare byte lets the read that finds the end need no reallocation.
      content.reserve(std::min(static_cast<size_t>(info.st_size), limit) + 1);
    }
    while (content.size() <= limit) {
      const size_t spare = content.capacity() - content.size();
      const size_t want = std::min(limit + 1 - content.size(), spare > 0 ? spare : kReadChunkBytes);
      const ssize_t got = read_some(fd, want, &content, options_.cancel);
      if (got == -ECANCELED) return check_cancel(path);
      if (got < 0) return failure(path, static_cast<int>(-got), named);
      if (got == 0) break;
      stats_.input_bytes += static_cast<uint64_t>(got);
      read_bytes(std::string_view(content).substr(content.size() - static_cast<size_t>(got)));
    }
    uint64_t truncated_from = 0;
    if (content.size() > limit) {
      truncated_from = std::max<uint64_t>(file_size, content.size());
      content.resize(utf8_prefix(content, limit));
    }
    if (std::string_view(content).substr(0, kBinaryProbeBytes).find('\0') !=
        std::string_view::npos) {
      skip(&stats_.skipped_binary, path + ": binary file skipped");
      return Status::ok();
    }
    std::string_view text = content;
    strip_byte_order_mark(&text);
    if (is_blank(text)) {
      skip(&stats_.skipped_empty, path + ": empty file skipped");
      return Status::ok();
    }
    Document doc;
    // A name's invalid bytes are kept as \xHH: U+FFFD would give two
    // Latin-1 names one id, and one document would replace the other (the
    // default ids of JSON lines, PATH:LINE, likewise).
    doc.id = path;
    escape_invalid_utf8(&doc.id);
    doc.source = doc.id;
    if (kind == FileKind::kHtml) {
      html_to_text(text, &doc.body, &doc.title);
    } else {
      split_text(text, kind == FileKind::kMarkdown, &doc.title, &doc.body);
    }
    return emit(std::move(doc), 0, path + ": no text, skipped", truncated_from);
  }

  // Reads JSON lines from `fd` in chunks; `name` is the path (or "-") used
  // in sources and messages; `file`: a file on_file let through (not
  // standard input), whose first bytes are checked for binary and whose
  // bytes go to on_bytes.
  Status read_json_lines(int fd, const std::string& name, bool file, bool named) {
    std::string buffer;
    size_t line_start = 0;  // Start of the first unhandled line in `buffer`.
    size_t scanned = 0;     // Bytes of `buffer` known to hold no '\n' after line_start.
    uint64_t line_number = 0;
    bool any_line = false;
    bool checked = !file;
    bool at_end = false;
    while (!at_end) {
      // Room for the chunk and simdjson's padding after it: the lines are
      // parsed where they are (see parse_json()).
      buffer.reserve(buffer.size() + kReadChunkBytes + simdjson::SIMDJSON_PADDING);
      const ssize_t got = read_some(fd, kReadChunkBytes, &buffer, options_.cancel);
      if (got == -ECANCELED) return check_cancel(name);
      if (got < 0) return failure(name, static_cast<int>(-got), named);
      stats_.input_bytes += static_cast<uint64_t>(got);
      if (file)
        read_bytes(std::string_view(buffer).substr(buffer.size() - static_cast<size_t>(got)));
      at_end = got == 0;
      if (!checked) {
        if (buffer.size() < kBinaryProbeBytes && !at_end) continue;
        if (std::string_view(buffer).substr(0, kBinaryProbeBytes).find('\0') !=
            std::string_view::npos) {
          skip(&stats_.skipped_binary, name + ": binary file skipped");
          return Status::ok();
        }
        checked = true;
      }
      for (;;) {
        const size_t nl = buffer.find('\n', scanned);
        std::string_view line;
        if (nl != std::string::npos) {
          line = std::string_view(buffer).substr(line_start, nl - line_start);
        } else if (at_end && line_start < buffer.size()) {
          line = std::string_view(buffer).substr(line_start);
        } else {
          break;
        }
        ++line_number;
        if (line_number == 1) strip_byte_order_mark(&line);
        if (!is_blank(line)) {
          any_line = true;
          SCRY_RETURN_IF_ERROR(json_line(line, name, line_number));
        }
        line_start = nl == std::string::npos ? buffer.size() : nl + 1;
        scanned = line_start;
      }
      scanned = buffer.size();
      buffer.erase(0, line_start);
      scanned -= line_start;
      line_start = 0;
    }
    if (!any_line) skip(&stats_.skipped_empty, name + ": empty file skipped");
    return Status::ok();
  }

  // Parses `json` into `root`, where it is (no copy). REQUIRES: the
  // simdjson::SIMDJSON_PADDING bytes after json's end are allocated, as
  // simdjson reads them (whatever they hold: it does not use their values).
  simdjson::error_code parse_json(std::string_view json, simdjson::dom::element* root) {
    return parser_.parse(json.data(), json.size(), false).get(*root);
  }

  Status json_line(std::string_view line, const std::string& name, uint64_t line_number) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string where = name + ":" + std::to_string(line_number);
    const auto malformed = [&](const std::string& reason) {
      skip(&stats_.skipped_malformed, where + ": malformed JSON line (" + reason + ")");
      return Status::ok();
    };
    uint64_t replaced = 0;
    simdjson::dom::element root;
    simdjson::error_code error = parse_json(line, &root);
    if (error == simdjson::UTF8_ERROR || error == simdjson::STRING_ERROR) {
      // Invalid bytes and lone surrogate escapes can only sit inside
      // strings: replace them with U+FFFD and try again.
      std::string repaired(line);
      replaced = repair_utf8(&repaired) + replace_lone_surrogate_escapes(&repaired);
      repaired.reserve(repaired.size() + simdjson::SIMDJSON_PADDING);  // See parse_json().
      if (replaced > 0) {
        const simdjson::error_code retry = parse_json(repaired, &root);
        if (!retry) error = retry;
      }
    }
    if (error) return malformed(lower_first(simdjson::error_message(error)));
    simdjson::dom::object object;
    if (root.get_object().get(object)) return malformed("expected a JSON object");

    const JsonFields& fields = options_.fields;
    Document doc;
    simdjson::dom::element value;
    if (object.at_key(fields.body).get(value)) {
      return malformed("missing \"" + fields.body + "\" field");
    }
    std::string_view text;
    if (value.get_string().get(text)) return malformed("\"" + fields.body + "\" is not a string");
    // Only what the document size limit keeps is copied (simdjson's strings
    // are valid UTF-8, so the cut is at a character boundary).
    const size_t kept = utf8_prefix(text, static_cast<size_t>(options_.max_doc_bytes));
    const uint64_t truncated_from = kept < text.size() ? text.size() : 0;
    doc.body.assign(text.substr(0, kept));
    if (!object.at_key(fields.title).get(value) && !value.is_null()) {
      if (value.get_string().get(text)) {
        return malformed("\"" + fields.title + "\" is not a string");
      }
      doc.title.assign(text);
    }
    if (!object.at_key(fields.id).get(value) && !value.is_null()) {
      if (value.is_string()) {
        doc.id.assign(value.get_string().value_unsafe());
      } else if (value.is_int64()) {
        doc.id = std::to_string(value.get_int64().value_unsafe());
      } else if (value.is_uint64()) {
        doc.id = std::to_string(value.get_uint64().value_unsafe());
      } else {
        return malformed("\"" + fields.id + "\" is not a string or an integer");
      }
    }
    doc.source = where;
    escape_invalid_utf8(&doc.source);  // As a file's id (read_file()).
    if (doc.id.empty()) doc.id = doc.source;
    return emit(std::move(doc), replaced, where + ": empty document skipped", truncated_from);
  }

  const ReaderOptions& options_;
  ReadStats& stats_;
  const DocumentSink& sink_;
  simdjson::dom::parser parser_;
};

}  // namespace

Status InputReader::read(const std::string& path, const DocumentSink& sink, bool indexed) {
  assert(sink.on_document);
  return ReadSession(options_, &stats_, sink).read_path(path, indexed);
}

std::string strict_refusal(const ReadStats& stats) {
  std::string out;
  if (stats.skipped() > 0) {
    out = count_of(stats.skipped(), "input", "inputs") + " skipped";
  }
  if (stats.replaced_utf8 > 0) {
    if (!out.empty()) out += " and ";
    out += count_of(stats.replaced_utf8, "invalid UTF-8 sequence", "invalid UTF-8 sequences") +
           " replaced";
  }
  return out;
}

}  // namespace scry
