// One writer at a time (docs/INDEXING.md, "One writer at a time"): while a
// scry-index holds an index's lock, a second one on the same index waits,
// saying so, and then applies its change on top of the first one's, so
// that both are in the index; with --no-wait it fails with exit 2.
// Searchers never take the lock.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "testlib.h"

using scry::test::PipedProcess;
using scry::test::run;
using scry::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string indexer() { return scry::test::program("scry-index"); }

// Waits (up to 30 s) until `predicate` holds; false when it never did.
template <typename Predicate>
bool eventually(Predicate predicate) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The content of `path`, or "" when it cannot be read.
std::string contents(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return "";
  return scry::test::read_file(path);
}

// Whether scry-search finds `word` in the index at `idx`.
bool finds(const std::string& idx, const std::string& word) {
  auto r = run({scry::test::program("scry-search"), idx, word});
  INFO(r.err);
  return r.exit_code == 0;
}

// An index of one text file in tmp/out/idx, and a JSON lines writer that
// holds its lock while its standard input stays open.
struct Fixture {
  Fixture() {
    scry::test::write_file(tmp / "in" / "a.txt", "Apples\n\nAn apple orchard.\n");
    scry::test::write_file(tmp / "in" / "b.txt", "Bananas\n\nA banana plantation.\n");
    fs::create_directories(tmp / "out");
    auto r = run({indexer(), "-q", (tmp / "in" / "a.txt").string(), "-o", idx()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  std::string idx() const { return (tmp / "out" / "idx").string(); }
  fs::path lock_file() const { return tmp / "out" / ".idx.lock"; }

  // Starts `scry-index --update - -o idx`, which takes the lock and then
  // waits for JSON lines; returns once it holds the lock (its pid is in
  // the lock file).
  std::unique_ptr<PipedProcess> start_holder() const {
    auto holder = std::make_unique<PipedProcess>(
        std::vector<std::string>{indexer(), "--update", "-", "-o", idx()});
    const std::string pid = std::to_string(holder->pid()) + "\n";
    REQUIRE(eventually([&] { return contents(lock_file()) == pid; }));
    return holder;
  }

  TempDir tmp;
};

}  // namespace

TEST_CASE("writer lock: a second writer waits, then both changes are in the index", "[lock]") {
  Fixture f;
  auto holder = f.start_holder();
  // The second writer's stderr goes to a file, to be watched while it waits.
  const fs::path err = f.tmp / "second.err";
  PipedProcess second({"/bin/sh", "-c", "exec \"$0\" --update \"$1\" -o \"$2\" 2>\"$3\"", indexer(),
                       (f.tmp / "in" / "b.txt").string(), f.idx(), err.string()});
  const std::string waiting = "scry-index: waiting for the lock held by pid " +
                              std::to_string(holder->pid()) + " on " + f.idx() + "\n";
  CHECK(eventually([&] { return contents(err) == waiting; }));
  // Searchers never take the lock: the index answers while it is held.
  CHECK(finds(f.idx(), "apple"));

  holder->send("{\"id\":\"c\",\"body\":\"a cherry tree\"}\n");
  auto first = holder->finish(std::chrono::seconds(60));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  auto done = second.finish(std::chrono::seconds(60));
  INFO(contents(err));
  REQUIRE(done.exit_code == 0);
  CHECK(contents(err) == waiting);  // Said once.
  // Nothing lost: the holder's document and the second writer's file.
  CHECK(finds(f.idx(), "apple"));
  CHECK(finds(f.idx(), "cherry"));
  CHECK(finds(f.idx(), "banana"));
}

TEST_CASE("writer lock: --no-wait fails at once with exit 2, the index unchanged", "[lock]") {
  Fixture f;
  auto holder = f.start_holder();
  const std::string pid = std::to_string(holder->pid());
  for (const std::vector<std::string>& change :
       {std::vector<std::string>{"--update", (f.tmp / "in" / "b.txt").string()},
        std::vector<std::string>{"--delete", (f.tmp / "in" / "a.txt").string()},
        std::vector<std::string>{"--merge"},
        std::vector<std::string>{(f.tmp / "in" / "b.txt").string()}}) {
    std::vector<std::string> argv = {indexer(), "--no-wait", "-o", f.idx()};
    argv.insert(argv.end(), change.begin(), change.end());
    auto r = run(argv, "", {}, std::chrono::seconds(30));
    INFO(change[0]);
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "scry-index: error: " + f.idx() + ": locked by another writer (pid " + pid + ")\n");
    CHECK(r.out.empty());
  }
  holder->send("{\"id\":\"c\",\"body\":\"a cherry tree\"}\n");
  auto first = holder->finish(std::chrono::seconds(60));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(finds(f.idx(), "apple"));
  CHECK(finds(f.idx(), "cherry"));
  CHECK(!finds(f.idx(), "banana"));
  // The lock is free again.
  auto r = run(
      {indexer(), "-q", "--no-wait", "--update", (f.tmp / "in" / "b.txt").string(), "-o", f.idx()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(finds(f.idx(), "banana"));
}

TEST_CASE("writer lock: SIGTERM stops a waiting writer, the index unchanged", "[lock]") {
  Fixture f;
  auto holder = f.start_holder();
  const fs::path err = f.tmp / "second.err";
  PipedProcess second({"/bin/sh", "-c", "exec \"$0\" --update \"$1\" -o \"$2\" 2>\"$3\"", indexer(),
                       (f.tmp / "in" / "b.txt").string(), f.idx(), err.string()});
  REQUIRE(
      eventually([&] { return contents(err).find("waiting for the lock") != std::string::npos; }));
  REQUIRE(kill(second.pid(), SIGTERM) == 0);
  auto stopped = second.finish(std::chrono::seconds(30));
  CHECK(stopped.exit_code == 143);
  CHECK(contents(err).find("scry-index: interrupted by SIGTERM; " + f.idx() + " not changed\n") !=
        std::string::npos);
  holder->send("{\"id\":\"c\",\"body\":\"a cherry tree\"}\n");
  auto first = holder->finish(std::chrono::seconds(60));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(finds(f.idx(), "cherry"));
  CHECK(!finds(f.idx(), "banana"));
}
