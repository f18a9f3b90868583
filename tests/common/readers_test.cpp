// Tests for input/readers.h: html_to_text and InputReader's rules for text,
// Markdown, HTML and JSON lines files and for folders.
#include "scry/input/readers.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "scry/util/utf8.h"
#include "testlib.h"

namespace scry {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_file;

// Everything one InputReader::read() call produced.
struct ReadResult {
  Status status;
  std::vector<Document> docs;
  std::vector<std::string> skips;
  std::vector<std::string> truncations;  // DocumentSink::on_truncate's messages.
  std::string bytes;                     // DocumentSink::on_bytes's, one after the other.
  ReadStats stats;

  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const Document& doc : docs) out.push_back(doc.id);
    return out;
  }
};

ReadResult read_input(const std::string& path, ReaderOptions options = {}) {
  InputReader reader(std::move(options));
  ReadResult result;
  DocumentSink sink;
  sink.on_document = [&](Document&& doc) {
    result.docs.push_back(std::move(doc));
    return Status::ok();
  };
  sink.on_skip = [&](const std::string& message) { result.skips.push_back(message); };
  sink.on_truncate = [&](const std::string& message) { result.truncations.push_back(message); };
  sink.on_bytes = [&](std::string_view bytes) { result.bytes += bytes; };
  result.status = reader.read(path, sink);
  result.stats = reader.stats();
  return result;
}

// What the permission tests check of a ReadResult: the lines "status CODE
// MESSAGE", "doc ID" for each document, "skip MESSAGE" for each skip and
// "unreadable N" (stats.skipped_unreadable).
std::string describe(const Status& status, const std::vector<std::string>& ids,
                     const std::vector<std::string>& skips, uint64_t unreadable) {
  std::string out =
      "status " + std::to_string(static_cast<int>(status.code())) + " " + status.message() + "\n";
  for (const std::string& id : ids) out += "doc " + id + "\n";
  for (const std::string& skip : skips) out += "skip " + skip + "\n";
  return out + "unreadable " + std::to_string(unreadable) + "\n";
}

std::string describe(const ReadResult& result) {
  return describe(result.status, result.ids(), result.skips, result.stats.skipped_unreadable);
}

// Why the calling process cannot become the user nobody, or "" once it is
// (groups, then gid, then uid: the order in which each drop is still allowed).
std::string become_nobody() {
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) return "there is no user nobody";
  if (::setgroups(0, nullptr) != 0 ||
      ::setresgid(nobody->pw_gid, nobody->pw_gid, nobody->pw_gid) != 0 ||
      ::setresuid(nobody->pw_uid, nobody->pw_uid, nobody->pw_uid) != 0) {
    return std::string("cannot drop privileges: ") + std::strerror(errno);
  }
  return "";
}

// describe(read_input(path)) as a user who, unlike root, cannot read a file
// or folder of mode 0. When the tests run as root (as under CI), the reading
// runs in a child process that first becomes the user nobody; the folders
// leading to `path` must let others in, as TempDir's do. nullopt, after a
// WARN saying why, when not even that is possible.
std::optional<std::string> read_unprivileged(const std::string& path) {
  if (::geteuid() != 0) return describe(read_input(path));
  const std::string read_mark = "read\n";  // Opens the child's answer once it has read.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    std::string reason = become_nobody();
    if (reason.empty() && ::access(path.c_str(), F_OK) != 0) {
      reason = "nobody cannot reach " + path + ": " + std::strerror(errno);
    }
    std::string out = reason.empty() ? read_mark + describe(read_input(path)) : reason;
    for (size_t done = 0; done < out.size();) {
      const ssize_t n = ::write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0) ::_exit(1);
      done += static_cast<size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    REQUIRE(n > 0);
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  if (out.rfind(read_mark, 0) != 0) {
    WARN("not checked: running as root, which reads any file, and " << out);
    return std::nullopt;
  }
  return out.substr(read_mark.size());
}

// Reads a file holding `contents` and returns its only document.
Document read_one(const TempDir& dir, const std::string& name, const std::string& contents) {
  const std::string path = (dir / name).string();
  write_file(path, contents);
  ReadResult result = read_input(path);
  REQUIRE(result.status.is_ok());
  INFO("skips: " << (result.skips.empty() ? "" : result.skips.front()));
  REQUIRE(result.docs.size() == 1);
  CHECK(result.docs[0].id == path);
  CHECK(result.docs[0].source == path);
  return result.docs[0];
}

struct HtmlRow {
  const char* what;
  std::string html;
  std::string text;
  std::string title;
};

