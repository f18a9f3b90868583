// scry-index --update, --delete and --merge as a user meets them: a folder
// index follows added, changed and removed files; JSON lines ids replace
// documents; deletions by id; merging gives the answers of a fresh build;
// bad requests get a one-line error, exit code 2 and leave the index alone;
// a damaged segment is not merged.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "testlib.h"

using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

scry::test::RunResult index(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {scry::test::program("scry-index")};
  argv.insert(argv.end(), args.begin(), args.end());
  return scry::test::run(argv);
}

// scry-search's TSV lines for `query` (top 100).
std::string search(const std::string& idx, const std::string& query) {
  auto r =
      scry::test::run({scry::test::program("scry-search"), "-f", "tsv", "-k", "100", idx, query});
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));  // 1: no hit.
  return r.out;
}

// The ids (third TSV column) of the hits of `query`.
std::set<std::string> ids(const std::string& idx, const std::string& query) {
  std::set<std::string> out;
  std::istringstream lines(search(idx, query));
  for (std::string line; std::getline(lines, line);) {
    size_t a = line.find('\t'), b = line.find('\t', a + 1), c = line.find('\t', b + 1);
    out.insert(line.substr(b + 1, c - b - 1));
  }
  return out;
}

const std::vector<std::string> kQueries = {"apple", "banana", "plantation",
                                           "bread", "cherry", "date palm",
                                           "fruit", "oasis",  "\"banana bread\""};

}  // namespace

TEST_CASE("update: a folder index follows added, changed and removed files", "[update]") {
  TempDir tmp;
  const fs::path notes = tmp / "notes";
  scry::test::write_file(notes / "a.txt", "Apples\n\nAn apple orchard, fruit at harvest time.\n");
  scry::test::write_file(notes / "b.txt", "Bananas\n\nA banana plantation by the sea.\n");
  scry::test::write_file(notes / "c.md", "# Cherries\n\nA cherry blossom festival, fruit trees.\n");
  const std::string idx = (tmp / "idx").string();
  REQUIRE(index({"-q", notes.string(), "-o", idx}).exit_code == 0);
  CHECK(ids(idx, "plantation").size() == 1);

  scry::test::write_file(notes / "d.txt", "Dates\n\nA date palm in the oasis, fruit again.\n");
  scry::test::write_file(notes / "b.txt", "Bananas\n\nBanana bread from the oven.\n");
  fs::remove(notes / "c.md");
  auto r = index({"--update", notes.string(), "-o", idx});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("2 files read, 2 documents added") != std::string::npos);
  CHECK(r.out.find("1 file gone, 2 documents deleted") != std::string::npos);
  CHECK(r.out.find("now 3 documents") != std::string::npos);

  // Exactly the new state: the hits of a fresh build of the folder.
  const std::string fresh = (tmp / "fresh").string();
  REQUIRE(index({"-q", notes.string(), "-o", fresh}).exit_code == 0);
  for (const auto& q : kQueries) {
    INFO(q);
    CHECK(ids(idx, q) == ids(fresh, q));
  }
  CHECK(ids(idx, "plantation").empty());
  CHECK(ids(idx, "cherry").empty());
  CHECK(ids(idx, "bread").size() == 1);
  CHECK(ids(idx, "oasis").size() == 1);

  // Nothing changed: nothing published. Touching a file is not a change.
  r = index({"--update", notes.string(), "-o", idx});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("is up to date") != std::string::npos);
  fs::last_write_time(notes / "a.txt",
                      fs::last_write_time(notes / "a.txt") + std::chrono::hours(1));
  r = index({"--update", notes.string(), "-o", idx});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("0 files read") != std::string::npos);
  r = index({"--update", notes.string(), "-o", idx});
  CHECK(r.out.find("is up to date") != std::string::npos);

  // After a merge, the answers (scores too) are the fresh build's.
  r = index({"--merge", "-o", idx});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("now 3 documents in 1 segment,") != std::string::npos);
  for (const auto& q : kQueries) {
    INFO(q);
    CHECK(search(idx, q) == search(fresh, q));
  }
}

