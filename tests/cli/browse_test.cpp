// Finding one's way with scry-search: a stored document by id (--doc), the
// list of documents (--list), the default index (SCRY_INDEX) and JSON lines
// for the failed queries of a batch.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "testlib.h"

using scry::test::lines_of;
using scry::test::run;
using scry::test::RunResult;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A temporary folder with three notes indexed at "idx".
struct Notes {
  Notes() {
    scry::test::write_file(tmp / "notes" / "a.txt", "Apples\n\nAn apple orchard\tat harvest.\n");
    scry::test::write_file(tmp / "notes" / "b.txt", "Bananas\n\nA banana plantation.\n");
    scry::test::write_file(tmp / "notes" / "c.txt", "Cherries\n\nA cherry festival.\n");
    build();
  }
  void build() {
    auto r = run({scry::test::program("scry-index"), "-q", "--update", notes(), "-o", index()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  std::string index() const { return (tmp / "idx").string(); }
  std::string notes() const { return (tmp / "notes").string(); }
  std::string id(const std::string& name) const { return (tmp / "notes" / name).string(); }
  TempDir tmp;
};

RunResult search(std::vector<std::string> args, const std::vector<std::string>& env = {},
                 const std::string& input = "") {
  args.insert(args.begin(), scry::test::program("scry-search"));
  return run(args, input, env);
}

}  // namespace

TEST_CASE("browse: --doc prints a stored document in each format", "[search_cli][browse]") {
  Notes n;
  auto text = search({n.index(), "--doc", n.id("a.txt")});
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out == "id: " + n.id("a.txt") + "\ntitle: Apples\nsource: " + n.id("a.txt") +
                        "\n\nAn apple orchard\tat harvest.\n");

  auto tsv = search({n.index(), "--doc", n.id("b.txt"), "--format", "tsv"});
  CHECK(tsv.exit_code == 0);
  CHECK(tsv.out == n.id("b.txt") + "\tBananas\t" + n.id("b.txt") + "\tA banana plantation.\n");

  auto json = search({n.index(), "--doc", n.id("c.txt"), "-f", "json"});
  CHECK(json.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json.out);
  CHECK(std::string(doc["id"].get_string().value()) == n.id("c.txt"));
  CHECK(std::string(doc["title"].get_string().value()) == "Cherries");
  CHECK(std::string(doc["source"].get_string().value()) == n.id("c.txt"));
  // The text as stored (the reader keeps what follows the title line).
  CHECK(std::string(doc["text"].get_string().value()) == "\nA cherry festival.\n");
}

TEST_CASE("browse: an unknown or deleted id is no match: a message and status 1",
          "[search_cli][browse]") {
  Notes n;
  auto unknown = search({n.index(), "--doc", "nothing.txt"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.out.empty());
  CHECK(unknown.err.find("no document with id \"nothing.txt\"") != std::string::npos);

  // A removed file's document is deleted by --update; a changed file's is
  // replaced: --doc shows the live one.
  fs::remove(n.tmp / "notes" / "b.txt");
  scry::test::write_file(n.tmp / "notes" / "c.txt", "Cherries\n\nRipe cherries in June.\n");
  n.build();
  CHECK(search({n.index(), "--doc", n.id("b.txt")}).exit_code == 1);
  auto changed = search({n.index(), "--doc", n.id("c.txt")});
  CHECK(changed.exit_code == 0);
  CHECK(changed.out.find("Ripe cherries in June.") != std::string::npos);
  CHECK(changed.out.find("festival") == std::string::npos);
}

TEST_CASE("browse: an id that came again in one build shows its last document",
          "[search_cli][browse]") {
  TempDir tmp;
  const std::string index = (tmp / "idx").string();
  auto built = run({scry::test::program("scry-index"), "-q", "-", "-o", index},
                   "{\"id\":\"x\",\"title\":\"one\",\"body\":\"first text\"}\n"
                   "{\"id\":\"y\",\"title\":\"why\",\"body\":\"y text\"}\n"
                   "{\"id\":\"x\",\"title\":\"two\",\"body\":\"second text\"}\n");
  REQUIRE(built.exit_code == 0);
  auto shown = search({index, "--doc", "x"});
  CHECK(shown.exit_code == 0);
  CHECK(shown.out.find("title: two\n") != std::string::npos);
  CHECK(shown.out.find("second text") != std::string::npos);
  CHECK(lines_of(search({index, "--list"}).out) == std::vector<std::string>{"y\twhy", "x\ttwo"});
}

TEST_CASE("browse: --list lists the live documents' ids and titles", "[search_cli][browse]") {
  Notes n;
  auto listed = search({n.index(), "--list"});
  CHECK(listed.exit_code == 0);
  CHECK(lines_of(listed.out) == std::vector<std::string>{n.id("a.txt") + "\tApples",
                                                         n.id("b.txt") + "\tBananas",
                                                         n.id("c.txt") + "\tCherries"});
  auto json = search({n.index(), "--list", "--format", "json"});
  REQUIRE(lines_of(json.out).size() == 3);
  simdjson::dom::parser parser;
  simdjson::dom::element first = parser.parse(lines_of(json.out)[0]);
  CHECK(std::string(first["id"].get_string().value()) == n.id("a.txt"));
  CHECK(std::string(first["title"].get_string().value()) == "Apples");

  // After a delete: the rest, status 0; with every document deleted: 1.
  auto deleted =
      run({scry::test::program("scry-index"), "-q", "--delete", n.id("b.txt"), "-o", n.index()});
  REQUIRE(deleted.exit_code == 0);
  CHECK(lines_of(search({n.index(), "--list"}).out).size() == 2);
  REQUIRE(run({scry::test::program("scry-index"), "-q", "--delete", n.id("a.txt"), n.id("c.txt"),
               "-o", n.index()})
              .exit_code == 0);
  auto none = search({n.index(), "--list"});
  CHECK(none.exit_code == 1);
  CHECK(none.out.empty());
}

TEST_CASE("browse: --doc and --list refuse a query and each other", "[search_cli][browse]") {
  Notes n;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{n.index(), "--doc", n.id("a.txt"), "apple"},
                                             {n.index(), "--list", "apple"},
                                             {n.index(), "--list", "--doc", n.id("a.txt")},
                                             {n.index(), "--list", "--verify"}}) {
    auto r = search(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("scry-search: error: --") != std::string::npos);
  }
}

