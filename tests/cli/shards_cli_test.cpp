// scry-index --shards and a sharded index through both programs: the
// layout, searching it as one index over the same documents (every hit's
// id and printed score, counts, --offset), --doc, --list, --stats,
// --verify; --update, --delete and --merge routed by the hash; bad --shards
// values and combinations rejected with one line and exit code 2, leaving
// an existing index as it was.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "testlib.h"

using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

scry::test::RunResult index(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {scry::test::program("scry-index")};
  argv.insert(argv.end(), args.begin(), args.end());
  return scry::test::run(argv);
}

scry::test::RunResult search(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {scry::test::program("scry-search")};
  argv.insert(argv.end(), args.begin(), args.end());
  return scry::test::run(argv);
}

// Every hit of `query` as "ID<TAB>SCORE" lines, sorted (the order of equal
// scores is the shards', docs/SHARDS.md).
std::set<std::string> hits(const std::string& idx, const std::string& query) {
  auto r = search({"-f", "tsv", "--no-snippets", "-k", "100000", idx, query});
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  std::set<std::string> out;
  for (const std::string& line : scry::test::lines_of(r.out)) {
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
    REQUIRE(fields.size() >= 4);
    out.insert(fields[2] + "\t" + fields[3]);
  }
  return out;
}

// The printed scores of the hits of `query` from rank offset + 1, k of them.
std::vector<std::string> scores(const std::string& idx, const std::string& query, int k,
                                int offset) {
  auto r = search({"-f", "tsv", "--no-snippets", "-k", std::to_string(k), "--offset",
                   std::to_string(offset), idx, query});
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  std::vector<std::string> out;
  for (const std::string& line : scry::test::lines_of(r.out)) {
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
    out.push_back(fields[1] + " " + fields[3]);
  }
  return out;
}

// Every hit of `query` as a JSON line with --explain, without its rank.
std::set<std::string> explained(const std::string& idx, const std::string& query) {
  auto r = search({"-f", "json", "--explain", "--no-snippets", "-k", "100000", idx, query});
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  std::set<std::string> out;
  const std::regex rank(R"("rank":[0-9]+,)");
  for (const std::string& line : scry::test::lines_of(r.out)) {
    CHECK(line.find("\"explain\":[") != std::string::npos);
    out.insert(std::regex_replace(line, rank, ""));
  }
  return out;
}

const std::vector<std::string> kQueries = {"alpha",
                                           "common",
                                           "+zebra fox -dog",
                                           "\"quick brown\"",
                                           "ri*",
                                           "title:mango",
                                           "apple OR w1*",
                                           "(tiger AND ocean) NOT lazy",
                                           "title:(pear stone) river",
                                           "nothingatall"};

void check_one_line_error(const scry::test::RunResult& r, const std::string& needle) {
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(scry::test::lines_of(r.err).size() == 1);
  CHECK(r.err.find(needle) != std::string::npos);
}

struct Corpus {
  TempDir tmp;
  std::string input, one, sharded;
  Corpus() {
    input = (tmp / "docs.jsonl").string();
    scry::test::write_file(input, scry::test::word_corpus_jsonl("d", 600, 40, 17, true));
    one = (tmp / "one").string();
    sharded = (tmp / "sharded").string();
    REQUIRE(index({"-q", input, "-o", one}).exit_code == 0);
    auto r = index({"--shards", "4", input, "-o", sharded});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("600 documents") != std::string::npos);
    CHECK(r.out.find("(4 shards)") != std::string::npos);
  }
};

}  // namespace