TEST_CASE("html_to_text converts HTML to plain text", "[readers][html]") {
  const std::vector<HtmlRow> rows = {
      {"inline tags", "<p>Hello <b>wor</b>ld</p>", "Hello world", ""},
      {"whole page",
       "<!DOCTYPE html><html><head><title> My \n Page </title>"
       "<style>p { color: red }</style><script>var x = '<p>no</p>';</script></head>"
       "<body><h1>Head</h1><p>Text</p></body></html>",
       "Head\n\nText", "My Page"},
      {"title falls back to the first h1", "<h1>First <i>one</i></h1><h1>Second</h1>",
       "First one\n\nSecond", "First one"},
      {"empty title falls back to the h1", "<title> </title><h1>H</h1>", "H", "H"},
      {"title is text only (RCDATA)", "<title>a <b>c</b> &amp; d</title>x", "x", "a <b>c</b> & d"},
      {"named entities",
       "&amp; &lt; &gt; &quot; &apos; &mdash; &ndash; &hellip; &lsquo; &rsquo; &ldquo; &rdquo; "
       "&copy; &reg; &trade; &euro; &pound; &yen; &cent; &middot; &bull; &laquo; &raquo; "
       "&times; &deg; &eacute;",
       "& < > \" ' — – … ‘ ’ “ ” © ® ™ € £ ¥ ¢ · • « » × ° é", ""},
      {"nbsp is kept, not collapsed", "a&nbsp;&nbsp;b",
       "a\xC2\xA0\xC2\xA0"
       "b",
       ""},
      {"numeric references", "&#65;&#x42;&#X43;&#x1F600;&#150;", "ABC😀–", ""},
      {"invalid code points become U+FFFD", "[&#0;][&#xD800;][&#x110000;][&#99999999999999;]",
       "[\xEF\xBF\xBD][\xEF\xBF\xBD][\xEF\xBF\xBD][\xEF\xBF\xBD]", ""},
      {"references without ';'", "&copy2024 AT&T &notit; &amp &#65 &foo; &#; & x",
       "©2024 AT&T ¬it; & A &foo; &#; & x", ""},
      {"comments", "a<!-- <p>hidden</p> -->b<!---->c<!-->d<!--->e<!-- x --!>f", "abcdef", ""},
      {"doctype, processing instructions, CDATA",
       "<!DOCTYPE html><?xml version='1.0'?><![CDATA[x<y]]>text", "text", ""},
      {"tag names in any case", "<SCRIPT>alert(1)</ScRiPt >ok<STYLE>x</style>fine", "okfine", ""},
      {"script end tag needs a delimiter", "<script>a</scripts>b</script>c", "c", ""},
      {"noscript and nested template",
       "<noscript>Enable JS</noscript>"
       "<template><p>t</p><template>n</template>u</template>shown",
       "shown", ""},
      {"other hidden elements", "<iframe>f</iframe><noembed>e</noembed><noframes>n</noframes>v",
       "v", ""},
      {"self-closing script does not swallow the page", "<script src=x.js />visible", "visible",
       ""},
      {"'>' inside quoted attributes", "<a title=\"a > b\" href='x>y'>link</a> <img alt=x>text",
       "link text", ""},
      {"stray '<'", "1 < 2 and 3<4 <> <", "1 < 2 and 3<4 <> <", ""},
      {"odd end tags", "a</>b</ c>d</", "abd</", ""},
      {"unterminated comment", "before<!-- never closed <p>x</p>", "before", ""},
      {"unterminated tag", "text <a href=\"x>y", "text", ""},
      {"unterminated script", "a<script>var x = 1;", "a", ""},
      {"unterminated title", "<title>T", "", "T"},
      {"block elements",
       "<div>a</div><div>b</div><ul><li>one</li><li>two</li></ul><p>para</p>x<br>y",
       "a\nb\n\none\ntwo\n\npara\n\nx\ny", ""},
      {"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>", "a b\nc",
       ""},
      {"whitespace collapses", "  a \n\t b  <p>  c  </p>  ", "a b\n\nc", ""},
      {"pre keeps whitespace", "<pre>\n  code\r\n    more\n</pre>after", "code\n    more\n\nafter",
       ""},
      {"SVG titles are tooltips", "<svg><title>icon</title><text>label</text></svg><h1>Real</h1>",
       "label\n\nReal", "Real"},
      {"only markup", "<html><body><p></p></body></html>", "", ""},
      {"empty", "", "", ""},
      {"UTF-8 passes through", "<p>智谱 AI</p>", "智谱 AI", ""},
  };
  for (const HtmlRow& row : rows) {
    INFO(row.what);
    std::string text;
    std::string title;
    html_to_text(row.html, &text, &title);
    CHECK(text == row.text);
    CHECK(title == row.title);
  }
}

