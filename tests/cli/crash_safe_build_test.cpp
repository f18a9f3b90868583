// Crash-safe builds: a rebuild killed at any moment (kill -9) or stopped by
// a full disk leaves the previous index answering exactly as before, and
// the next build removes what the interrupted ones left beside it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "testlib.h"

using scry::test::run;
using scry::test::RunResult;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr int kKills = 20;

std::string indexer() { return scry::test::program("scry-index"); }

// `docs` JSON lines of `words` words each (fixed seed), ids PREFIX-N, with
// rare made-up words so that the dictionary is not tiny.
std::string corpus(const std::string& prefix, int docs, int words, unsigned seed) {
  return scry::test::word_corpus_jsonl(prefix, docs, words, seed, true);
}

// The folder for the index, its inputs and queries: the index is alone in
// its parent folder "out", so that anything else there is a leftover.
struct Fixture {
  Fixture() {
    scry::test::write_file(tmp / "in" / "a.jsonl", corpus("a-", 30, 12, 1));
    // About 4 MB: a build takes a while and, with --memory 1M, writes runs.
    scry::test::write_file(tmp / "in" / "b.jsonl", corpus("b-", 16000, 36, 2));
    scry::test::write_file(tmp / "in" / "queries.txt",
                           "zebra\n\"river stone\"\noce*\ntitle:north\n+common -tiger\n");
    fs::create_directories(tmp / "out");
  }
  std::string a() const { return (tmp / "in" / "a.jsonl").string(); }
  std::string b() const { return (tmp / "in" / "b.jsonl").string(); }
  std::string index() const { return (tmp / "out" / "idx").string(); }

  // Builds `input` at `index` (a complete build).
  void build(const std::string& input, const std::string& index) const {
    auto r = run({indexer(), "-q", "--memory", "1M", input, "-o", index});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }

  // The answers of the index at `index` to the queries (TSV: ids, scores,
  // titles and snippets); fails unless it opens, answers and verifies.
  std::string answers(const std::string& index) const {
    auto verified = run({scry::test::program("scry-search"), index, "--verify"});
    INFO(verified.err);
    REQUIRE(verified.exit_code == 0);
    auto r = run({scry::test::program("scry-search"), index, "--queries",
                  (tmp / "in" / "queries.txt").string(), "--format", "tsv", "-k", "20"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err.empty());
    return r.out;
  }

  // What the folder of the index holds besides it.
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(tmp / "out")) {
      // The index, and its lock file (never removed: docs/INDEXING.md).
      if (e.path().filename() != "idx" && e.path().filename() != ".idx.lock") {
        names.push_back(e.path().filename());
      }
    }
    return names;
  }

  TempDir tmp;
};

// Starts a rebuild of `input` at `index` and kills it with SIGKILL after
// `delay`.
void kill_build_after(const std::string& input, const std::string& index,
                      std::chrono::microseconds delay) {
  int pid = scry::test::spawn({indexer(), "-q", "--memory", "1M", input, "-o", index});
  std::this_thread::sleep_for(delay);
  REQUIRE(kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
}

}  // namespace