TEST_CASE("shards: a sharded build searches as one index", "[shards_cli]") {
  Corpus c;
  CHECK(fs::exists(fs::path(c.sharded) / "SHARDS"));
  for (int i = 0; i < 4; ++i) {
    CHECK(fs::exists(fs::path(c.sharded) / ("shard-" + std::to_string(i)) / "MANIFEST"));
  }
  CHECK_FALSE(fs::exists(fs::path(c.sharded) / "shard-4"));
  for (const std::string& q : kQueries) {
    INFO(q);
    CHECK(hits(c.sharded, q) == hits(c.one, q));
    CHECK(scores(c.sharded, q, 7, 5) == scores(c.one, q, 7, 5));
    auto want = search({c.one, "--count", q});
    auto got = search({c.sharded, "--count", q});
    CHECK(got.out == want.out);
    CHECK(got.exit_code == want.exit_code);
  }
  // A shard alone is an ordinary index.
  auto r = search({(fs::path(c.sharded) / "shard-2").string(), "--count", "common"});
  CHECK(r.exit_code == 0);
  CHECK(std::stoi(r.out) > 50);
  CHECK(std::stoi(r.out) < 300);
}

TEST_CASE("shards: --doc, --list, --stats, --verify and --explain", "[shards_cli]") {
  Corpus c;
  auto want = search({c.one, "--doc", "d123"});
  auto got = search({c.sharded, "--doc", "d123"});
  CHECK(got.exit_code == 0);
  CHECK(got.out == want.out);
  auto missing = search({c.sharded, "--doc", "nowhere"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no document with id \"nowhere\"") != std::string::npos);

  auto list_one = search({c.one, "--list", "-f", "tsv"});
  auto list_sharded = search({c.sharded, "--list", "-f", "tsv"});
  REQUIRE(list_sharded.exit_code == 0);
  auto a = scry::test::lines_of(list_one.out), b = scry::test::lines_of(list_sharded.out);
  CHECK(std::set<std::string>(a.begin(), a.end()) == std::set<std::string>(b.begin(), b.end()));
  CHECK(b.size() == 600);

  auto stats = search({c.sharded, "--stats", "alpha"});
  CHECK(stats.err.find("600 documents, 4 segments in 4 shards") != std::string::npos);

  auto verify = search({c.sharded, "--verify"});
  INFO(verify.err);
  CHECK(verify.exit_code == 0);
  CHECK(verify.out.find(": ok (") != std::string::npos);
  // A damaged shard manifest is named.
  {
    const fs::path shards = fs::path(c.sharded) / "SHARDS";
    std::string bytes = scry::test::read_file(shards);
    bytes[0] = static_cast<char>(bytes[0] ^ 1);
    scry::test::write_file(shards, bytes);
    check_one_line_error(search({c.sharded, "alpha"}), "SHARDS");
    bytes[0] = static_cast<char>(bytes[0] ^ 1);
    scry::test::write_file(shards, bytes);
  }
  // A missing shard is named.
  fs::rename(fs::path(c.sharded) / "shard-3", fs::path(c.tmp / "away"));
  check_one_line_error(search({c.sharded, "alpha"}), "shard-3");
  fs::rename(fs::path(c.tmp / "away"), fs::path(c.sharded) / "shard-3");

  // --explain: every hit with the same explanation (JSON lines, without
  // the rank, which differs among equal scores).
  for (const std::string& q : kQueries) {
    INFO(q);
    CHECK(explained(c.sharded, q) == explained(c.one, q));
  }
}