TEST_CASE("html_to_text never fails on malformed input", "[readers][html]") {
  static const std::vector<std::string> kPieces = {
      "<",   ">",   "</", "<!--",   "-->",       "<!",    "<?",       "&",
      "&#",  "&#x", ";",  "amp",    "\"",        "'",     "=",        " ",
      "\n",  "/",   "p",  "script", "SCRIPT",    "title", "style",    "template",
      "svg", "pre", "h1", "a",      "<![CDATA[", "]]>",   "\xE2\x82", "x"};
  std::mt19937 rng(42);
  std::uniform_int_distribution<size_t> pick(0, kPieces.size() - 1);
  std::uniform_int_distribution<size_t> length_of(0, 60);
  std::string text;
  std::string title;
  for (int round = 0; round < 20000; ++round) {
    std::string html;
    const size_t length = length_of(rng);
    for (size_t i = 0; i < length; ++i) html += kPieces[pick(rng)];
    html_to_text(html, &text, &title);
    INFO(html);
    // Output bytes come from the input or from decoded references only.
    REQUIRE(text.size() <= html.size() * 4);
    REQUIRE(title.size() <= html.size() * 4);
    if (is_valid_utf8(html)) {
      REQUIRE(is_valid_utf8(text));
      REQUIRE(is_valid_utf8(title));
    }
  }
  html_to_text("<p>a", &text, nullptr);
  CHECK(text == "a");
}

// A file named `name` holding `contents` reads as one document with this
// title and body.
struct TitleRow {
  const char* what;
  const char* name;
  std::string contents;
  std::string title;
  std::string body;
};

void check_titles(const std::vector<TitleRow>& rows) {
  TempDir dir;
  for (const TitleRow& row : rows) {
    INFO(row.what);
    Document doc = read_one(dir, row.name, row.contents);
    CHECK(doc.title == row.title);
    CHECK(doc.body == row.body);
  }
}

TEST_CASE("text files: the first non-empty line is the title", "[readers]") {
  check_titles({
      {"blank lines, spaces and CR around the title", "a.txt",
       "\n  \n  Hello World  \r\nBody line 1\nBody line 2\n", "Hello World",
       "Body line 1\nBody line 2\n"},
      {"a title alone", "only-title.txt", "Just a title", "Just a title", ""},
      {"no Markdown headings in a .txt", "hash.txt", "# Not a heading in a .txt\nbody",
       "# Not a heading in a .txt", "body"},
      {"a byte order mark", "bom.text", "\xEF\xBB\xBFTitle\nbody", "Title", "body"},
  });
}

TEST_CASE("text files: the front matter title", "[readers]") {
  check_titles({
      {"title from front matter, body after the closing line, byte for byte", "fm.txt",
       "---\ntitle: \"Quoted: Title\"\nseed: x.txt\n---\n\nFirst line\n", "Quoted: Title",
       "\nFirst line\n"},
      {"CRLF line ends and single quotes", "crlf.md", "---\r\ntitle:   'T'  \r\n---\r\nbody\r\n",
       "T", "body\r\n"},
      {"no title key: first non-empty line after the block", "nokey.txt",
       "---\nauthor: me\n---\n\nReal Title\nbody\n", "Real Title", "body\n"},
      {"only keys at the start of a line count", "nested.txt",
       "---\n  title: nested\nsubtitle: s\n---\nT\nb", "T", "b"},
      {"an unclosed block is ordinary text", "open.txt", "---\ntitle: X\nno closing line\n", "---",
       "title: X\nno closing line\n"},
  });
}

TEST_CASE("text files: front matter with no text at all is an empty document", "[readers]") {
  TempDir dir;
  const std::string path = (dir / "blank.txt").string();
  write_file(path, "---\nseed: x\n---\n\n");
  ReadResult result = read_input(path);
  CHECK(result.status.is_ok());
  CHECK(result.docs.empty());
  CHECK(result.stats.skipped_empty == 1);
  REQUIRE(result.skips.size() == 1);
  CHECK(result.skips[0] == path + ": no text, skipped");
}

TEST_CASE("Markdown files: heading marks are dropped from the title", "[readers]") {
  check_titles({
      {"ATX heading", "a.md", "# Title\n\nParagraph\n", "Title", "\nParagraph\n"},
      {"closed ATX heading after a blank line", "b.markdown", "\n## Sub heading ##\nbody",
       "Sub heading", "body"},
      {"setext heading", "setext.md", "Setext Title\n=====\nbody\n", "Setext Title", "body\n"},
      {"no space after '#': not a heading", "hashtag.md", "#hashtag is not a heading\nbody",
       "#hashtag is not a heading", "body"},
      {"upper-case extension", "UPPER.MD", "# Upper case extension\n", "Upper case extension", ""},
  });
}

TEST_CASE("HTML files go through html_to_text", "[readers][html]") {
  TempDir dir;
  Document doc = read_one(dir, "page.HTM",
                          "<html><head><title>Page &amp; Co</title></head>"
                          "<body><h1>Head</h1><p>One</p><script>x()</script></body></html>");
  CHECK(doc.title == "Page & Co");
  CHECK(doc.body == "Head\n\nOne");
}