TEST_CASE("crash-safe: kill -9 at random moments of a rebuild", "[crash][slow]") {
  Fixture f;
  // B's answers, and how long a build of B takes, from a build elsewhere.
  std::string reference = (f.tmp / "reference").string();
  auto start = std::chrono::steady_clock::now();
  f.build(f.b(), reference);
  auto duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  const std::string answers_b = f.answers(reference);

  f.build(f.a(), f.index());
  const std::string answers_a = f.answers(f.index());
  REQUIRE(answers_a != answers_b);

  std::mt19937 rng(20261201);
  int interrupted = 0, published = 0;
  for (int round = 0; round < kKills; ++round) {
    // Up to 10% past the measured time, so that some kills come after the
    // new index is published.
    auto delay = duration * static_cast<int64_t>(rng() % 1101) / 1000;
    INFO("round " << round << ": killed after " << delay.count() << " us of " << duration.count());
    kill_build_after(f.b(), f.index(), delay);
    std::string got = f.answers(f.index());
    CHECK((got == answers_a || got == answers_b));
    if (got == answers_b) {
      ++published;
      f.build(f.a(), f.index());  // Back to A for the next round.
    } else {
      ++interrupted;
    }
  }
  INFO(interrupted << " builds killed before publishing, " << published << " after");
  CHECK(interrupted > 0);

  // One more killed before it publishes: its temporary folder (with run
  // files) stays... A build here may run faster or slower than the timed
  // one: a kill that came after the publishing is tried again earlier, one
  // that came before the folder was made later.
  bool left = false;
  double share = 0.5;  // Of the timed build's duration.
  for (int attempt = 0; attempt < 8 && !left; ++attempt) {
    kill_build_after(f.b(), f.index(),
                     std::chrono::microseconds(
                         static_cast<int64_t>(static_cast<double>(duration.count()) * share)));
    left = !f.leftovers().empty();
    if (left) break;
    if (f.answers(f.index()) == answers_b) {
      f.build(f.a(), f.index());
      share /= 2;
    } else {
      share = std::min(1.0, share * 1.5);
    }
  }
  CHECK(left);
  // ...until the next build, which removes it.
  f.build(f.b(), f.index());
  CHECK(f.leftovers().empty());
  CHECK(f.answers(f.index()) == answers_b);
}

TEST_CASE("crash-safe: a build that runs out of space leaves the old index", "[crash]") {
  Fixture f;
  f.build(f.a(), f.index());
  const std::string answers_a = f.answers(f.index());
  // `ulimit -f` makes writes past 256 KB fail, as on a full disk (EFBIG
  // instead of ENOSPC; scry-index ignores SIGXFSZ, which would kill it).
  // With --memory 1M the first run file fails; with the default budget
  // there are no runs and the document store fails while documents stream
  // in, which is only reported when the build finishes.
  for (const char* memory : {"1M", "256M"}) {
    INFO("--memory " << memory);
    RunResult r = run({"/bin/sh", "-c", "ulimit -f 512 && exec \"$@\"", "sh", indexer(), "-q",
                       "--memory", memory, f.b(), "-o", f.index()});
    INFO(r.err);
    CHECK(r.signal == 0);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("scry-index: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find((f.tmp / "out").string()) != std::string::npos);  // Names the file.
    CHECK(f.answers(f.index()) == answers_a);
    CHECK(f.leftovers().empty());
  }
}

// SIGINT and SIGTERM stop a change cleanly (docs/INDEXING.md, "Interrupted
// builds"): a message, exit 128 + the signal, the temporary folder removed
// and the old index as it was.
TEST_CASE("crash-safe: SIGTERM or SIGINT during a build: message, exit 143 or 130, old index",
          "[crash]") {
  Fixture f;
  f.build(f.a(), f.index());
  const std::string answers_a = f.answers(f.index());
  // The build's temporary folder exists once it has the lock and started.
  auto started = [&](int pid) {
    const fs::path temp = f.tmp / "out" / (".idx.tmp-" + std::to_string(pid));
    for (int i = 0; i < 1500 && !fs::exists(temp); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return fs::exists(temp);
  };

  SECTION("SIGTERM while it waits for JSON lines on stdin") {
    scry::test::PipedProcess build({indexer(), "-", "-o", f.index()});
    build.send(corpus("s-", 200, 12, 3));
    REQUIRE(started(build.pid()));
    REQUIRE(kill(build.pid(), SIGTERM) == 0);
    RunResult r = build.finish(std::chrono::seconds(30));
    CHECK(!r.timed_out);
    CHECK(r.exit_code == 143);
    CHECK(r.err == "scry-index: interrupted by SIGTERM; " + f.index() + " not changed\n");
  }
  SECTION("SIGINT while it indexes a 4 MB file") {
    scry::test::PipedProcess build({indexer(), "--memory", "1M", f.b(), "-o", f.index()});
    REQUIRE(started(build.pid()));
    REQUIRE(kill(build.pid(), SIGINT) == 0);
    RunResult r = build.finish(std::chrono::seconds(30));
    CHECK(!r.timed_out);
    CHECK(r.exit_code == 130);
    CHECK(r.err == "scry-index: interrupted by SIGINT; " + f.index() + " not changed\n");
  }
  CHECK(f.leftovers().empty());
  CHECK(f.answers(f.index()) == answers_a);
}