TEST_CASE("shards: --update, --delete and --merge route by the hash", "[shards_cli]") {
  Corpus c;
  // New and replaced documents (ids d0..d99 again, new text; n0..n49 new).
  const std::string more = (c.tmp / "more.jsonl").string();
  scry::test::write_file(more, scry::test::word_corpus_jsonl("d", 100, 30, 99, true) +
                                   scry::test::word_corpus_jsonl("n", 50, 30, 98, true));
  for (const std::string& idx : {c.one, c.sharded}) {
    auto r = index({"--update", c.input, more, "-o", idx});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("now 650 documents") != std::string::npos);
  }
  for (const std::string& q : kQueries) {
    INFO(q);
    CHECK(hits(c.sharded, q) == hits(c.one, q));
  }
  // Nothing changed: up to date, nothing published.
  auto same = index({"--update", c.input, more, "-o", c.sharded});
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("up to date") != std::string::npos);

  for (const std::string& idx : {c.one, c.sharded}) {
    auto r = index({"--delete", "d5", "n7", "nowhere", "-o", idx});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("no document with id \"nowhere\"") != std::string::npos);
    CHECK(r.out.find("2 documents deleted") != std::string::npos);
  }
  CHECK(search({c.sharded, "--doc", "n7"}).exit_code == 1);
  CHECK(search({c.sharded, "--doc", "n8"}).exit_code == 0);
  auto none = index({"--delete", "nowhere", "-o", c.sharded});
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("none found") != std::string::npos);

  for (const std::string& idx : {c.one, c.sharded}) {
    auto r = index({"--merge", "-o", idx});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("now 648 documents") != std::string::npos);
  }
  auto stats = search({c.sharded, "--stats", "alpha"});
  CHECK(stats.err.find("648 documents, 4 segments in 4 shards") != std::string::npos);
  for (const std::string& q : kQueries) {
    INFO(q);
    CHECK(hits(c.sharded, q) == hits(c.one, q));
    CHECK(scores(c.sharded, q, 5, 3) == scores(c.one, q, 5, 3));
  }
  CHECK(search({c.sharded, "--verify"}).exit_code == 0);
}

TEST_CASE("shards: a folder input's files are tracked in every shard", "[shards_cli]") {
  TempDir tmp;
  const fs::path notes = tmp / "notes";
  scry::test::write_file(notes / "a.txt", "Apples\n\nAn apple orchard, fruit at harvest time.\n");
  scry::test::write_file(notes / "b.txt", "Bananas\n\nA banana plantation by the sea.\n");
  scry::test::write_file(notes / "c.md", "# Cherries\n\nA cherry blossom festival.\n");
  const std::string idx = (tmp / "idx").string();
  REQUIRE(index({"-q", "--shards", "2", notes.string(), "-o", idx}).exit_code == 0);
  scry::test::write_file(notes / "b.txt", "Bananas\n\nBanana bread from the oven.\n");
  fs::remove(notes / "c.md");
  auto r = index({"--update", notes.string(), "-o", idx});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("1 file read, 1 document added") != std::string::npos);
  CHECK(r.out.find("1 file gone, 2 documents deleted") != std::string::npos);
  CHECK(r.out.find("now 2 documents") != std::string::npos);
  CHECK(hits(idx, "plantation").empty());
  CHECK(hits(idx, "cherry").empty());
  CHECK(hits(idx, "bread").size() == 1);
}