TEST_CASE("JSON lines: fields, ids, sources", "[readers][jsonl]") {
  TempDir dir;
  const std::string path = (dir / "docs.jsonl").string();
  write_file(path,
             "{\"id\": \"doc-1\", \"title\": \"First\", \"body\": \"one\"}\n"
             "\n"
             "{\"id\": 42, \"body\": \"two\", \"extra\": [1, {\"a\": null}]}\r\n"
             "{\"body\": \"three\", \"title\": null}\n"
             "   \t\n"
             "{\"id\": -7, \"body\": \"four\"}\n"
             "{\"id\": 18446744073709551615, \"body\": \"five\"}\n"
             "{\"id\": \"\", \"body\": \"six\\n\\u00e9\\ud83d\\ude00\"}");
  ReadResult result = read_input(path);
  REQUIRE(result.status.is_ok());
  CHECK(result.skips.empty());
  REQUIRE(result.docs.size() == 6);
  CHECK(result.ids() == std::vector<std::string>{"doc-1", "42", path + ":4", "-7",
                                                 "18446744073709551615", path + ":8"});
  CHECK(result.docs[0].title == "First");
  CHECK(result.docs[0].body == "one");
  CHECK(result.docs[0].source == path + ":1");
  CHECK(result.docs[1].title.empty());
  CHECK(result.docs[1].source == path + ":3");
  CHECK(result.docs[2].body == "three");
  CHECK(result.docs[5].body == "six\né😀");
  CHECK(result.stats.documents == 6);
  CHECK(result.stats.skipped() == 0);
  CHECK(result.stats.input_bytes == fs::file_size(path));
}

TEST_CASE("JSON lines: custom field names", "[readers][jsonl]") {
  TempDir dir;
  const std::string path = (dir / "custom.NDJSON").string();
  write_file(path,
             "{\"doc_id\": \"a\", \"headline\": \"H\", \"text\": \"T\", \"body\": \"ignored\","
             " \"id\": \"ignored\", \"title\": \"ignored\"}\n"
             "{\"body\": \"no text field\"}\n");
  ReaderOptions options;
  options.fields.id = "doc_id";
  options.fields.title = "headline";
  options.fields.body = "text";
  ReadResult result = read_input(path, options);
  REQUIRE(result.status.is_ok());
  REQUIRE(result.docs.size() == 1);
  CHECK(result.docs[0].id == "a");
  CHECK(result.docs[0].title == "H");
  CHECK(result.docs[0].body == "T");
  REQUIRE(result.skips.size() == 1);
  CHECK(result.skips[0] == path + ":2: malformed JSON line (missing \"text\" field)");
}

TEST_CASE("JSON lines: malformed lines are skipped and reading goes on", "[readers][jsonl]") {
  TempDir dir;
  const std::string path = (dir / "bad.jsonl").string();
  write_file(path,
             "{\"body\": \"ok 1\"}\n"
             "{\"body\": \"unterminated\n"
             "[1, 2]\n"
             "\"just a string\"\n"
             "{\"title\": \"no body\"}\n"
             "{\"body\": 5}\n"
             "{\"body\": \"x\", \"title\": 5}\n"
             "{\"body\": \"x\", \"id\": 1.5}\n"
             "{\"body\": \"x\", \"id\": true}\n"
             "{\"body\": \"x\"} trailing\n"
             "{\"body\": \"\", \"title\": \" \"}\n"
             "{\"body\": \"ok 2\"}\n");
  ReadResult result = read_input(path);
  REQUIRE(result.status.is_ok());
  REQUIRE(result.docs.size() == 2);
  CHECK(result.docs[0].body == "ok 1");
  CHECK(result.docs[1].body == "ok 2");
  CHECK(result.docs[1].source == path + ":12");
  CHECK(result.stats.skipped_malformed == 9);
  CHECK(result.stats.skipped_empty == 1);
  REQUIRE(result.skips.size() == 10);
  const std::string prefix = path + ":";
  for (size_t i = 0; i < 9; ++i) {
    INFO(result.skips[i]);
    CHECK(result.skips[i].rfind(prefix + std::to_string(i + 2) + ": malformed JSON line (", 0) ==
          0);
  }
  const size_t reason = result.skips[0].find('(') + 1;
  CHECK(std::islower(static_cast<unsigned char>(result.skips[0][reason])));  // simdjson's reason
  CHECK(result.skips[1] == prefix + "3: malformed JSON line (expected a JSON object)");
  CHECK(result.skips[3] == prefix + "5: malformed JSON line (missing \"body\" field)");
  CHECK(result.skips[4] == prefix + "6: malformed JSON line (\"body\" is not a string)");
  CHECK(result.skips[5] == prefix + "7: malformed JSON line (\"title\" is not a string)");
  CHECK(result.skips[6] ==
        prefix + "8: malformed JSON line (\"id\" is not a string or an integer)");
  CHECK(result.skips[9] == prefix + "11: empty document skipped");
}