TEST_CASE("browse: SCRY_INDEX is the index when the first argument is not an index folder",
          "[search_cli][browse]") {
  Notes n;
  const std::string env = "SCRY_INDEX=" + n.index();
  // Every argument is a query word.
  auto words = search({"banana", "plantation", "-f", "tsv"}, {env});
  INFO(words.err);
  CHECK(words.exit_code == 0);
  CHECK(words.out.find(n.id("b.txt")) != std::string::npos);
  // A word that is a folder, but not an index, is still a word.
  auto folder = search({n.notes(), "banana", "-f", "tsv"}, {env});
  CHECK(folder.exit_code == 0);
  CHECK(folder.err.empty());
  CHECK(folder.out.find(n.id("b.txt")) != std::string::npos);
  // An index folder first is the index.
  Notes other;
  scry::test::write_file(other.tmp / "notes" / "d.txt", "Dates\n\nA date palm.\n");
  other.build();
  auto named = search({other.index(), "palm", "-f", "tsv"}, {env});
  CHECK(named.exit_code == 0);
  CHECK(named.out.find(other.id("d.txt")) != std::string::npos);
  // No argument: queries from standard input, on $SCRY_INDEX.
  auto piped = search({"-f", "tsv"}, {env}, "cherry\n");
  CHECK(piped.exit_code == 0);
  CHECK(piped.out.find(n.id("c.txt")) != std::string::npos);
  // --doc and --list on $SCRY_INDEX.
  CHECK(search({"--doc", n.id("a.txt")}, {env}).exit_code == 0);
  CHECK(lines_of(search({"--list"}, {env}).out).size() == 3);
}

TEST_CASE("browse: no index and no SCRY_INDEX, or a SCRY_INDEX that does not open: a clear error",
          "[search_cli][browse]") {
  // Empty counts as unset (the environment the test runs in may set it).
  auto r = search({}, {"SCRY_INDEX="}, "huawei\n");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no INDEX given (name one, or set SCRY_INDEX") != std::string::npos);
  // A SCRY_INDEX that cannot be opened: the error says where the index came from.
  TempDir tmp;
  auto missing = search({"huawei"}, {"SCRY_INDEX=" + (tmp / "gone.idx").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("gone.idx") != std::string::npos);
  CHECK(missing.err.find("(the index in SCRY_INDEX)") != std::string::npos);
}

TEST_CASE("browse: with --format json, failed queries of a batch are JSON lines too",
          "[search_cli][browse]") {
  Notes n;
  auto r = search({n.index(), "--format", "json", "--no-snippets"}, {},
                  "apple\nq2\tbanana \"open\nq3\t(cherry\ncherry\n");
  CHECK(r.exit_code == 2);  // An error happened; the batch went on.
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 4);
  simdjson::dom::parser parser;
  std::vector<std::string> tags;
  for (const std::string& line : lines) {
    simdjson::dom::element e = parser.parse(line);
    tags.emplace_back(e["query"].get_string().value());
    if (tags.back() == "q2") {
      CHECK(std::string(e["error"].get_string().value()) == "missing closing quote");
      CHECK(int64_t(e["column"]) == 8);
    } else if (tags.back() == "q3") {
      CHECK(std::string(e["error"].get_string().value()) == "missing ')'");
      CHECK(int64_t(e["column"]) == 1);
    } else {
      CHECK(e["error"].error() == simdjson::NO_SUCH_FIELD);
    }
  }
  CHECK(tags == std::vector<std::string>{"1", "q2", "q3", "4"});
  CHECK(r.err.find("line 2: query:8: missing closing quote") != std::string::npos);
  // Other formats keep errors on standard error only.
  auto tsv = search({n.index(), "--format", "tsv"}, {}, "banana \"open\n");
  CHECK(tsv.exit_code == 2);
  CHECK(tsv.out.empty());
}
