// Reading while rebuilding: a scry-search process keeps answering from the
// index it opened while scry-index replaces that index under it (the old
// files are deleted but stay mapped), and the next process sees the new one;
// an index opened while versions are published is always one version whole.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "scry/format/index_reader.h"
#include "scry/index/publish.h"
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

TEST_CASE("rebuild: an index opened while versions are published is one version whole",
          "[rebuild]") {
  TempDir tmp;
  // Three versions: a build (seg1), the same after an update and a merge
  // (seg3 alone: seg1's files gone), and another build (seg1 again, with
  // more documents: the same names, other contents).
  const std::string one = (tmp / "one").string();
  const std::string two = (tmp / "two").string();
  const std::string three = (tmp / "three").string();
  auto r = run({scry::test::program("scry-index"), "-q", "-", "-o", one}, corpus("a-", "savanna"));
  REQUIRE(r.exit_code == 0);
  r = run({scry::test::program("scry-index"), "-q", "-", "-o", three},
          corpus("c-", "tundra") + corpus("d-", "steppe") + corpus("e-", "taiga"));
  REQUIRE(r.exit_code == 0);
  fs::copy(one, two);
  r = run({scry::test::program("scry-index"), "-q", "--update", "-", "-o", two},
          corpus("b-", "delta"));
  REQUIRE(r.exit_code == 0);
  r = run({scry::test::program("scry-index"), "-q", "--merge", "-o", two});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto documents = [](const std::string& dir) {
    auto index = scry::IndexReader::open(dir);
    REQUIRE(index.is_ok());
    return (*index)->manifest().live_documents();
  };
  const std::vector<uint64_t> versions{documents(one), documents(two), documents(three)};
  REQUIRE(versions[0] != versions[1]);
  REQUIRE(versions[1] != versions[2]);

  // A writer publishes the two in turn while this thread opens the index.
  const std::string idx = (tmp / "idx").string();
  fs::copy(one, idx);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 150; ++i) {
      auto publisher = scry::IndexPublisher::begin(idx);
      if (!publisher.is_ok()) break;
      for (const auto& file : fs::directory_iterator(i % 3 == 0 ? two : i % 3 == 1 ? three : one)) {
        fs::copy(file.path(), fs::path((*publisher)->temp_dir()) / file.path().filename());
      }
      if (!(*publisher)->commit().is_ok()) break;
    }
    done = true;
  });
  int opened = 0;
  int failed = 0;
  int mixed = 0;
  std::string failure;
  while (!done) {
    auto index = scry::IndexReader::open(idx);
    if (!index.is_ok()) {
      ++failed;
      failure = index.status().message();
      continue;
    }
    ++opened;
    // The manifest is one version's, and each segment's stored documents
    // are as many as it says.
    const uint64_t live = (*index)->manifest().live_documents();
    bool whole = std::find(versions.begin(), versions.end(), live) != versions.end();
    for (const auto& segment : (*index)->segments()) {
      const uint32_t n = segment->doc_count();
      whole = whole && n > 0 && segment->document_meta(n - 1).is_ok() &&
              !segment->document_meta(n).is_ok();
    }
    if (!whole) ++mixed;
  }
  writer.join();
  INFO(failure);
  CHECK(failed == 0);
  CHECK(mixed == 0);
  CHECK(opened > 0);
}