TEST_CASE("JSON lines: invalid UTF-8 and lone surrogates are replaced", "[readers][jsonl]") {
  TempDir dir;
  const std::string path = (dir / "utf8.jsonl").string();
  write_file(path,
             "{\"id\": \"i\xFF\", \"title\": \"t\xC3\", \"body\": \"b\xED\xA0\x80!\"}\n"
             "{\"body\": \"lone \\ud800 and \\udc00, pair \\ud83d\\ude00, text \\\\ud800\"}\n");
  ReadResult result = read_input(path);
  REQUIRE(result.status.is_ok());
  INFO((result.skips.empty() ? "" : result.skips[0]));
  REQUIRE(result.docs.size() == 2);
  CHECK(result.docs[0].id == "i\xEF\xBF\xBD");
  CHECK(result.docs[0].title == "t\xEF\xBF\xBD");
  CHECK(result.docs[0].body == "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!");
  CHECK(result.docs[1].body == "lone \xEF\xBF\xBD and \xEF\xBF\xBD, pair 😀, text \\ud800");
  CHECK(result.stats.replaced_utf8 == 7);
}

TEST_CASE("JSON lines: a 50 MB line and a 50 MB text file under a 64 MB limit", "[readers][slow]") {
  TempDir dir;
  ReaderOptions options;
  options.max_doc_bytes = uint64_t{64} << 20;
  const size_t size = size_t{50} << 20;
  std::string body(size, 'w');
  for (size_t i = 7; i < size; i += 8) body[i] = ' ';
  write_file(dir / "big.jsonl", "{\"id\":\"big\",\"body\":\"" + body + "\"}\n{\"body\":\"small\"}");
  ReadResult result = read_input((dir / "big.jsonl").string(), options);
  REQUIRE(result.status.is_ok());
  REQUIRE(result.docs.size() == 2);
  CHECK(result.docs[0].id == "big");
  const bool same_json_body = result.docs[0].body == body;  // No 50 MB failure message.
  CHECK(same_json_body);
  CHECK(result.docs[1].body == "small");

  write_file(dir / "big.txt", "Big\n" + body);
  result = read_input((dir / "big.txt").string(), options);
  REQUIRE(result.status.is_ok());
  REQUIRE(result.docs.size() == 1);
  CHECK(result.docs[0].title == "Big");
  const bool same_text_body = result.docs[0].body == body;
  CHECK(same_text_body);
  CHECK(result.stats.input_bytes == body.size() + 4);
  CHECK(result.stats.truncated == 0);
}

// Limits (readers.h): documents over max_doc_bytes are cut at a character
// boundary, reported and counted; titles are cut to kMaxTitleBytes.
TEST_CASE("limits: a file over max_doc_bytes is read up to it, at a character boundary",
          "[readers][limits]") {
  TempDir dir;
  ReaderOptions options;
  options.max_doc_bytes = 1000;
  // "Titles\n" (7 bytes), then "é" (2 bytes) repeated: byte 1000 falls in
  // the middle of a character, so the cut is at 999.
  std::string body;
  while (body.size() < 3000) body += "\xC3\xA9";
  write_file(dir / "big.txt", "Titles\n" + body);
  ReadResult result = read_input((dir / "big.txt").string(), options);
  REQUIRE(result.status.is_ok());
  REQUIRE(result.docs.size() == 1);
  CHECK(result.docs[0].title == "Titles");
  CHECK(result.docs[0].body == body.substr(0, 999 - 7));
  CHECK(result.stats.truncated == 1);
  CHECK(result.stats.replaced_utf8 == 0);   // No character was split.
  CHECK(result.stats.input_bytes <= 1001);  // Not the whole file.
  CHECK(
      result.truncations ==
      std::vector<std::string>{(dir / "big.txt").string() +
                               ": 3,007 bytes, over the document size limit of 1,000: truncated"});
  CHECK(result.skips.empty());

  // Exactly at the limit: nothing cut, nothing reported.
  write_file(dir / "exact.txt", "Title\n" + std::string(994, 'x'));
  result = read_input((dir / "exact.txt").string(), options);
  REQUIRE(result.docs.size() == 1);
  CHECK(result.docs[0].body.size() == 994);
  CHECK(result.stats.truncated == 0);
  CHECK(result.truncations.empty());
}

TEST_CASE("limits: a JSON lines body over max_doc_bytes is cut, the next line is read whole",
          "[readers][limits][jsonl]") {
  TempDir dir;
  ReaderOptions options;
  options.max_doc_bytes = 1024;
  const std::string long_body(5000, 'b');
  write_file(dir / "docs.jsonl",
             "{\"id\":\"a\",\"body\":\"" + long_body + "\"}\n{\"id\":\"b\",\"body\":\"short\"}\n");
  ReadResult result = read_input((dir / "docs.jsonl").string(), options);
  REQUIRE(result.status.is_ok());
  REQUIRE(result.docs.size() == 2);
  CHECK(result.docs[0].body == long_body.substr(0, 1024));
  CHECK(result.docs[1].body == "short");
  CHECK(result.stats.truncated == 1);
  CHECK(result.truncations ==
        std::vector<std::string>{
            (dir / "docs.jsonl").string() +
            ":1: 5,000 bytes, over the document size limit of 1,024: truncated"});
}