TEST_CASE("shards: bad values and combinations are refused", "[shards_cli]") {
  Corpus c;
  const std::string before = scry::test::read_file(fs::path(c.sharded) / "SHARDS");
  const auto answers = hits(c.sharded, "alpha");
  for (const char* n : {"0", "257", "99999999999", "-1", "two", ""}) {
    INFO("--shards " << n);
    check_one_line_error(index({"--shards", n, c.input, "-o", c.sharded}), "shards");
  }
  check_one_line_error(index({"--shards", "2", "--delete", "d1", "-o", c.sharded}),
                       "--shards applies to a build only");
  check_one_line_error(index({"--shards", "2", "--merge", "-o", c.sharded}),
                       "--shards applies to a build only");
  check_one_line_error(index({"--shards", "2", "--update", c.input, "-o", c.sharded}),
                       "has 4 shards, not 2: another number of shards needs a build");
  check_one_line_error(index({"--shards", "2", "--update", c.input, "-o", c.one}),
                       "is not sharded");
  // A build that fails leaves the sharded index as it was.
  const std::string empty = (c.tmp / "empty.jsonl").string();
  scry::test::write_file(empty, "");
  check_one_line_error(index({"-q", "--shards", "3", empty, "-o", c.sharded}), "no documents");
  CHECK(scry::test::read_file(fs::path(c.sharded) / "SHARDS") == before);
  CHECK(hits(c.sharded, "alpha") == answers);
  CHECK(fs::exists(fs::path(c.sharded) / "shard-3"));

  // A shard alone is not written to: it would break the routing.
  const std::string shard = (fs::path(c.sharded) / "shard-1").string();
  check_one_line_error(index({"--delete", "d1", "-o", shard}), "is a shard of a sharded index");
  check_one_line_error(index({c.input, "-o", shard + "/"}), "is a shard of a sharded index");
  CHECK(hits(c.sharded, "alpha") == answers);

  // --update with the index's own number of shards is allowed.
  CHECK(index({"-q", "--shards", "4", "--update", c.input, "-o", c.sharded}).exit_code == 0);
  // A rebuild may change the number of shards, or make it an ordinary index.
  REQUIRE(index({"-q", "--shards", "2", c.input, "-o", c.sharded}).exit_code == 0);
  CHECK_FALSE(fs::exists(fs::path(c.sharded) / "shard-2"));
  CHECK(hits(c.sharded, "alpha") == answers);
  REQUIRE(index({"-q", c.input, "-o", c.sharded}).exit_code == 0);
  CHECK_FALSE(fs::exists(fs::path(c.sharded) / "SHARDS"));
  CHECK(hits(c.sharded, "alpha") == answers);
  // --update of a missing index with --shards builds a sharded one.
  const std::string fresh = (c.tmp / "fresh").string();
  REQUIRE(index({"-q", "--shards", "3", "--update", c.input, "-o", fresh}).exit_code == 0);
  CHECK(fs::exists(fs::path(fresh) / "shard-2"));
  CHECK(hits(fresh, "alpha") == answers);
}

TEST_CASE("shards: a sharded build or update killed at any moment leaves the old index",
          "[shards_cli][crash]") {
  Corpus c;
  const auto answers = hits(c.sharded, "alpha");
  const std::string big = (c.tmp / "big.jsonl").string();
  scry::test::write_file(big, scry::test::word_corpus_jsonl("b", 6000, 60, 5, true));
  // The answers once the build of `big` is published, from a build elsewhere.
  const std::string reference = (c.tmp / "reference").string();
  auto start = std::chrono::steady_clock::now();
  REQUIRE(index({"-q", "--shards", "3", big, "-o", reference}).exit_code == 0);
  const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  const auto answers_big = hits(reference, "alpha");
  REQUIRE(answers_big != answers);

  std::mt19937 rng(20261206);
  int killed = 0;
  for (int round = 0; round < 8; ++round) {
    const auto delay = std::chrono::microseconds(
        static_cast<int64_t>(rng() % static_cast<uint64_t>(duration.count() + 1)));
    INFO("round " << round << ", kill after " << delay.count() << " us");
    const bool update = round % 2 == 1;
    std::vector<std::string> argv = {scry::test::program("scry-index"), "-q", "--memory", "1M"};
    if (update) {
      argv.push_back("--update");
    } else {
      argv.insert(argv.end(), {"--shards", "3"});
    }
    argv.insert(argv.end(), {big, "-o", c.sharded});
    const int pid = scry::test::spawn(argv);
    std::this_thread::sleep_for(delay);
    REQUIRE(kill(pid, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    const auto got = hits(c.sharded, "alpha");
    // All of the old version or all of the new: never a mix of shards.
    CHECK(search({c.sharded, "--verify"}).exit_code == 0);
    if (got == answers) {
      ++killed;
      continue;
    }
    // Published before the kill: a build gives the reference's answers; an
    // update adds big's documents to the old ones. Back to the old index.
    if (!update) CHECK(got == answers_big);
    CHECK(got.size() > answers.size());
    REQUIRE(index({"-q", "--shards", "4", c.input, "-o", c.sharded}).exit_code == 0);
    REQUIRE(hits(c.sharded, "alpha") == answers);
  }
  CHECK(killed > 0);
}
