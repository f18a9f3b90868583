// scry-search --typos and --typo-lengths as a user meets them: a word one
// typo away found, the exact word first, thresholds, plain-text queries and
// the errors of the options (docs/QUERY.md, "Typo tolerance").
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "testlib.h"

using scry::test::run;
using scry::test::RunResult;
using scry::test::TempDir;

namespace {

// An unstemmed index of three one-line files, so that "elephant" and
// "elephent" are different terms.
struct Fixture {
  TempDir tmp;
  std::string index = (tmp / "idx").string();

  Fixture() {
    std::filesystem::create_directories(tmp / "docs");
    for (const auto& [name, text] :
         std::vector<std::pair<std::string, std::string>>{{"elephant", "the elephant walked"},
                                                          {"elephent", "the elephent walked"},
                                                          {"cat", "a cat sat"}}) {
      std::ofstream(tmp / "docs" / (name + ".txt")) << text << "\n";
    }
    auto r = run({scry::test::program("scry-index"), "-q", "--no-stem", (tmp / "docs").string(),
                  "-o", index});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }

  RunResult search(std::vector<std::string> args) const {
    args.insert(args.begin(),
                {scry::test::program("scry-search"), index, "-f", "tsv", "--no-snippets"});
    return run(args);
  }

  // The file names of the hits of `args`, best first.
  std::vector<std::string> hits(std::vector<std::string> args) const {
    auto r = search(std::move(args));
    INFO(r.err);
    REQUIRE(r.exit_code <= 1);
    std::vector<std::string> out;
    // TSV: query, rank, id (the file's path), score, ...
    for (const std::string& line : scry::test::lines_of(r.out)) {
      const size_t id = line.find('\t', line.find('\t') + 1) + 1;
      const std::string path = line.substr(id, line.find('\t', id) - id);
      out.push_back(std::filesystem::path(path).filename().string());
    }
    return out;
  }
};

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("typos cli: --typos finds a word one typo away, the exact word first", "[typos_cli]") {
  Fixture f;
  CHECK(f.hits({"elephant"}) == Names{"elephant.txt"});
  CHECK(f.hits({"--typos", "elephant"}) == Names{"elephant.txt", "elephent.txt"});
  CHECK(f.hits({"--typos", "elephent"}) == Names{"elephent.txt", "elephant.txt"});
  CHECK(f.hits({"--typos", "--plain", "elephent cats"}) == Names{"elephent.txt", "elephant.txt"});
  // 8 letters: no typo from 9.
  CHECK(f.hits({"--typos", "--typo-lengths", "9", "elephant"}) == Names{"elephant.txt"});
  CHECK(f.hits({"--typos", "--typo-lengths", "3,9", "cut"}) == Names{"cat.txt"});
}

TEST_CASE("typos cli: bad --typo-lengths are errors with exit status 2", "[typos_cli]") {
  Fixture f;
  auto alone = f.search({"--typo-lengths", "5,9", "elephant"});
  CHECK(alone.exit_code == 2);
  CHECK(alone.err.find("--typo-lengths needs --typos") != std::string::npos);
  for (const char* bad : {"9,5", "0", "x", "5,", ",9", "5,9,12"}) {
    INFO(bad);
    auto r = f.search({"--typos", "--typo-lengths", bad, "elephant"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--typo-lengths: expected ONE,TWO") != std::string::npos);
    CHECK(r.out.empty());
  }
}
