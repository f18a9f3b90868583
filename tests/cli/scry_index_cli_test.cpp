// End-to-end tests of scry-index as a user meets it: the bundled corpus,
// every kind of bad input, atomic publishing and kill -9.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "scry/format/index_reader.h"
#include "scry/util/size.h"
#include "testlib.h"

using namespace scry;
using scry::test::run;
using scry::test::TempDir;
using scry::test::write_file;
namespace fs = std::filesystem;

namespace {

// A 32-bit draw (mt19937's result_type is wider than uint32_t here).
using test::u32;

std::string indexer() { return scry::test::program("scry-index"); }

// Live documents in the index at `dir` (fails the test if it does not open).
uint64_t document_count(const std::string& dir) {
  auto index = IndexReader::open(dir);
  INFO(index.status().message());
  REQUIRE(index.is_ok());
  REQUIRE((*index)->verify().is_ok());
  return (*index)->manifest().live_documents();
}

// Live documents of the first segment whose text holds `term`.
size_t live_docs_with(const std::string& dir, const std::string& term) {
  auto index = IndexReader::open(dir);
  REQUIRE(index.is_ok());
  const SegmentReader& seg = *(*index)->segments()[0];
  auto found = seg.find(Field::kText, term);
  REQUIRE(found.is_ok());
  size_t live = 0;
  if (!found->has_value()) return live;
  for (auto c = seg.postings(**found); c.doc() != PostingsCursor::kEnd; c.next()) {
    if (!seg.is_deleted(c.doc())) ++live;
  }
  return live;
}

bool has_term(const std::string& dir, const std::string& term) {
  auto index = IndexReader::open(dir);
  REQUIRE(index.is_ok());
  auto found = (*index)->segments()[0]->find(Field::kText, term);
  REQUIRE(found.is_ok());
  return found->has_value();
}

// Error output is one line that starts with the program's name.
void check_one_line_error(const scry::test::RunResult& r) {
  CHECK(r.exit_code == 2);
  CHECK(r.signal == 0);
  CHECK(r.err.rfind("scry-index: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

std::vector<std::string> leftovers(const fs::path& parent) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(parent)) {
    std::string name = e.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) out.push_back(name);
  }
  return out;
}

}  // namespace

TEST_CASE("cli: the bundled corpus indexes into five documents", "[cli]") {
  TempDir tmp;
  std::string idx = (tmp / "corpus.idx").string();
  auto r = run({indexer(), (scry::test::source_dir() / "corpus").string(), "-o", idx});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("scry-index: 5 documents") == 0);
  CHECK(r.out.find("MB/s") != std::string::npos);
  CHECK(r.err.empty());  // No progress bar on a pipe, no warnings.
  CHECK(document_count(idx) == 5);
  CHECK(has_term(idx, "huawei"));
  CHECK(has_term(idx, "资本"));
  auto index = IndexReader::open(idx);
  REQUIRE(index.is_ok());
  // Titles come from the front matter, not the page debris.
  bool found_title = false;
  for (uint32_t d = 0; d < 5; ++d) {
    auto doc = (*index)->segments()[0]->document(d);
    REQUIRE(doc.is_ok());
    CHECK(doc->title != "Close");
    found_title |=
        doc->title == "China’s Zhipu AI dragon takes flight despite US clipping its wings";
  }
  CHECK(found_title);
}

TEST_CASE("cli: usage errors", "[cli]") {
  TempDir tmp;
  SECTION("no output") { check_one_line_error(run({indexer(), "x"})); }
  SECTION("no input") { check_one_line_error(run({indexer(), "-o", (tmp / "i").string()})); }
  SECTION("bad memory size") {
    write_file(tmp / "a.txt", "hello");
    check_one_line_error(
        run({indexer(), (tmp / "a.txt").string(), "-o", (tmp / "i").string(), "--memory", "lots"}));
  }
  SECTION("unknown option") { check_one_line_error(run({indexer(), "--frobnicate"})); }
  SECTION("bad document size limit") {
    write_file(tmp / "a.txt", "hello");
    for (const char* size : {"lots", "100", "2G"}) {
      auto r = run({indexer(), (tmp / "a.txt").string(), "-o", (tmp / "i").string(),
                    "--max-doc-size", size});
      check_one_line_error(r);
      CHECK(r.err.find("--max-doc-size") != std::string::npos);
    }
  }
}