TEST_CASE("update: a JSON lines id seen again replaces its document; --delete by id", "[update]") {
  TempDir tmp;
  scry::test::write_file(tmp / "data.jsonl",
                         "{\"id\":\"1\",\"title\":\"One\",\"body\":\"alpha apple\"}\n"
                         "{\"id\":\"2\",\"title\":\"Two\",\"body\":\"beta banana\"}\n"
                         "{\"id\":\"3\",\"title\":\"Three\",\"body\":\"gamma cherry\"}\n");
  const std::string idx = (tmp / "idx").string();
  REQUIRE(index({"-q", (tmp / "data.jsonl").string(), "-o", idx}).exit_code == 0);
  scry::test::write_file(tmp / "more.jsonl",
                         "{\"id\":\"2\",\"title\":\"Two again\",\"body\":\"zeppelin\"}\n"
                         "{\"id\":\"4\",\"title\":\"Four\",\"body\":\"delta date\"}\n");
  auto r = index(
      {"-q", "--update", (tmp / "data.jsonl").string(), (tmp / "more.jsonl").string(), "-o", idx});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(ids(idx, "zeppelin") == std::set<std::string>{"2"});
  CHECK(ids(idx, "banana").empty());
  CHECK(ids(idx, "apple date cherry") == std::set<std::string>{"1", "3", "4"});

  // A new version appended to the same file: the file is read again and,
  // within it, the later document with an id wins.
  scry::test::write_file(
      tmp / "more.jsonl",
      "{\"id\":\"2\",\"title\":\"Two again\",\"body\":\"zeppelin\"}\n"
      "{\"id\":\"4\",\"title\":\"Four\",\"body\":\"delta date\"}\n"
      "{\"id\":\"2\",\"title\":\"Two, third version\",\"body\":\"hovercraft\"}\n");
  r = index({"--update", (tmp / "data.jsonl").string(), (tmp / "more.jsonl").string(), "-o", idx});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("more.jsonl:3: id \"2\" seen again") != std::string::npos);
  CHECK(ids(idx, "hovercraft") == std::set<std::string>{"2"});
  CHECK(ids(idx, "zeppelin").empty());
  CHECK(ids(idx, "apple date cherry") == std::set<std::string>{"1", "3", "4"});

  r = index({"--delete", "3", "nope", "-o", idx});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("\"nope\"") != std::string::npos);
  CHECK(r.out.find("1 document deleted") != std::string::npos);
  CHECK(ids(idx, "cherry").empty());

  // None found: an error, and the index is as it was.
  const std::string manifest = scry::test::read_file(fs::path(idx) / "MANIFEST");
  r = index({"--delete", "3", "-o", idx});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("none found") != std::string::npos);
  CHECK(scry::test::read_file(fs::path(idx) / "MANIFEST") == manifest);
  CHECK(ids(idx, "apple hovercraft date") == std::set<std::string>{"1", "2", "4"});
}

