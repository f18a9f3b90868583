// Reading while rebuilding: a scry-search process keeps answering from the
// index it opened while scry-index replaces that index under it (the old
// files are deleted but stay mapped), and the next process sees the new one.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "testlib.h"

using scry::test::PipedProcess;
using scry::test::run;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

// The query asked each time: it matches documents of both corpora.
constexpr const char* kQuery = "zebra river \"quick fox\"";

// Documents IDPREFIX-N about zebras, rivers and quick foxes, and "marker"
// in every one (the query that closes each batch of answers below).
std::string corpus(const std::string& id_prefix, const std::string& flavour) {
  std::string out;
  for (int i = 0; i < 12; ++i) {
    std::string body = "marker " + flavour + " ";
    if (i % 2 == 0) body += "a zebra crossing ";
    if (i % 3 == 0) body += "down the river ";
    if (i % 4 == 0) body += "the quick fox jumps ";
    body += std::string(static_cast<size_t>(i), 'x');
    out += "{\"id\": \"" + id_prefix + std::to_string(i) + "\", \"title\": \"" + flavour + " " +
           std::to_string(i) + "\", \"body\": \"" + body + "\"}\n";
  }
  return out;
}

// The TSV lines of `output` tagged `tag`, the tag left out.
std::vector<std::string> answers_tagged(const std::string& output, const std::string& tag) {
  std::vector<std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(tag + "\t", 0) == 0) lines.push_back(line.substr(tag.size() + 1));
  }
  return lines;
}

// Asks `search` the query as TAG, then "marker" as TAG-end, and returns the
// answers to the first: all of them precede the first line of the second.
std::vector<std::string> ask(PipedProcess& search, const std::string& tag) {
  search.send(tag + "\t" + kQuery + "\n" + tag + "-end\tmarker\n");
  return answers_tagged(search.read_until(tag + "-end\t"), tag);
}

bool all_from(const std::vector<std::string>& answers, const std::string& id_prefix) {
  for (const auto& line : answers) {
    // rank, id, score, title, snippet
    std::string id = line.substr(line.find('\t') + 1);
    if (id.rfind(id_prefix, 0) != 0) return false;
  }
  return !answers.empty();
}

}  // namespace

TEST_CASE("rebuild: a running search keeps the index it opened, a new one sees the new one",
          "[rebuild]") {
  TempDir tmp;
  std::string idx = (tmp / "out" / "idx").string();
  fs::create_directories(tmp / "out");
  auto build = [&](const std::string& jsonl) {
    auto r = run({scry::test::program("scry-index"), "-q", "-", "-o", idx}, jsonl);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  build(corpus("old-", "savanna"));

  PipedProcess search({scry::test::program("scry-search"), idx, "--format", "tsv", "-k", "50"});
  std::vector<std::string> before = ask(search, "q1");
  REQUIRE(all_from(before, "old-"));

  // The rebuild swaps the new index in and deletes the old folder (the
  // lock file stays: docs/INDEXING.md).
  build(corpus("new-", "delta"));
  std::vector<std::string> fresh;
  for (const auto& e : fs::directory_iterator(tmp / "out")) fresh.push_back(e.path().filename());
  std::sort(fresh.begin(), fresh.end());
  CHECK(fresh == std::vector<std::string>{".idx.lock", "idx"});

  // The running process answers from the old index, snippets included.
  CHECK(ask(search, "q2") == before);
  auto done = search.finish(std::chrono::seconds(30));
  INFO(done.err);
  CHECK(done.exit_code == 0);
  CHECK(done.err.empty());

  // A new process opens the new index.
  auto r = run({scry::test::program("scry-search"), idx, "--format", "tsv", "-k", "50", kQuery});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> after = answers_tagged(r.out, "1");
  CHECK(all_from(after, "new-"));
  CHECK(after.size() == before.size());
}