TEST_CASE("cli: -o under a file says the file is not a folder", "[cli]") {
  TempDir tmp;
  write_file(tmp / "a.txt", "Alpha\nzebras");
  write_file(tmp / "afile", "not a folder");
  auto r = run({indexer(), (tmp / "a.txt").string(), "-o", (tmp / "afile" / "x.idx").string()});
  check_one_line_error(r);
  CHECK(r.err == "scry-index: error: " + (tmp / "afile" / "x.idx").string() + ": " +
                     (tmp / "afile").string() + " is not a folder\n");
  r = run({indexer(), (tmp / "a.txt").string(), "-o", (tmp / "nowhere" / "x.idx").string()});
  check_one_line_error(r);
  CHECK(r.err.find("parent folder " + (tmp / "nowhere").string() + " does not exist") !=
        std::string::npos);
}

TEST_CASE("cli: the summary says 1 document, 2 documents", "[cli]") {
  TempDir tmp;
  write_file(tmp / "one" / "a.txt", "Alpha\nzebras");
  auto r = run({indexer(), (tmp / "one").string(), "-o", (tmp / "idx").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("scry-index: 1 document, ") == 0);
  write_file(tmp / "one" / "b.txt", "Beta\nzebras");
  r = run({indexer(), "--update", (tmp / "one").string(), "-o", (tmp / "idx").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(": 1 file read, 1 document added, 0 files gone, 0 documents deleted; "
                   "now 2 documents in 2 segments, ") != std::string::npos);
}

TEST_CASE("cli: the summary's bytes are the index folder's, sharded or not", "[cli]") {
  TempDir tmp;
  write_file(tmp / "in" / "a.txt", "Alpha\nzebras and lions");
  write_file(tmp / "in" / "b.txt", "Beta\nzebras");
  // The files under `dir`, at any depth (FILES and SHARDS included).
  const auto folder_bytes = [](const fs::path& dir) {
    uint64_t total = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file()) total += entry.file_size();
    }
    return total;
  };
  // The number before " bytes" in a summary line, digits grouped by commas.
  const auto bytes_said = [](const std::string& out) {
    const size_t end = out.find(" bytes");
    REQUIRE(end != std::string::npos);
    size_t begin = end;
    while (begin > 0 && (std::isdigit(static_cast<unsigned char>(out[begin - 1])) != 0 ||
                         out[begin - 1] == ',')) {
      --begin;
    }
    std::string digits;
    for (char c : out.substr(begin, end - begin)) {
      if (c != ',') digits += c;
    }
    REQUIRE_FALSE(digits.empty());
    return std::stoull(digits);
  };
  for (const std::string shards : {"", "1", "2"}) {  // "": not sharded.
    INFO("shards " << shards);
    const fs::path idx = tmp / ("idx" + shards);
    std::vector<std::string> args{indexer(), (tmp / "in").string(), "-o", idx.string()};
    if (!shards.empty()) args.insert(args.end(), {"--shards", shards});
    auto r = run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(bytes_said(r.out) == folder_bytes(idx));
    write_file(tmp / "in" / "c.txt", "Gamma\nlions");
    r = run({indexer(), "--update", (tmp / "in").string(), "-o", idx.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(bytes_said(r.out) == folder_bytes(idx));
    fs::remove(tmp / "in" / "c.txt");
  }
}

TEST_CASE("cli: a document over --max-doc-size is truncated, warned about and counted",
          "[cli][limits]") {
  TempDir tmp;
  // A first line of 2,000 words (about 14 KB: a giant title) and a body
  // with a word past 4 KB; a JSON line whose body is past 4 KB; a small file.
  std::string line;
  for (int i = 0; i < 2000; ++i) line += "word" + std::to_string(i) + " ";
  write_file(tmp / "in" / "big.txt", line + "\nfarawayword\n");
  write_file(tmp / "in" / "docs.jsonl", "{\"id\":\"j\",\"title\":\"" + line + "\",\"body\":\"" +
                                            std::string(5000, 'x') + " jsonfarword\"}\n");
  write_file(tmp / "in" / "small.txt", "Small\nsmallword\n");
  const std::string idx = (tmp / "idx").string();
  auto r = run({indexer(), (tmp / "in").string(), "-o", idx, "--max-doc-size", "4K"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string big = (tmp / "in" / "big.txt").string();
  const std::string docs = (tmp / "in" / "docs.jsonl").string();
  CHECK(r.err == "scry-index: warning: " + big + ": " + group_digits(line.size() + 13) +
                     " bytes, over the document size limit of 4,096: truncated\n"
                     "scry-index: warning: " +
                     docs + ":1: 5,012 bytes, over the document size limit of 4,096: truncated\n");
  CHECK(r.out.find("scry-index: 3 documents (2 truncated to --max-doc-size), ") == 0);

  CHECK(has_term(idx, "word1"));      // In the title.
  CHECK(has_term(idx, "word200"));    // The rest of the first line, in the body.
  CHECK(!has_term(idx, "word1999"));  // Past 4 KB.
  CHECK(!has_term(idx, "farawayword"));
  CHECK(!has_term(idx, "jsonfarword"));
  CHECK(has_term(idx, "smallword"));
  auto index = IndexReader::open(idx);
  REQUIRE(index.is_ok());
  const SegmentReader& seg = *(*index)->segments()[0];
  for (uint32_t d = 0; d < 3; ++d) {
    auto doc = seg.document(d);
    REQUIRE(doc.is_ok());
    INFO(doc->id);
    CHECK(doc->title.size() <= 512);
    CHECK(doc->body.size() <= 4096);
    if (doc->id != (tmp / "in" / "small.txt").string()) {
      CHECK(doc->title.size() > 500);
      CHECK(line.substr(0, doc->title.size()) == doc->title);
    }
  }

  // --strict is about skips: a truncated document is indexed, not skipped.
  r = run({indexer(), "--strict", "-q", (tmp / "in").string(), "-o", idx, "--max-doc-size", "4K"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());  // -q: no warnings.
}

TEST_CASE("cli: bad inputs give one-line errors and leave the old index intact", "[cli]") {
  TempDir tmp;
  std::string idx = (tmp / "idx").string();
  write_file(tmp / "good" / "a.txt", "Alpha\nthe first document about zebras");
  REQUIRE(run({indexer(), (tmp / "good").string(), "-o", idx}).exit_code == 0);
  REQUIRE(document_count(idx) == 1);

  SECTION("missing path") {
    auto r = run({indexer(), (tmp / "nope").string(), "-o", idx});
    check_one_line_error(r);
    CHECK(r.err.find((tmp / "nope").string()) != std::string::npos);
  }
  SECTION("folder with nothing indexable") {
    write_file(tmp / "empty" / "x.pdf", "%PDF");
    auto r = run({indexer(), (tmp / "empty").string(), "-o", idx});
    check_one_line_error(r);
    CHECK(r.err.find("empty") != std::string::npos);
  }
  SECTION("only skipped files: nothing to index") {
    write_file(tmp / "bin" / "b.txt", std::string("\x00\x01\x02", 3));
    auto r = run({indexer(), (tmp / "bin").string(), "-o", idx});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("binary") != std::string::npos);
  }
  SECTION("--strict turns a skip into an error") {
    write_file(tmp / "mixed" / "b.txt", std::string("abc\0def", 7));
    write_file(tmp / "mixed" / "c.txt", "Title\nuseful words");
    auto lenient = run({indexer(), (tmp / "mixed").string(), "-o", (tmp / "other").string()});
    CHECK(lenient.exit_code == 0);
    CHECK(lenient.out.find("1 binary") != std::string::npos);
    auto strict = run({indexer(), "--strict", (tmp / "mixed").string(), "-o", idx});
    CHECK(strict.exit_code == 2);
    CHECK(strict.err.find("--strict") != std::string::npos);
  }
  SECTION("--strict turns invalid UTF-8 into an error") {
    write_file(tmp / "latin1" / "cafe.txt", "Caf\xe9\nna\xefve cr\xe8me");
    auto lenient = run({indexer(), (tmp / "latin1").string(), "-o", (tmp / "other").string()});
    CHECK(lenient.exit_code == 0);
    CHECK(lenient.err.find((tmp / "latin1" / "cafe.txt").string() +
                           ": 3 invalid UTF-8 sequences replaced by U+FFFD") != std::string::npos);
    auto strict = run({indexer(), "--strict", (tmp / "latin1").string(), "-o", idx});
    CHECK(strict.exit_code == 2);
    CHECK(strict.err.find("3 invalid UTF-8 sequences replaced and --strict is set") !=
          std::string::npos);
  }
  SECTION("target is a folder that is not an index") {
    write_file(tmp / "precious" / "thesis.txt", "do not delete");
    auto r = run({indexer(), (tmp / "good").string(), "-o", (tmp / "precious").string()});
    check_one_line_error(r);
    CHECK(fs::exists(tmp / "precious" / "thesis.txt"));
  }
  // Whatever happened, the old index still answers and nothing is left over.
  CHECK(document_count(idx) == 1);
  CHECK(has_term(idx, "zebra"));
  CHECK(leftovers(tmp.path()).empty());
}

TEST_CASE("cli: skips are counted and named", "[cli]") {
  TempDir tmp;
  std::string idx = (tmp / "idx").string();
  write_file(tmp / "in" / "empty.txt", "");
  write_file(tmp / "in" / "bin.md", std::string("\177ELF\0\0", 6));
  write_file(tmp / "in" / "docs.jsonl",
             "{\"id\": \"1\", \"title\": \"One\", \"body\": \"first body\"}\n"
             "{\"id\": \"2\", \"title\": \"Two\", \"body\": \n"
             "{\"id\": \"1\", \"title\": \"Again\", \"body\": \"duplicate body\"}\n"
             "{\"id\": \"3\", \"title\": \"Three\", \"body\": \"bad \xff\xfe bytes\"}\n");
  auto r = run({indexer(), (tmp / "in").string(), "-o", idx});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("docs.jsonl:2") != std::string::npos);  // Malformed line, named.
  CHECK(r.err.find("docs.jsonl:3: id \"1\" seen again") != std::string::npos);  // Named.
  CHECK(r.err.find("empty.txt") != std::string::npos);
  CHECK(r.err.find("bin.md") != std::string::npos);
  CHECK(r.out.find("2 documents") != std::string::npos);
  CHECK(
      r.out.find("1 binary, 1 empty, 1 malformed, 0 unreadable; 1 replaced by a later document") !=
      std::string::npos);
  CHECK(r.out.find("invalid UTF-8") != std::string::npos);
  // The repaired document is named, with its line.
  CHECK(r.err.find("docs.jsonl:4: 2 invalid UTF-8 sequences replaced by U+FFFD") !=
        std::string::npos);
  CHECK(document_count(idx) == 2);
  // The later document with id 1 replaced the earlier one.
  CHECK(live_docs_with(idx, "duplic") == 1);
  CHECK(live_docs_with(idx, "first") == 0);
}

TEST_CASE("cli: JSON lines from stdin with mapped field names", "[cli]") {
  TempDir tmp;
  std::string idx = (tmp / "idx").string();
  auto r = run({indexer(), "-", "-o", idx, "--id-field", "key", "--title-field", "headline",
                "--body-field", "text"},
               "{\"key\": 7, \"headline\": \"Seven\", \"text\": \"lucky number\"}\n"
               "{\"key\": \"eight\", \"headline\": \"Eight\", \"text\": \"octopus arms\"}\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(document_count(idx) == 2);
  CHECK(has_term(idx, "octopus"));
  auto index = IndexReader::open(idx);
  REQUIRE(index.is_ok());
  auto doc = (*index)->segments()[0]->document(0);
  REQUIRE(doc.is_ok());
  CHECK(doc->id == "7");
  CHECK(doc->source == "-:1");
}

TEST_CASE("cli: a named pipe called *.jsonl is read once, whole", "[cli]") {
  TempDir tmp;
  const std::string pipe = (tmp / "docs.jsonl").string();
  REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
  std::string lines;
  for (int i = 0; i < 2000; ++i) {
    lines += "{\"id\": \"d" + std::to_string(i) + "\", \"body\": \"pipe word" + std::to_string(i) +
             "\"}\n";
  }
  // The writer runs beside scry-index: it opens the pipe once a reader has
  // (until scry-index is done), and a reader that leaves early gives it
  // EPIPE, not SIGPIPE (blocked in its thread alone).
  std::atomic<bool> done{false};
  std::thread writer([&] {
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    int fd = -1;
    while (fd < 0 && !done) {
      fd = ::open(pipe.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (fd < 0) return;
    ::fcntl(fd, F_SETFL, 0);
    for (size_t at = 0; at < lines.size();) {
      const ssize_t n = ::write(fd, lines.data() + at, lines.size() - at);
      if (n <= 0) break;
      at += static_cast<size_t>(n);
    }
    ::close(fd);
  });
  const std::string idx = (tmp / "idx").string();
  auto r = run({indexer(), "-q", pipe, "-o", idx});
  done = true;
  writer.join();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(document_count(idx) == 2000);
  CHECK(has_term(idx, "word1999"));
}

TEST_CASE("cli: a 50 MB single document is indexed whole under a larger --max-doc-size",
          "[cli][slow]") {
  TempDir tmp;
  std::string big;
  big.reserve(50u << 20);
  std::mt19937 rng(1);
  while (big.size() < (50u << 20)) big += "word" + std::to_string(u32(rng) % 100000) + " ";
  big += "needleinthehaystack\n";
  write_file(tmp / "big.txt", "Big\n" + big);
  std::string idx = (tmp / "idx").string();
  auto r = run({indexer(), (tmp / "big.txt").string(), "-o", idx, "--memory", "16M",
                "--max-doc-size", "64M"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(document_count(idx) == 1);
  CHECK(has_term(idx, "needleinthehaystack"));
}

TEST_CASE("cli: the index is the same byte for byte with a tiny memory budget", "[cli]") {
  TempDir tmp;
  std::string corpus = (scry::test::source_dir() / "corpus").string();
  REQUIRE(run({indexer(), corpus, "-o", (tmp / "a").string()}).exit_code == 0);
  REQUIRE(run({indexer(), corpus, "-o", (tmp / "b").string(), "--memory", "64K"}).exit_code == 0);
  for (const auto& e : fs::directory_iterator(tmp / "a")) {
    INFO(e.path().filename());
    CHECK(scry::test::read_file(e.path()) ==
          scry::test::read_file(tmp / "b" / e.path().filename()));
  }
}

TEST_CASE("cli: kill -9 during a rebuild leaves the old index readable", "[cli][slow]") {
  TempDir tmp;
  std::string idx = (tmp / "idx").string();
  write_file(tmp / "small" / "a.txt", "Alpha\nthe old index speaks of zebras");
  REQUIRE(run({indexer(), (tmp / "small").string(), "-o", idx}).exit_code == 0);
  // A large input that takes a while to index.
  std::string lines;
  std::mt19937 rng(2);
  for (int i = 0; i < 60000; ++i) {
    lines += "{\"id\": \"" + std::to_string(i) + "\", \"body\": \"";
    for (int w = 0; w < 40; ++w) lines += "t" + std::to_string(u32(rng) % 50000) + " ";
    lines += "\"}\n";
  }
  write_file(tmp / "big.jsonl", lines);
  std::mt19937 delays(3);
  for (int round = 0; round < 20; ++round) {
    int pid = scry::test::spawn({indexer(), (tmp / "big.jsonl").string(), "-o", idx});
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + u32(delays) % 400));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    INFO("round " << round);
    // Either the kill came first (old index) or the build had finished.
    uint64_t n = document_count(idx);
    CHECK((n == 1 || n == 60000));
    if (n == 1) CHECK(has_term(idx, "zebra"));
  }
  // The next build cleans up what the killed ones left.
  REQUIRE(run({indexer(), (tmp / "small").string(), "-o", idx}).exit_code == 0);
  CHECK(leftovers(tmp.path()).empty());
  CHECK(document_count(idx) == 1);
}