TEST_CASE("update: requests that cannot be done get one line and exit code 2", "[update]") {
  TempDir tmp;
  // A format 1 index has no FILES table.
  fs::copy(scry::test::source_dir() / "tests" / "data" / "golden" / "index-v1", tmp / "v1");
  auto r = index(
      {"--update", (scry::test::source_dir() / "corpus").string(), "-o", (tmp / "v1").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("rebuild") != std::string::npos);
  CHECK(r.err.find('\n') == r.err.size() - 1);

  r = index({"--merge", "x", "-o", (tmp / "v1").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--merge takes no INPUT") != std::string::npos);
  r = index({"--update", "--delete", "x", "-o", (tmp / "v1").string()});
  CHECK(r.exit_code == 2);
  r = index({"--update", "--no-stem", "x", "-o", (tmp / "v1").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("applies to a build only") != std::string::npos);
  r = index({"--delete", "x", "-o", (tmp / "missing").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("missing") != std::string::npos);
}

TEST_CASE("update: --verify reports a missing FILES, which --update needs", "[update]") {
  TempDir tmp;
  scry::test::write_file(tmp / "notes" / "a.txt", "Apples\n\nAn apple orchard.\n");
  const std::string idx = (tmp / "idx").string();
  REQUIRE(index({"-q", (tmp / "notes").string(), "-o", idx}).exit_code == 0);
  const std::string search = scry::test::program("scry-search");
  auto ok = scry::test::run({search, idx, "--verify"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find(": ok (") != std::string::npos);

  fs::remove(fs::path(idx) / "FILES");
  auto r = scry::test::run({search, idx, "--verify"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find(idx + "/FILES: missing") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  // What --verify warns of: an update cannot go on without it.
  auto update = index({"--update", (tmp / "notes").string(), "-o", idx});
  CHECK(update.exit_code == 2);

  // A segment file the MANIFEST lists: the index does not even open.
  REQUIRE(index({"-q", (tmp / "notes").string(), "-o", idx}).exit_code == 0);
  fs::remove(fs::path(idx) / "seg1.post");
  r = scry::test::run({search, idx, "--verify"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("seg1.post") != std::string::npos);
}

TEST_CASE("update: a damaged segment is not merged, and stays in --verify's sight", "[update]") {
  TempDir tmp;
  scry::test::write_file(tmp / "notes" / "a.txt", "Apples\n\nAn apple orchard, apple trees.\n");
  const std::string idx = (tmp / "idx").string();
  REQUIRE(index({"-q", (tmp / "notes").string(), "-o", idx}).exit_code == 0);
  scry::test::write_file(tmp / "notes" / "b.txt", "Bananas\n\nA banana plantation.\n");
  REQUIRE(index({"-q", "--update", (tmp / "notes").string(), "-o", idx}).exit_code == 0);
  REQUIRE(fs::exists(fs::path(idx) / "seg2.post"));

  // A flipped byte of seg1's postings that opening and searching do not
  // notice (they do not read the whole file); --verify does.
  const fs::path post = fs::path(idx) / "seg1.post";
  const std::string good = scry::test::read_file(post);
  const std::string search = scry::test::program("scry-search");
  bool unnoticed = false;
  for (size_t at = 0; at + 32 < good.size() && !unnoticed; ++at) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x01);
    scry::test::write_file(post, bad);
    unnoticed = scry::test::run({search, idx, "apple"}).exit_code != 2;
  }
  REQUIRE(unnoticed);
  std::map<std::string, std::string> before;
  for (const auto& f : fs::directory_iterator(idx)) {
    before[f.path().filename().string()] = scry::test::read_file(f.path());
  }

  auto merged = index({"--merge", "-o", idx});
  CHECK(merged.exit_code == 2);
  CHECK(merged.err.find(post.string()) != std::string::npos);
  CHECK(std::count(merged.err.begin(), merged.err.end(), '\n') == 1);
  std::map<std::string, std::string> after;
  for (const auto& f : fs::directory_iterator(idx)) {
    after[f.path().filename().string()] = scry::test::read_file(f.path());
  }
  CHECK(after == before);
  auto verified = scry::test::run({search, idx, "--verify"});
  CHECK(verified.exit_code == 2);
  CHECK(verified.err.find(post.string()) != std::string::npos);
}

TEST_CASE("update: an INPUT emptied or removed has its documents deleted", "[update]") {
  // SEGMENTS.md: a recorded file under an INPUT that the walk no longer
  // finds has its documents deleted, also when none is left under it.
  TempDir tmp;
  scry::test::write_file(tmp / "v" / "a.txt", "Apples\n\nAn apple orchard.\n");
  scry::test::write_file(tmp / "v" / "drafts" / "d.txt", "Dates\n\nA date palm.\n");
  scry::test::write_file(tmp / "w" / "b.txt", "Bananas\n\nA banana plantation.\n");
  const std::string idx = (tmp / "idx").string();
  const std::string v = (tmp / "v").string(), w = (tmp / "w").string();
  REQUIRE(index({"-q", v, w, "-o", idx}).exit_code == 0);
  REQUIRE(ids(idx, "apple OR date OR banana").size() == 3);

  // Emptied: no indexable file left under v.
  fs::remove(tmp / "v" / "a.txt");
  fs::remove_all(tmp / "v" / "drafts");
  auto emptied = index({"-q", "--update", v, w, "-o", idx});
  INFO(emptied.err);
  CHECK(emptied.exit_code == 0);
  CHECK(ids(idx, "apple OR date OR banana") == std::set<std::string>{w + "/b.txt"});

  // Removed: w itself is gone.
  fs::remove_all(tmp / "w");
  auto removed = index({"-q", "--update", v, w, "-o", idx});
  INFO(removed.err);
  CHECK(removed.exit_code == 0);
  CHECK(ids(idx, "apple OR date OR banana").empty());

  // An empty folder is nothing to do; a path that is not there and that
  // the index holds nothing under is an error (a misspelt INPUT).
  auto again = index({"--update", v, "-o", idx});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("is up to date") != std::string::npos);
  auto unknown = index({"--update", (tmp / "nosuch").string(), "-o", idx});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("nosuch: no such file or directory") != std::string::npos);
  // A build of an empty folder is still refused.
  auto build = index({v, "-o", (tmp / "new.idx").string()});
  CHECK(build.exit_code == 2);
  CHECK(build.err.find("no indexable files") != std::string::npos);
}