TEST_CASE("limits: titles are cut to kMaxTitleBytes", "[readers][limits]") {
  TempDir dir;
  // A first line of 300 words of 4 letters and a space (1,500 bytes): the
  // title is cut at the last blank within 512 bytes, the rest of the line
  // opens the body.
  std::string line;
  for (int i = 0; i < 300; ++i) line += "w" + std::to_string(100 + i) + " ";
  Document doc = read_one(dir, "long.txt", line + "\nsecond line\n");
  CHECK(doc.title.size() <= kMaxTitleBytes);
  CHECK(doc.title == line.substr(0, 509));  // 102 words; the blank at 509 ends it.
  CHECK(doc.body == line.substr(509) + "\nsecond line\n");

  // No blank: cut at a character boundary ("é" is 2 bytes; 3-byte "€"
  // makes 512 fall inside a character).
  std::string euros;
  for (int i = 0; i < 400; ++i) euros += "\xE2\x82\xAC";
  doc = read_one(dir, "euros.md", "# " + euros + "\nbody\n");
  CHECK(doc.title == euros.substr(0, 510));
  CHECK(doc.body == euros.substr(510) + "\nbody\n");

  // A JSON lines, front-matter or HTML title: the rest is dropped.
  const std::string long_title(2000, 't');
  write_file(dir / "t.jsonl", "{\"title\":\"" + long_title + "\",\"body\":\"text\"}\n");
  ReadResult result = read_input((dir / "t.jsonl").string());
  REQUIRE(result.docs.size() == 1);
  CHECK(result.docs[0].title == long_title.substr(0, kMaxTitleBytes));
  CHECK(result.docs[0].body == "text");
  CHECK(result.stats.truncated == 0);  // Titles are cut without a warning.
  doc = read_one(dir, "fm.md", "---\ntitle: " + line + "\n---\nbody\n");
  CHECK(doc.title == line.substr(0, 509));
  CHECK(doc.body == "body\n");
  doc = read_one(dir, "t.html", "<title>" + long_title + "</title><p>text</p>");
  CHECK(doc.title == long_title.substr(0, kMaxTitleBytes));
  CHECK(doc.body == "text");
}

TEST_CASE("binary and empty files are skipped and counted", "[readers]") {
  TempDir dir;
  std::string binary = "looks like text at first";
  binary.push_back('\0');
  binary += "then a NUL";
  write_file(dir / "bin.txt", binary);
  write_file(dir / "bin.jsonl", std::string("{\"body\":\"x\"}\n\0", 14));
  write_file(dir / "empty.md", "");
  write_file(dir / "blank.html", " \n\t\r\n");
  write_file(dir / "blank.jsonl", "\n\n  \n");
  std::string late_nul(9000, 'a');
  late_nul.push_back('\0');
  write_file(dir / "late-nul.txt", late_nul);

  for (const char* name : {"bin.txt", "bin.jsonl"}) {
    const std::string path = (dir / name).string();
    ReadResult result = read_input(path);
    CHECK(result.status.is_ok());
    CHECK(result.docs.empty());
    CHECK(result.stats.skipped_binary == 1);
    CHECK(result.skips == std::vector<std::string>{path + ": binary file skipped"});
  }
  for (const char* name : {"empty.md", "blank.html", "blank.jsonl"}) {
    const std::string path = (dir / name).string();
    ReadResult result = read_input(path);
    CHECK(result.status.is_ok());
    CHECK(result.docs.empty());
    CHECK(result.stats.skipped_empty == 1);
    CHECK(result.skips == std::vector<std::string>{path + ": empty file skipped"});
  }
  // Only the first 8 KiB are probed.
  ReadResult result = read_input((dir / "late-nul.txt").string());
  CHECK(result.docs.size() == 1);
  CHECK(result.stats.skipped_binary == 0);
}

TEST_CASE("on_bytes: a file's bytes as read, whole when read to its end", "[readers]") {
  TempDir dir;
  // JSON lines over three read chunks (1 MiB each), the last line without
  // its newline.
  std::string lines;
  for (size_t i = 0; lines.size() < (size_t{5} << 19); ++i) {
    lines += "{\"id\":\"d" + std::to_string(i) + "\",\"body\":\"" + std::string(100 + i % 7, 'a') +
             "\"}\n";
  }
  lines += "{\"id\":\"last\",\"body\":\"z\"}";
  write_file(dir / "in" / "a.jsonl", lines);
  write_file(dir / "in" / "b.md", "# Title\n\nA body.\n");
  ReadResult result = read_input((dir / "in" / "a.jsonl").string());
  REQUIRE(result.status.is_ok());
  CHECK(result.docs.back().id == "last");
  CHECK(result.bytes == lines);
  // A folder: each file whole, in the walk's order.
  result = read_input((dir / "in").string());
  REQUIRE(result.status.is_ok());
  CHECK(result.bytes == lines + "# Title\n\nA body.\n");

  // Reading stopped early: the bytes read, a prefix.
  ReaderOptions options;
  options.max_doc_bytes = 1000;
  const std::string big = "Title\n" + std::string(5000, 'x');
  write_file(dir / "big.txt", big);
  result = read_input((dir / "big.txt").string(), options);
  REQUIRE(result.docs.size() == 1);
  CHECK(!result.bytes.empty());
  CHECK(result.bytes.size() < big.size());
  CHECK(big.compare(0, result.bytes.size(), result.bytes) == 0);
}

TEST_CASE("invalid UTF-8 in files is replaced and counted", "[readers]") {
  TempDir dir;
  const std::string path = (dir / "latin1.txt").string();
  write_file(path, "Caf\xE9\nna\xEFve \xFF\xFE\n");
  ReadResult result = read_input(path);
  REQUIRE(result.docs.size() == 1);
  CHECK(result.docs[0].title == "Caf\xEF\xBF\xBD");
  CHECK(result.docs[0].body == "na\xEF\xBF\xBDve \xEF\xBF\xBD\xEF\xBF\xBD\n");
  CHECK(result.stats.replaced_utf8 == 4);
}

TEST_CASE("file names that are not UTF-8 keep their bytes in ids as \\xHH", "[readers]") {
  // Two Latin-1 names that U+FFFD would make one id: neither document may
  // replace the other.
  TempDir dir;
  write_file((dir / "notes" / "caf\xE9.txt").string(), "Coffee\n\nWith milk.\n");
  write_file((dir / "notes" / "caf\xE8.txt").string(), "Cafe\n\nA place.\n");
  write_file((dir / "notes" / "t\xE9.jsonl").string(), "{\"body\": \"tea\"}\n");
  ReadResult result = read_input((dir / "notes").string());
  REQUIRE(result.docs.size() == 3);
  const std::string folder = (dir / "notes").string();
  std::set<std::string> ids;
  for (const Document& d : result.docs) {
    CHECK(is_valid_utf8(d.id));
    CHECK(d.source == d.id);
    ids.insert(d.id);
  }
  CHECK(ids == std::set<std::string>{folder + "/caf\\xE8.txt", folder + "/caf\\xE9.txt",
                                     folder + "/t\\xE9.jsonl:1"});
  CHECK(result.stats.replaced_utf8 == 0);  // Nothing was lost.
}

TEST_CASE("errors for paths named by the user", "[readers]") {
  TempDir dir;
  SECTION("missing path") {
    const std::string path = (dir / "missing.txt").string();
    ReadResult result = read_input(path);
    CHECK(result.status.code() == Status::Code::kNotFound);
    CHECK(result.status.message() == path + ": no such file or directory");
  }
  SECTION("unsupported extension") {
    const std::string path = (dir / "notes.pdf").string();
    write_file(path, "%PDF");
    ReadResult result = read_input(path);
    CHECK(result.status.code() == Status::Code::kInvalidArgument);
    CHECK(result.status.message() ==
          path + ": unsupported file type (expected .txt, .md, .html, .htm, .jsonl)");
  }
  SECTION("folder without indexable files") {
    write_file(dir / "notes.pdf", "%PDF");
    write_file(dir / ".hidden.txt", "hidden");
    write_file(dir / "sub" / "image.png", "png");
    ReadResult result = read_input(dir.path().string());
    CHECK(result.status.code() == Status::Code::kInvalidArgument);
    CHECK(result.status.message() ==
          dir.path().string() + ": no indexable files (.txt, .md, .html, .htm, .jsonl)");
    CHECK(result.skips.empty());
  }
  SECTION("unreadable file") {
    const std::string path = (dir / "secret.txt").string();
    write_file(path, "secret");
    REQUIRE(::chmod(path.c_str(), 0) == 0);
    if (auto got = read_unprivileged(path)) {
      CHECK(*got == describe(Status::io_error(path + ": permission denied"), {}, {}, 0));
    }
  }
  SECTION("the sink's error stops reading") {
    write_file(dir / "a.txt", "a");
    write_file(dir / "b.txt", "b");
    write_file(dir / "c.txt", "c");
    InputReader reader({});
    int seen = 0;
    DocumentSink sink;
    sink.on_document = [&](Document&&) {
      return ++seen == 2 ? Status::invalid_argument("stop") : Status::ok();
    };
    Status status = reader.read(dir.path().string(), sink);
    CHECK(status.message() == "stop");
    CHECK(seen == 2);
  }
}

TEST_CASE("folders: sorted walk, hidden entries, unsupported files", "[readers][walk]") {
  TempDir dir;
  for (const char* name :
       {"b.txt", "a.txt", "A.txt", "sub/c.txt", "Z/x.md", "z.html", "sub/deeper/d.jsonl",
        "notes.pdf", "Makefile", ".hidden.txt", ".git/config.txt", "sub/.cache/e.txt", "ab.txt"}) {
    write_file(dir / name, std::string("{\"body\": \"") + name + "\"}");
  }
  ReadResult result = read_input(dir.path().string());
  REQUIRE(result.status.is_ok());
  CHECK(result.skips.empty());
  const std::string root = dir.path().string();
  CHECK(result.ids() == std::vector<std::string>{root + "/A.txt", root + "/Z/x.md", root + "/a.txt",
                                                 root + "/ab.txt", root + "/b.txt",
                                                 root + "/sub/c.txt",
                                                 root + "/sub/deeper/d.jsonl:1", root + "/z.html"});
}

TEST_CASE("folders: exclude globs", "[readers][walk]") {
  TempDir dir;
  for (const char* name : {"keep.txt", "skip.md", "drafts/a.txt", "deep/drafts/b.txt",
                           "archive/2019/c.txt", "archive/2020/d.txt", "x/min.html"}) {
    write_file(dir / name, name);
  }
  ReaderOptions options;
  options.exclude = {"*.md", "drafts", "archive/2019*", "*/x/*.html"};
  ReadResult result = read_input(dir.path().string(), options);
  REQUIRE(result.status.is_ok());
  const std::string root = dir.path().string();
  CHECK(result.ids() == std::vector<std::string>{root + "/archive/2020/d.txt", root + "/keep.txt"});
  // A file named directly is read even when a glob matches it.
  result = read_input((dir / "skip.md").string(), options);
  CHECK(result.docs.size() == 1);
}

TEST_CASE("folders: symbolic links", "[readers][walk]") {
  TempDir dir;
  write_file(dir / "real" / "a.txt", "a");
  fs::create_directory_symlink(dir / "real", dir / "real" / "loop");
  fs::create_directory_symlink(dir / "real", dir / "link-to-real");
  fs::create_symlink(dir / "real" / "a.txt", dir / "real" / "b.txt");
  fs::create_symlink(dir / "nowhere.txt", dir / "real" / "dangling.txt");
  ReadResult result = read_input(dir.path().string());
  REQUIRE(result.status.is_ok());
  const std::string root = dir.path().string();
  CHECK(result.ids() == std::vector<std::string>{root + "/real/a.txt", root + "/real/b.txt"});
  CHECK(result.stats.skipped_unreadable == 1);
  CHECK(result.skips ==
        std::vector<std::string>{root + "/real/dangling.txt: no such file or directory"});
}

TEST_CASE("folders: unreadable files and subfolders are skipped", "[readers][walk]") {
  TempDir dir;
  write_file(dir / "a.txt", "a");
  write_file(dir / "locked.txt", "locked");
  write_file(dir / "private" / "p.txt", "p");
  write_file(dir / "z.txt", "z");
  REQUIRE(::chmod((dir / "locked.txt").c_str(), 0) == 0);
  REQUIRE(::chmod((dir / "private").c_str(), 0) == 0);
  const std::string root = dir.path().string();
  if (auto got = read_unprivileged(root)) {
    CHECK(*got ==
          describe(Status::ok(), {root + "/a.txt", root + "/z.txt"},
                   {root + "/locked.txt: permission denied", root + "/private: permission denied"},
                   2));
  }
}

TEST_CASE("the bundled corpus: front matter title, body equal to the seed article",
          "[readers][corpus]") {
  const fs::path corpus = test::source_dir() / "corpus";
  const fs::path seeds = test::source_dir() / ".." / "shared" / "seed-articles";
  const bool have_seeds = fs::is_directory(seeds);
  if (!have_seeds) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
      FAIL("../shared/seed-articles is missing (required under CI=true): " << seeds.string());
    }
    WARN("not comparing bodies: ../shared/seed-articles not found (" << seeds.string() << ")");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(corpus)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 5);

  for (const fs::path& file : files) {
    INFO(file.string());
    // The front matter, read independently of the reader.
    const std::string raw = test::read_file(file);
    std::map<std::string, std::string> keys;
    REQUIRE(raw.rfind("---\n", 0) == 0);
    size_t pos = 4;
    for (;;) {
      const size_t nl = raw.find('\n', pos);
      REQUIRE(nl != std::string::npos);
      const std::string line = raw.substr(pos, nl - pos);
      pos = nl + 1;
      if (line == "---") break;
      const size_t colon = line.find(": ");
      REQUIRE(colon != std::string::npos);
      keys[line.substr(0, colon)] = line.substr(colon + 2);
    }
    REQUIRE(keys.count("title") == 1);
    REQUIRE(keys.count("seed") == 1);

    ReadResult result = read_input(file.string());
    REQUIRE(result.status.is_ok());
    REQUIRE(result.docs.size() == 1);
    CHECK(result.docs[0].title == keys["title"]);
    CHECK(result.docs[0].body == raw.substr(pos));
    CHECK(result.stats.replaced_utf8 == 0);
    if (have_seeds) CHECK(result.docs[0].body == test::read_file(seeds / keys["seed"]));
  }

  ReadResult all = read_input(corpus.string());
  REQUIRE(all.status.is_ok());
  CHECK(all.docs.size() == 5);
  CHECK(all.skips.empty());
}

}  // namespace
}  // namespace scry
